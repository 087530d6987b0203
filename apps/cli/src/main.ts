import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { TRPCClientError } from "@trpc/client";
import { Command, CommanderError, Option } from "commander";
import { type ApiClient, apiClient, describeApiError } from "./client.js";
import { type Credentials, defaultServer, loadCredentials, saveCredentials } from "./credentials.js";
import { CliError, ExitCode } from "./errors.js";
import { replayRun } from "./replay.js";
import { readSpecFile } from "./spec-file.js";
import { baselineNames, baselineTitles, precision, runResult, signedPercent, verdictLine } from "./summary.js";
import { watchRun } from "./watch.js";

const program = new Command("hindcast").description("Start, watch, cancel and compare Hindcast trainings").exitOverride();
program.option(
  "--server <url>",
  "tRPC endpoint of the Hindcast server (default: the one you logged in to, or http://127.0.0.1:3000/api/trpc)",
);

let exitCode: number = ExitCode.ok;
const print = (value: unknown, json: boolean, text: () => string) =>
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);

/** Runs a command body with a client, turning server errors into one line. */
async function withClient(fn: (client: ApiClient, credentials: Credentials) => Promise<unknown>): Promise<void> {
  const credentials = loadCredentials(program.opts<{ server?: string }>().server);
  try {
    const result = await fn(apiClient(credentials), credentials);
    exitCode = typeof result === "number" ? result : ExitCode.ok;
  } catch (error) {
    throw error instanceof CliError ? error : describeApiError(error, credentials.server);
  }
}

program
  .command("login")
  .description("store an API token for this machine: pass one, or sign in with email and password")
  .option("--token <token>", "an API token (hc_...) an admin created for you")
  .option("--email <email>", "sign in with your email; the password comes from HINDCAST_PASSWORD or a prompt")
  .action(async (options: { token?: string; email?: string }) => {
    const server = program.opts<{ server?: string }>().server ?? process.env.HINDCAST_SERVER ?? defaultServer;
    if (!options.token && !options.email) throw new CliError("login needs --token <token> or --email <email>");
    try {
      const token = options.token ?? (await signIn(server, options.email as string));
      const me = await apiClient({ server, token }).users.me.query();
      const file = saveCredentials({ server, token });
      process.stdout.write(`Logged in to ${server} as ${me.email} (${me.role.toLowerCase()}); token stored in ${file}\n`);
    } catch (error) {
      throw error instanceof CliError ? error : describeApiError(error, server);
    }
  });

async function signIn(server: string, email: string): Promise<string> {
  const password = process.env.HINDCAST_PASSWORD ?? (await promptPassword(`Password for ${email}: `));
  try {
    const { token } = await apiClient({ server, token: "" }).users.login.mutate({ email, password, tokenName: `cli on ${os.hostname()}` });
    if (!token)
      throw new CliError(`${server} answered the login without an API token. Fix: update the server, or use hindcast login --token`);
    return token;
  } catch (error) {
    if (error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "UNAUTHORIZED") {
      throw new CliError(`Wrong email or password for ${email} at ${server}. Fix: check both, or ask an admin for an API token`);
    }
    throw error;
  }
}

async function promptPassword(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError("No password: set HINDCAST_PASSWORD or run hindcast login in a terminal");
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Echo nothing while the password is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  process.stdout.write(question);
  const answer = await rl.question("");
  rl.close();
  process.stdout.write("\n");
  return answer;
}

const train = program.command("train").description("trainings");

train
  .command("start <spec>")
  .description("queue a training from a YAML or JSON spec file")
  .option("--set <key=value...>", "override spec values, e.g. --set train.epochs=5", [])
  .addOption(
    new Option("--pipeline <name>", "pipeline").choices(["retrodiction", "train-only", "parallel-retrodiction"]).default("retrodiction"),
  )
  .option("--name <name>", "run name")
  .option("--tag <tag...>", "tags", [])
  .option("--experiment <name>", "file the run under this experiment (created if missing)")
  .option("--gpu", "only a GPU worker may take it", false)
  .option("--watch", "follow the run until it ends", false)
  .option("--json", "print JSON", false)
  .action(
    async (
      file: string,
      options: { set: string[]; pipeline: "retrodiction"; name?: string; tag: string[]; gpu: boolean; watch: boolean; json: boolean },
    ) => {
      const spec = readSpecFile(file, options.set);
      await withClient(async (client) => {
        const run = await client.training.start.mutate({
          spec: spec as never,
          pipeline: options.pipeline,
          name: options.name,
          tags: options.tag,
          requireGpu: options.gpu,
        });
        print(run, options.json, () => `Queued run ${run.id}`);
        if (options.watch) return watchRun(client, run.id);
      });
    },
  );

