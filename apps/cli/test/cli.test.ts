import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { type ApiServer, createApiToken, hashPassword, startApiServer } from "@hindcast/api";
import { NotificationHub, prepareDatabase, projectRoot } from "@hindcast/db";
import { baselineNames, verdictText } from "@hindcast/models";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test-support/database.js";
import { startWorkerProcess, stopWorker, type WorkerProcess } from "../../../test-support/worker-process.js";

const bin = path.join(projectRoot, "apps", "cli", "bin", "hindcast.mjs");
let db: TestDatabase;
let pool: pg.Pool;
let api: ApiServer;
let hub: NotificationHub;
let worker: WorkerProcess;
let dir: string;
let env: Record<string, string>;

function hindcast(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: projectRoot, env: { ...process.env, ...env, ...extraEnv } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `hindcast train watch <id>` on a pseudo-terminal (util-linux `script`), so Ctrl-C and the prompt work as for a person. */
function watchInTerminal(id: string) {
  // exec: without it a non-bash $SHELL (dash) stays between script and the CLI, and dies of the SIGINT itself.
  const command = `exec ${[process.execPath, bin, "train", "watch", id].map((a) => `'${a}'`).join(" ")}`;
  const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: projectRoot, env: { ...process.env, ...env } });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return {
    output: () => output,
    type: (keys: string) => child.stdin.write(keys),
    exited: new Promise<number | null>((resolve) => child.on("close", resolve)),
  };
}

const longSpec = {
  data: { dataset: "sp500", target: "spx_close", transform: "logReturn" },
  train: { epochs: 500, patience: 0 },
  retrodiction: { windows: 1 },
};

async function runStatus(id: string): Promise<string | undefined> {
  return (await pool.query(`SELECT "status" FROM "Run" WHERE "id" = $1`, [id])).rows[0]?.status;
}

async function specFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