train
  .command("watch <id>")
  .description("follow a run: progress, stage, ETA, samples/s, latest metrics")
  .action((id: string) => withClient((client) => watchRun(client, id)));

train
  .command("cancel <id>")
  .description("cancel a queued or running training")
  .option("--json", "print JSON", false)
  .action((id: string, options: { json: boolean }) =>
    withClient(async (client) => {
      const result = await client.training.cancel.mutate({ id });
      print(result, options.json, () => `Run ${id}: ${result.status}${result.children ? ` (${result.children} child runs too)` : ""}`);
    }),
  );

/** One row of `train list`: the RMSE skills are signed, "-" before a run has a retrodiction result (or, for vs best, one that has no verdict). */
function listRow(cells: {
  id: string;
  status: string;
  done: string;
  vsNaive: string;
  vsBest: string;
  pipeline: string;
  name: string;
}): string {
  return `${cells.id.padEnd(36)}  ${cells.status.padEnd(10)} ${cells.done.padStart(4)}  ${cells.vsNaive.padStart(8)}  ${cells.vsBest.padStart(7)}  ${cells.pipeline.padEnd(21)}  ${cells.name}`.trimEnd();
}

/** `train list --sort` columns, as the API sorts them. */
const listSorts = {
  created: { by: "createdAt", direction: "desc" },
  "vs-naive": { by: "skill", direction: "desc" },
  "vs-best": { by: "skillVsBest", direction: "desc" },
} as const;

train
  .command("list")
  .description("list trainings, newest first, with their RMSE skill against the naive forecast and the best classical baseline")
  .option("--status <status...>", "QUEUED RUNNING CANCELLING CANCELLED SUCCEEDED FAILED")
  .option("--tag <tag...>", "runs carrying all these tags")
  .option("--limit <n>", "how many", "50")
  .addOption(
    new Option(
      "--sort <column>",
      "created: newest first; vs-naive, vs-best: best RMSE skill against the naive forecast, or the best classical baseline, first (runs without one last)",
    ).choices(Object.keys(listSorts)),
  )
  .addOption(new Option("--best", "the same as --sort vs-naive").default(false).conflicts("sort"))
  .option("--json", "print JSON", false)
  .action((options: { status?: string[]; tag?: string[]; limit: string; sort?: keyof typeof listSorts; best: boolean; json: boolean }) =>
    withClient(async (client) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit ${options.limit}: use a whole number from 1 to 500`);
      const { runs } = await client.training.list.query({
        status: options.status?.map((s) => s.toUpperCase()) as never,
        tags: options.tag,
        sort: listSorts[options.best ? "vs-naive" : (options.sort ?? "created")],
        limit,
      });
      print(runs, options.json, () => {
        if (!runs.length) return "No runs.";
        const header = listRow({
          id: "id",
          status: "status",
          done: "done",
          vsNaive: "vs naive",
          vsBest: "vs best",
          pipeline: "pipeline",
          name: "name",
        });
        const rows = runs.map((r) => {
          const result = runResult(r.resultSummary);
          return listRow({
            id: r.id,
            status: String(r.status),
            done: `${Number(r.percent).toFixed(0)}%`,
            vsNaive: signedPercent(result?.skillVsNaive),
            vsBest: signedPercent(result?.skillVsBest),
            pipeline: r.pipeline,
            name: r.name ?? "",
          });
        });
        return [header, ...rows].join("\n");
      });
    }),
  );

train
  .command("replay <id>")
  .description(
    "predict a finished run's retrodiction again here with its saved model(s); exit 1 when a window differs from the run's numbers",
  )
  .option("--backend <names...>", "backends to try, best first (tensorflow webgpu wasm cpu)")
  .option("--tolerance <fraction>", "largest relative RMSE difference per window", "0.005")
  .option("--json", "print JSON", false)
  .action((id: string, options: { backend?: string[]; tolerance: string; json: boolean }) =>
    withClient((client, credentials) => {
      const tolerance = Number(options.tolerance);
      if (!(tolerance >= 0)) throw new CliError(`--tolerance ${options.tolerance}: use a fraction such as 0.005 (0.5%)`);
      return replayRun(client, credentials, id, { backend: options.backend, tolerance, json: options.json });
    }),
  );

train
  .command("compare <ids...>")
  .description("parameters that differ, the last value of every metric, and the retrodiction against each classical baseline, side by side")
  .option("--json", "print JSON", false)
  .action((ids: string[], options: { json: boolean }) =>
    withClient(async (client) => {
      if (ids.length < 2) throw new CliError("compare needs at least two run ids");
      const result = await client.compare.runs.query({ ids });
      print(result, options.json, () => {
        const text = (v: unknown) => String(v ?? "-");
        const rows: [string, string[]][] = [];
        for (const [key, values] of Object.entries(result.differing)) rows.push([key, values.map(text)]);
        for (const [key, values] of Object.entries(result.metrics))
          rows.push([`${key} (last)`, values.map((v) => text(v?.last.toPrecision(4)))]);
        // The retrodiction against the classical baselines: "-" where a run has no result, or stored one before a baseline existed.
        const results = result.runs.map((run) => runResult(run.resultSummary));
        rows.push(["RMSE", results.map((r) => precision(r?.rmse))]);
        for (const name of baselineNames) rows.push([`${baselineTitles[name]} RMSE`, results.map((r) => precision(r?.baselineRmse[name]))]);
        rows.push(["skill vs naive", results.map((r) => signedPercent(r?.skillVsNaive))]);
        rows.push(["skill vs best", results.map((r) => signedPercent(r?.skillVsBest))]);
        // Columns as wide as their longest entry (a long param value only pushes its own row), at least 28 and 14.
        const labelWidth = Math.max(28, ...rows.map(([label]) => label.length + 2));
        const cellWidth = Math.min(32, Math.max(14, ...rows.flatMap(([, cells]) => cells.map((c) => c.length + 2))));
        const line = (label: string, cells: string[]) =>
          `${label.padEnd(labelWidth)}${cells.map((c) => c.padEnd(cellWidth)).join("")}`.trimEnd();
        const lines = [
          line(
            "",
            ids.map((id) => id.slice(0, 8)),
          ),
          ...rows.map(([label, cells]) => line(label, cells)),
          "verdict",
        ];
        for (const [i, run] of result.runs.entries()) lines.push(`  ${run.id.slice(0, 8)}  ${verdictLine(results[i] ?? null)}`);
        return lines.join("\n");
      });
    }),
  );

const datasets = program.command("datasets").description("datasets");
datasets
  .command("list")
  .option("--json", "print JSON", false)
  .action((options: { json: boolean }) =>
    withClient(async (client) => {
      const list = await client.datasets.list.query();
      print(list, options.json, () =>
        list
          .map(
            (d) =>
              `${d.name.padEnd(24)} ${d.frequency.padEnd(15)} ${d.start}..${d.end}  ${d.builtin ? "built-in" : "imported"}  ${d.columns.join(", ")}`,
          )
          .join("\n"),
      );
    }),
  );

datasets
  .command("import <csv>")
  .description("import a CSV file as a dataset: one date column and numeric columns (or long format with --pivot-by)")
  .option("--name <name>", "dataset name (default: the file name without .csv)")
  .option("--description <text>", "what the data is")
  .option("--date-column <column>", "the column holding dates (default: found by its values)")
  .option("--pivot-by <column>", "long format: the column whose values become variables")
  .addOption(new Option("--on-unsorted <what>", "rows out of date order").choices(["sort", "reject"]).default("sort"))
  .option("--json", "print JSON", false)
  .action(
    (
      file: string,
      options: { name?: string; description?: string; dateColumn?: string; pivotBy?: string; onUnsorted: "sort" | "reject"; json: boolean },
    ) =>
      withClient(async (client) => {
        const csv = readCsvFile(file);
        const { maxUploadCsvChars } = await client.datasets.limits.query();
        if (csv.length > maxUploadCsvChars) {
          throw new CliError(
            `${file} is larger than the server's limit of ${maxUploadCsvChars / 1_000_000} MB. Fix: split it into smaller files`,
          );
        }
        const name = options.name ?? path.basename(file).replace(/\.csv$/i, "");
        const result = await client.datasets.upload.mutate({
          name,
          csv,
          description: options.description,
          dateColumn: options.dateColumn,
          pivotBy: options.pivotBy,
          onUnsorted: options.onUnsorted,
        });
        print(result, options.json, () => [`Imported ${result.name}:`, ...result.summary.map((line) => `  ${line}`)].join("\n"));
      }),
  );

function readCsvFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Fix: check the path`);
  }
}

program
  .command("workers")
  .description("the worker fleet")
  .option("--json", "print JSON", false)
  .action((options: { json: boolean }) =>
    withClient(async (client) => {
      const workers = await client.workers.list.query();
      print(workers, options.json, () =>
        workers.length
          ? workers
              .map(
                (w) =>
                  `${w.hostname}:${w.pid}  ${w.status.padEnd(8)} ${w.backend.padEnd(10)} heartbeat ${w.heartbeatAgeSeconds.toFixed(1)}s ago  runs ${w.runIds.length}`,
              )
              .join("\n")
          : "No workers.",
      );
    }),
  );

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? ExitCode.ok : ExitCode.usage);
  }
  process.stderr.write(`hindcast: ${error instanceof CliError ? error.message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(error instanceof CliError ? error.exitCode : ExitCode.usage);
}
process.exit(exitCode);