beforeAll(async () => {
  db = await createTestDatabase("cli");
  await prepareDatabase(db.url);
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  hub = new NotificationHub(db.url);
  await hub.start();
  api = await startApiServer(pool, { hub });
  dir = await mkdtemp(path.join(os.tmpdir(), "hindcast-cli-"));
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "User" ("id", "email", "role", "passwordHash") VALUES (gen_random_uuid(), 'op@example.com', 'OPERATOR', $1) RETURNING "id"`,
    [await hashPassword("operator password")],
  );
  const { token } = await createApiToken(pool, (rows[0] as { id: string }).id, "cli tests");
  env = { HINDCAST_CONFIG_DIR: path.join(dir, "config"), HINDCAST_SERVER: api.url, LOG_LEVEL: "warn" };
  const login = await hindcast(["login", "--token", token]);
  expect(login.stdout, login.stderr).toMatch(/Logged in to .* as op@example.com \(operator\)/);
  worker = await startWorkerProcess(db.url, path.join(dir, "artifacts"));
});

afterAll(async () => {
  if (worker) await stopWorker(worker);
  await api?.close();
  await hub?.close();
  await pool?.end();
  await db?.drop();
});

describe("hindcast CLI against a running server", () => {
  it("starts a training with --watch and follows it to SUCCEEDED (exit 0)", async () => {
    const file = await specFile(
      "seattle.yaml",
      "data:\n  dataset: seattle_weather\n  target: temp_max\ntrain:\n  epochs: 2\nretrodiction:\n  windows: 2\n  batchSizeDays: 30\n",
    );
    const result = await hindcast(["train", "start", file, "--set", "train.refitEpochs=1", "--tag", "cli", "--watch"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Queued run [0-9a-f-]{36}/);
    expect(result.stdout).toMatch(/SUCCEEDED .*100\.0%/);
    expect(result.stdout).toMatch(/RMSE \d.* vs naive \d/);

    // A server without live updates (no LISTEN hub): watch falls back to polling and still ends.
    const id = /Queued run ([0-9a-f-]{36})/.exec(result.stdout)?.[1] as string;
    const plain = await startApiServer(pool);
    try {
      const polled = await hindcast(["--server", plain.url, "train", "watch", id]);
      expect(polled.code, polled.stderr).toBe(0);
      expect(polled.stdout).toMatch(/SUCCEEDED .*100\.0%/);
    } finally {
      await plain.close();
    }
  });

  it("compares runs side by side", async () => {
    const second = await hindcast(["train", "start", path.join(dir, "seattle.yaml"), "--set", "train.epochs=3", "--json"]);
    expect(second.code, second.stderr).toBe(0);
    const listed = JSON.parse((await hindcast(["train", "list", "--json", "--limit", "2"])).stdout) as { id: string }[];
    const result = await hindcast(["train", "compare", ...listed.map((r) => r.id)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/train\.epochs\s+3\s+2/);
    expect((await hindcast(["train", "compare", listed[0]?.id ?? ""])).stderr).toMatch(/at least two run ids/);
  });

  it("lists runs as JSON for scripts", async () => {
    const result = await hindcast(["train", "list", "--tag", "cli", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const runs = JSON.parse(result.stdout) as { status: string; tags: string[]; params: Record<string, unknown> }[];
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs[0]).toMatchObject({ status: "SUCCEEDED", tags: ["cli"], params: { "train.refitEpochs": 1 } });
  });

  it("lists runs by their skill against the naive forecast, best first", async () => {
    const another = await hindcast([
      "train",
      "start",
      path.join(dir, "seattle.yaml"),
      "--set",
      "train.epochs=1",
      "--tag",
      "cli",
      "--watch",
    ]);
    expect(another.code, another.stderr).toBe(0);
    const result = await hindcast(["train", "list", "--tag", "cli", "--status", "succeeded", "--best"]);
    expect(result.code, result.stderr).toBe(0);
    const [header, ...rows] = result.stdout.trim().split("\n");
    expect(header).toMatch(/^id\s+status\s+done\s+vs naive\s+vs best\s+pipeline\s+name$/);
    const skills = rows.map((line) => Number(line.match(/%\s+([+-]?\d+\.\d)%\s/)?.[1]));
    expect(skills.length).toBeGreaterThanOrEqual(2);
    expect(skills.every(Number.isFinite), result.stdout).toBe(true);
    expect(skills).toEqual([...skills].sort((a, b) => b - a));
  });

  it("replays a finished run with its saved model on this machine, to the run's numbers", async () => {
    const [run] = JSON.parse((await hindcast(["train", "list", "--tag", "cli", "--status", "succeeded", "--json"])).stdout) as {
      id: string;
    }[];
    const id = run?.id as string;
    const result = await hindcast(["train", "replay", id, "--backend", "wasm"]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    // These runs refit before each window: only the last window's model was saved.
    expect(result.stdout).toMatch(new RegExp(`Replayed 1 of 2 windows of ${id} on wasm`));
    expect(result.stdout).toMatch(/only that one is replayed/);
    expect(result.stdout).toMatch(/Every window within 0\.50% of the run's numbers/);
    expect(result.stdout).toMatch(/\nVerdict: (beats every classical baseline; the best, .+, by|.+ beats it by) \d+\.\d% RMSE\n/);
    const json = JSON.parse((await hindcast(["train", "replay", id, "--backend", "wasm", "--json"])).stdout) as {
      reproduced: boolean;
      windows: { difference: number; window: { index: number } }[];
    };
    expect(json.reproduced).toBe(true);
    expect(json.windows).toHaveLength(1);
    expect(json.windows[0]?.window.index).toBe(1);
    expect(json.windows[0]?.difference).toBeLessThanOrEqual(0.005);
    const bad = await hindcast(["train", "replay", id, "--tolerance", "lots"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tolerance lots: use a fraction/);
  });

  it("judges runs against every classical baseline in watch, list and compare; older runs show - where they stored nothing", async () => {
    const file = await specFile(
      "baselines.yaml",
      "data:\n  dataset: seattle_weather\n  target: temp_max\ntrain:\n  epochs: 2\nretrodiction:\n  windows: 2\n  batchSizeDays: 30\n",
    );
    const watched = await hindcast(["train", "start", file, "--tag", "baselines", "--name", "vs baselines", "--watch"]);
    expect(watched.code, watched.stderr).toBe(0);
    const id = /Queued run ([0-9a-f-]{36})/.exec(watched.stdout)?.[1] as string;
    expect(watched.stdout).toMatch(/RMSE \d\S* vs naive \d\S* \([+-]?\d+\.\d%\)\nVerdict: /);

    // --json: the verdict as the run stored it.
    const [run] = JSON.parse((await hindcast(["train", "list", "--tag", "baselines", "--json"])).stdout) as {
      id: string;
      resultSummary: {
        overall: { skill: { rmseVsNaive: number; rmseVsBest: number } };
        baselines: Record<string, number | null>;
        verdict: { best: string; bestLabel: string; skillVsBest: number; beatsAll: boolean };
      };
    }[];
    expect(run?.id).toBe(id);
    const summary = run?.resultSummary as NonNullable<typeof run>["resultSummary"];
    expect(baselineNames).toContain(summary.verdict.best);
    expect(summary.verdict).toMatchObject({ bestLabel: expect.any(String), beatsAll: summary.verdict.skillVsBest > 0 });
    expect(summary.overall.skill.rmseVsBest).toBe(summary.verdict.skillVsBest);
    expect(watched.stdout).toContain(`Verdict: ${verdictText(summary.verdict)}\n`);

    // A run stored before the classical baselines: only the naive ones, no vs best, no verdict.
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO "Run" ("id", "status", "pipeline", "spec", "params", "tags", "percent", "resultSummary", "updatedAt")
         SELECT gen_random_uuid(), 'SUCCEEDED', "pipeline", "spec", "params", ARRAY['baselines'], 100, $2::jsonb, now() FROM "Run" WHERE "id" = $1
         RETURNING "id"`,
      [
        id,
        JSON.stringify({
          overall: { rmse: 2.5, skill: { rmseVsNaive: 0.1, rmseVsSeasonalNaive: 0.2 } },
          baselines: { naiveRmse: 2.78, seasonalNaiveRmse: 3.1 },
        }),
      ],
    );
    const old = rows[0]?.id as string;

    const percent = (skill: number) => `${skill > 0 ? "+" : ""}${(skill * 100).toFixed(1)}%`;
    const listed = await hindcast(["train", "list", "--tag", "baselines"]);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^id\s+status\s+done\s+vs naive\s+vs best\s+pipeline\s+name$/);
    const vsBestColumn = (lines[0] as string).indexOf("vs best") + "vs best".length;
    const line = (runId: string) => lines.find((l) => l.startsWith(runId)) as string;
    const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    expect(line(id)).toMatch(
      new RegExp(
        `100%\\s+${escaped(percent(summary.overall.skill.rmseVsNaive))}\\s+${escaped(percent(summary.verdict.skillVsBest))}\\s+retrodiction\\s+vs baselines$`,
      ),
    );
    // The vs best number sits under its header.
    expect(line(id).slice(0, vsBestColumn).endsWith(percent(summary.verdict.skillVsBest))).toBe(true);
    expect(line(old)).toMatch(/100%\s+\+10\.0%\s+-\s+retrodiction$/);
    // Newest first by default; --sort vs-best puts the run without a verdict last.
    const ids = (stdout: string) =>
      stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.slice(0, 36));
    expect(ids(listed.stdout)).toEqual([old, id]);
    const sorted = await hindcast(["train", "list", "--tag", "baselines", "--sort", "vs-best"]);
    expect(sorted.code, sorted.stderr).toBe(0);
    expect(ids(sorted.stdout)).toEqual([id, old]);
    expect((await hindcast(["train", "list", "--best", "--sort", "vs-best"])).code).toBe(2);

    const compared = await hindcast(["train", "compare", id, old]);
    expect(compared.code, compared.stderr).toBe(0);
    const row = (label: string) =>
      compared.stdout
        .split("\n")
        .find((l) => l.startsWith(`${label}  `))
        ?.slice(label.length)
        .trim()
        .split(/\s+/);
    expect(row("RMSE")?.[0]).toMatch(/^\d/);
    expect(row("RMSE")?.[1]).toBe("2.500");
    expect(row("Naive RMSE")).toEqual([summary.baselines.naiveRmse?.toPrecision(4), "2.780"]);
    expect(row("Seasonal naive RMSE")?.[1]).toBe("3.100");
    for (const [title, key] of [
      ["AR RMSE", "arRmse"],
      ["ARIMA RMSE", "arimaRmse"],
      ["ETS RMSE", "etsRmse"],
      ["Theta RMSE", "thetaRmse"],
    ] as const) {
      expect(row(title), compared.stdout).toEqual([summary.baselines[key]?.toPrecision(4) ?? "-", "-"]);
    }
    expect(row("skill vs naive")).toEqual([percent(summary.overall.skill.rmseVsNaive), "+10.0%"]);
    expect(row("skill vs best")).toEqual([percent(summary.verdict.skillVsBest), "-"]);
    expect(compared.stdout).toContain(`verdict\n  ${id.slice(0, 8)}  ${verdictText(summary.verdict)}\n  ${old.slice(0, 8)}  no verdict`);
  });

  it("cancels a running training; watching it then exits 1", async () => {
    const file = await specFile("long.json", JSON.stringify(longSpec));
    const started = await hindcast(["train", "start", file, "--json"]);
    expect(started.code, started.stderr).toBe(0);
    const { id } = JSON.parse(started.stdout) as { id: string };
    await expect.poll(() => runStatus(id), { timeout: 60_000 }).toBe("RUNNING");
    const cancelled = await hindcast(["train", "cancel", id]);
    expect(cancelled.stdout).toMatch(new RegExp(`Run ${id}: CANCELLING`));
    const watched = await hindcast(["train", "watch", id]);
    expect(watched.code).toBe(1);
    expect(watched.stdout).toMatch(/CANCELLED/);
    const replay = await hindcast(["train", "replay", id]);
    expect(replay.code).toBe(2);
    expect(replay.stderr.trim()).toMatch(new RegExp(`^hindcast: Run ${id} is CANCELLED; replay needs a run that SUCCEEDED$`));
  });

  it("Ctrl-C while watching in a terminal asks: y cancels the run and follows it to CANCELLED, n only stops watching", async () => {
    const file = await specFile("long-watch.json", JSON.stringify(longSpec));
    const startRun = async () => {
      const { id } = JSON.parse((await hindcast(["train", "start", file, "--json"])).stdout) as { id: string };
      await expect.poll(() => runStatus(id), { timeout: 60_000 }).toBe("RUNNING");
      return id;
    };

    const cancelled = await startRun();
    const yes = watchInTerminal(cancelled);
    await expect.poll(() => yes.output(), { timeout: 20_000 }).toMatch(/RUNNING/);
    yes.type("\x03");
    await expect.poll(() => yes.output(), { timeout: 20_000 }).toMatch(/Cancel the run too\? \[y\/N\]/);
    yes.type("y\r");
    expect(await yes.exited).toBe(1);
    expect(yes.output()).toMatch(/Cancelling .* \(CANCELLING\)/);
    expect(yes.output()).toMatch(/CANCELLED/);
    expect(await runStatus(cancelled)).toBe("CANCELLED");

    const kept = await startRun();
    const no = watchInTerminal(kept);
    await expect.poll(() => no.output(), { timeout: 20_000 }).toMatch(/RUNNING/);
    no.type("\x03");
    await expect.poll(() => no.output(), { timeout: 20_000 }).toMatch(/Cancel the run too\?/);
    no.type("n\r");
    expect(await no.exited).toBe(0);
    expect(no.output()).toMatch(new RegExp(`Stopped watching; the run goes on. Follow it again with: hindcast train watch ${kept}`));
    expect(await runStatus(kept)).toBe("RUNNING");
    await hindcast(["train", "cancel", kept]);
  });

  it("reports every error of a bad spec file with its path and line, before sending anything (exit 2)", async () => {
    const before = (await pool.query(`SELECT count(*)::int AS n FROM "Run"`)).rows[0]?.n;
    const file = await specFile(
      "bad.yaml",
      "data:\n  dataset: seattle_weather\n  target: temp_max\ntrain:\n  epochs: -3\nmodel:\n  kind: transformer\n",
    );
    const result = await hindcast(["train", "start", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:5: train\.epochs: /);
    expect(result.stderr).toMatch(/bad\.yaml:7: model\.kind: /);
    const broken = await hindcast(["train", "start", await specFile("broken.yaml", "data: [unclosed\n")]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.yaml:\d+:\d+: /);
    expect((await hindcast(["train", "start", path.join(dir, "missing.yaml")])).stderr).toMatch(/Cannot read spec file/);
    const good = await specFile("good.yaml", "data:\n  dataset: seattle_weather\n  target: temp_max\n");
    const typo = await hindcast(["train", "start", good, "--set", "train.epocs=3"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--set train\.epocs: "epocs" is not a field of train; use one of .*epochs/);
    expect((await hindcast(["train", "start", good, "--set", "__proto__.x=1"])).stderr).toMatch(
      /--set __proto__\.x: "__proto__" is not a spec field/,
    );
    expect((await pool.query(`SELECT count(*)::int AS n FROM "Run"`)).rows[0]?.n).toBe(before);
  });

  it("says in one line when the server is unreachable or the token is bad", async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const down = await hindcast(["train", "list"], { HINDCAST_SERVER: `http://127.0.0.1:${closed}/api/trpc` });
    expect(down.code).toBe(2);
    expect(down.stderr.trim().split("\n")).toHaveLength(1);
    expect(down.stderr).toMatch(
      new RegExp(`Cannot reach the Hindcast server at http://127\\.0\\.0\\.1:${closed}/api/trpc \\(connection refused\\)\\. Fix: `),
    );
    const bad = await hindcast(["train", "list"], { HINDCAST_TOKEN: "hc_not_a_token" });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^hindcast: The server at .* rejected the API token\. Fix: hindcast login/);
  });

  it("logs in with email and password, storing a fresh token", async () => {
    const configDir = path.join(dir, "config-email");
    const wrong = await hindcast(["login", "--email", "op@example.com"], { HINDCAST_CONFIG_DIR: configDir, HINDCAST_PASSWORD: "nope" });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toMatch(/^hindcast: Wrong email or password for op@example\.com at .*\. Fix: /);
    const ok = await hindcast(["login", "--email", "op@example.com"], {
      HINDCAST_CONFIG_DIR: configDir,
      HINDCAST_PASSWORD: "operator password",
    });
    expect(ok.stdout, ok.stderr).toMatch(/Logged in to .* as op@example\.com \(operator\)/);
    const list = await hindcast(["train", "list", "--json"], { HINDCAST_CONFIG_DIR: configDir });
    expect(list.code, list.stderr).toBe(0);
  });

  it("imports a CSV as a dataset, says what it rejected, and names a missing file", async () => {
    const csv = await specFile("harbour.csv", "date,level,temp\n2024-01-01,1.5,3\n2024-01-02,1.7,x\n2024-01-03,1.6,4\n2024-01-03,1.9,5\n");
    const imported = await hindcast(["datasets", "import", csv, "--description", "tide gauge"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Imported harbour:/);
    expect(imported.stdout).toMatch(/duplicate date/);
    const listed = JSON.parse((await hindcast(["datasets", "list", "--json"])).stdout) as { name: string; columns: string[] }[];
    expect(listed).toContainEqual(expect.objectContaining({ name: "harbour", columns: ["level", "temp"] }));

    const missing = await hindcast(["datasets", "import", path.join(dir, "nope.csv")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`hindcast: Cannot read ${path.join(dir, "nope.csv")} (ENOENT). Fix: check the path`);

    const builtin = await hindcast(["datasets", "import", csv, "--name", "seattle_weather"]);
    expect(builtin.code).toBe(2);
    expect(builtin.stderr).toMatch(/built-in dataset; choose another name/);
  });

  it("lists datasets and workers", async () => {
    const datasets = await hindcast(["datasets", "list"]);
    expect(datasets.stdout).toMatch(/seattle_weather\s+daily/);
    const workers = JSON.parse((await hindcast(["workers", "--json"])).stdout) as { backend: string; status: string }[];
    expect(workers).toContainEqual(expect.objectContaining({ backend: "wasm", status: "ONLINE" }));
  });
});
