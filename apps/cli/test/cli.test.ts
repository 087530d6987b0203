import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { type ApiServer, createApiToken, hashPassword, startApiServer } from "@hindcast/api";
import { archiveRuns, projectRoot } from "@hindcast/db";
import { seedRuns } from "@hindcast/db/runs/seed";
import { baselineNames, verdictText } from "@hindcast/models";
import { dbTest, longSpec, spawnWorker, stopWorker, type WorkerProcess } from "@hindcast/test-support";
import type pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

const bin = path.join(projectRoot, "apps", "cli", "bin", "hindcast.mjs");
let pool: pg.Pool;
let api: ApiServer;
let worker: WorkerProcess;
let dir: string;
let env: Record<string, string>;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What a process printed, once it has exited and closed its output. */
function outcome(child: ChildProcessWithoutNullStreams): Promise<Outcome> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function hindcast(args: string[], extraEnv: Record<string, string> = {}): Promise<Outcome> {
  return outcome(spawn(process.execPath, [bin, ...args], { cwd: projectRoot, env: { ...process.env, ...env, ...extraEnv } }));
}

/** What a pipe holds in `hindcastPiped`: an exit that does not wait for its reader loses what does not fit. */
const pipeBytes = 4096;

/**
 * Runs a command with its stdout on a pipe that holds only `pipeBytes`
 * (Linux F_SETPIPE_SZ, set before the command starts) and is read only after
 * a second: a slow reader, as `| cat > file` or a script can be.
 */
const slowPipe = `import fcntl, os, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(w, 1031, ${pipeBytes})  # F_SETPIPE_SZ
child = subprocess.Popen(sys.argv[1:], stdout=w)
os.close(w)
time.sleep(1)
with os.fdopen(r, "rb") as pipe:
    sys.stdout.buffer.write(pipe.read())
sys.exit(child.wait())`;

/** `hindcast ...args` writing into a small pipe that a slow process reads: everything it printed, as that reader got it. */
function hindcastPiped(args: string[]): Promise<Outcome> {
  return outcome(spawn("python3", ["-c", slowPipe, process.execPath, bin, ...args], { cwd: projectRoot, env: { ...process.env, ...env } }));
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

async function runStatus(id: string): Promise<string | undefined> {
  return (await pool.query(`SELECT "status" FROM "Run" WHERE "id" = $1`, [id])).rows[0]?.status;
}

/**
 * The cells of `train compare`'s table, cut where its header puts each
 * column, so a value that ran into its neighbour would not be found.
 */
function compareTable(stdout: string) {
  const [header = "", ...lines] = stdout.split("\n");
  const starts = [...header.matchAll(/\S+/g)].map((m) => m.index);
  const rows = lines.slice(0, lines.indexOf("verdict")).map((line) => starts.map((start, i) => line.slice(start, starts[i + 1]).trim()));
  return {
    rows,
    /** The run columns of the row with this label and stat. */
    cells: (label: string, stat: string) => rows.find((row) => row[0] === label && row[1] === stat)?.slice(3) ?? [],
  };
}

async function specFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

dbTest.beforeAll(async ({ db, pool: migrated, hub, tempDir }) => {
  pool = migrated;
  api = await startApiServer(pool, { hub });
  dir = tempDir;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "User" ("id", "email", "role", "passwordHash") VALUES (gen_random_uuid(), 'op@example.com', 'OPERATOR', $1) RETURNING "id"`,
    [await hashPassword("operator password")],
  );
  const { token } = await createApiToken(pool, (rows[0] as { id: string }).id, "cli tests");
  env = { HINDCAST_CONFIG_DIR: path.join(dir, "config"), HINDCAST_SERVER: api.url, LOG_LEVEL: "warn" };
  const login = await hindcast(["login", "--token", token]);
  expect(login.stdout, login.stderr).toMatch(/Logged in to .* as op@example.com \(operator\)/);
  worker = await spawnWorker(db.url, path.join(dir, "artifacts"));
});

afterAll(async () => {
  if (worker) await stopWorker(worker);
  await api?.close();
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
      // The 8 characters the CLI prints name the run as well as its whole id.
      const polled = await hindcast(["--server", plain.url, "train", "watch", id.slice(0, 8)]);
      expect(polled.code, polled.stderr).toBe(0);
      expect(polled.stdout).toMatch(/SUCCEEDED .*100\.0%/);
    } finally {
      await plain.close();
    }
  });

  it("compares runs side by side by the 8-character ids it prints: a table of params, retrodiction headline and last/min/max", async () => {
    const second = await hindcast([
      "train",
      "start",
      path.join(dir, "seattle.yaml"),
      "--set",
      "train.epochs=3",
      "--experiment",
      "cli compare",
      "--watch",
    ]);
    expect(second.code, second.stderr).toBe(0);
    const secondId = /Queued run ([0-9a-f-]{36})/.exec(second.stdout)?.[1] as string;
    expect(
      (await pool.query(`SELECT e."name" FROM "Run" r JOIN "Experiment" e ON e."id" = r."experimentId" WHERE r."id" = $1`, [secondId]))
        .rows,
    ).toEqual([{ name: "cli compare" }]);
    const listed = JSON.parse((await hindcast(["train", "list", "--json", "--limit", "2"])).stdout) as {
      id: string;
      resultSummary: { overall: { rmse: number; skill: { rmseVsNaive: number } }; verdict: { bestLabel: string } };
    }[];
    const short = listed.map((r) => r.id.slice(0, 8));
    const result = await hindcast(["train", "compare", ...short]);
    expect(result.code, result.stderr).toBe(0);
    const [header] = result.stdout.split("\n");
    expect(header).toMatch(new RegExp(`^metric\\s+stat\\s+better\\s+${short[0]}\\s+${short[1]}$`));
    const table = compareTable(result.stdout);
    expect(table.cells("train.epochs", "param")).toEqual(["3", "2"]);
    // The retrodiction's headline, as train list shows it, over every window.
    const [newer, older] = listed as [(typeof listed)[number], (typeof listed)[number]];
    expect(table.cells("RMSE", "all windows")).toEqual([newer, older].map((r) => r.resultSummary.overall.rmse.toPrecision(4)));
    expect(table.cells("Skill vs naive (RMSE)", "all windows")).toEqual(
      [newer, older].map(
        (r) =>
          `${r.resultSummary.overall.skill.rmseVsNaive > 0 ? "+" : ""}${(r.resultSummary.overall.skill.rmseVsNaive * 100).toFixed(1)}%`,
      ),
    );
    expect(table.cells("best baseline", "all windows")).toEqual([newer, older].map((r) => r.resultSummary.verdict.bestLabel));
    // Every metric by last, min and max, each value in its own column.
    for (const stat of ["last", "min", "max"]) {
      const cells = table.cells("train_loss", stat);
      expect(cells, `train_loss ${stat}\n${result.stdout}`).toHaveLength(2);
      for (const value of cells) expect(Number(value), `${stat}: ${value}`).toBeGreaterThan(0);
    }
    const loss = (stat: string) => table.cells("train_loss", stat).map(Number);
    for (const i of [0, 1]) {
      expect(loss("min")[i]).toBeLessThanOrEqual(loss("last")[i] as number);
      expect(loss("max")[i]).toBeGreaterThanOrEqual(loss("last")[i] as number);
    }
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
    expect(header).toMatch(/^id\s+status\s+done\s+Skill vs naive\s+Skill vs best baseline\s+pipeline\s+name$/);
    const skills = rows.map((line) => Number(line.match(/%\s+([+-]?\d+\.\d)%\s/)?.[1]));
    expect(skills.length).toBeGreaterThanOrEqual(2);
    expect(skills.every(Number.isFinite), result.stdout).toBe(true);
    expect(skills).toEqual([...skills].sort((a, b) => b - a));
  });

  it("groups runs by a spec key: each group's count, and each metric's mean ± std and best", async () => {
    const result = await hindcast(["groups", "--by", "model.kind", "--tag", "cli", "--metric", "skill_vs_naive", "val_loss:min"]);
    expect(result.code, result.stderr).toBe(0);
    const [header, row] = result.stdout.trim().split("\n");
    expect(header).toMatch(/^model\.kind\s+runs\s+skill_vs_naive mean ± std\s+best\s+val_loss:min mean ± std\s+best$/);
    expect(row).toMatch(/^linear\s+\d+\s+[+-]?\d+\.\d% ± \d+\.\d%\s+[+-]?\d+\.\d%\s+\d\.\d{3}/);
    const json = JSON.parse((await hindcast(["groups", "--by", "model.kind", "--tag", "cli", "--json"])).stdout);
    expect(json).toMatchObject({ groupBy: "param:model.kind", groups: [{ value: "linear" }], more: false });
    const bad = await hindcast(["groups", "--by", "model.nope"]);
    expect(bad.stderr).toMatch(/groupBy.*"nope" is not a field of model/);
  });

  it("replays a finished run with its saved model on this machine, to the run's numbers", async () => {
    const [run] = JSON.parse((await hindcast(["train", "list", "--tag", "cli", "--status", "succeeded", "--json"])).stdout) as {
      id: string;
    }[];
    const id = run?.id as string;
    const result = await hindcast(["train", "replay", id.slice(0, 8), "--backend", "wasm"]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    // These runs refit before each window: only the last window's model was saved.
    expect(result.stdout).toMatch(new RegExp(`Replayed 1 of 2 windows of ${id} on wasm`));
    expect(result.stdout).toMatch(/only that one is replayed/);
    expect(result.stdout).toMatch(/Every window within 0\.50% of the run's numbers/);
    // Its overall numbers cover the one window replayed, not the run's two: they say so.
    expect(result.stdout).toMatch(/\nRMSE over the 1 window replayed \(of 2\): \d\S* \(naive \d\S*\)\. /);
    expect(result.stdout).not.toMatch(/Overall RMSE/);
    expect(result.stdout).toMatch(
      /\nVerdict over the 1 window replayed \(of 2\): (beats every classical baseline; the best, .+, by|.+ beats it by) \d+\.\d% RMSE\n/,
    );
    const json = JSON.parse((await hindcast(["train", "replay", id, "--backend", "wasm", "--json"])).stdout) as {
      reproduced: boolean;
      runWindows: number;
      windows: { difference: number; window: { index: number } }[];
      overReplayedWindows: { windowCount: number; rmse: number };
    };
    expect(json.reproduced).toBe(true);
    expect(json).toMatchObject({ runWindows: 2, overReplayedWindows: { windowCount: 1, rmse: expect.any(Number) } });
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
    const copied = (await pool.query(`SELECT "pipeline", "spec", "params" FROM "Run" WHERE "id" = $1`, [id])).rows[0];
    const [old] = (await seedRuns(pool, [
      {
        ...copied,
        status: "SUCCEEDED",
        tags: ["baselines"],
        percent: 100,
        resultSummary: {
          overall: { rmse: 2.5, skill: { rmseVsNaive: 0.1, rmseVsSeasonalNaive: 0.2 } },
          baselines: { naiveRmse: 2.78, seasonalNaiveRmse: 3.1 },
        },
      },
    ])) as [string];

    const percent = (skill: number) => `${skill > 0 ? "+" : ""}${(skill * 100).toFixed(1)}%`;
    const listed = await hindcast(["train", "list", "--tag", "baselines"]);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^id\s+status\s+done\s+Skill vs naive\s+Skill vs best baseline\s+pipeline\s+name$/);
    const vsBestColumn = (lines[0] as string).indexOf("Skill vs best baseline") + "Skill vs best baseline".length;
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
    const table = compareTable(compared.stdout);
    const row = (label: string) => table.cells(label, "all windows");
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
    expect(row("Skill vs naive (RMSE)")).toEqual([percent(summary.overall.skill.rmseVsNaive), "+10.0%"]);
    expect(row("Skill vs best baseline (RMSE)")).toEqual([percent(summary.verdict.skillVsBest), "-"]);
    expect(row("best baseline")).toEqual([summary.verdict.bestLabel, "-"]);
    expect(table.cells("name", "run")).toEqual(["vs baselines", "-"]);
    expect(compared.stdout).toContain(`verdict\n  ${id.slice(0, 8)}  ${verdictText(summary.verdict)}\n  ${old.slice(0, 8)}  no verdict`);
  });

  it("cancels a running training; watching it then exits 1", async () => {
    const file = await specFile("long.json", JSON.stringify(longSpec(500)));
    const started = await hindcast(["train", "start", file, "--json"]);
    expect(started.code, started.stderr).toBe(0);
    const { id } = JSON.parse(started.stdout) as { id: string };
    await expect.poll(() => runStatus(id), { timeout: 60_000 }).toBe("RUNNING");
    const cancelled = await hindcast(["train", "cancel", id.slice(0, 8)]);
    expect(cancelled.stdout, cancelled.stderr).toMatch(new RegExp(`Run ${id}: CANCELLING`));
    const watched = await hindcast(["train", "watch", id]);
    expect(watched.code).toBe(1);
    expect(watched.stdout).toMatch(/CANCELLED/);
    const replay = await hindcast(["train", "replay", id]);
    expect(replay.code).toBe(2);
    expect(replay.stderr.trim()).toMatch(
      new RegExp(
        `^hindcast: Run ${id} is CANCELLED; replay needs a run that SUCCEEDED\\. Fix: wait for it to finish, or pick another run$`,
      ),
    );
  });

  it("Ctrl-C while watching in a terminal asks: y cancels the run and follows it to CANCELLED, n only stops watching", async () => {
    const file = await specFile("long-watch.json", JSON.stringify(longSpec(500)));
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
    expect(typo.stderr).toMatch(/--set train\.epocs: "epocs" is not a field of train \(did you mean epochs\?\); use one of .*epochs/);
    // Misspelled keys in the file are errors on their own lines, with the field they most likely meant.
    const misspelled = await specFile(
      "typos.yaml",
      "data:\n  dataset: seattle_weather\n  target: temp_max\ntrain:\n  epocs: 3\nmodel:\n  kind: linear\n  hidden: 32\n",
    );
    const typos = await hindcast(["train", "start", misspelled]);
    expect(typos.code).toBe(2);
    expect(typos.stderr).toMatch(/typos\.yaml:5: train: has no field "epocs" \(did you mean epochs\?\)/);
    expect(typos.stderr).toMatch(/typos\.yaml:8: model: has no field "hidden"; the fields of model \(kind linear\) are fit, kind/);
    // A bad value given by --set is blamed on the flag, not on the file.
    const badFlag = await hindcast(["train", "start", good, "--set", "train.epochs=abc"]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/^hindcast: --set train\.epochs=abc: train\.epochs: /m);
    expect(badFlag.stderr).not.toMatch(/good\.yaml/);
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
    // The dashboard's base address (what the Tokens page and `npm start` print) is the same server.
    const base = api.url.replace(/\/api\/trpc$/, "");
    for (const server of [base, `${base}/`, `${api.url}/`]) {
      const listed = await hindcast(["--server", server, "train", "list", "--json"]);
      expect(listed.code, `${server}: ${listed.stderr}`).toBe(0);
    }
    // An address where something else answers (an HTML page) is named as such, not as unreachable.
    const page = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><p>hello</p>"));
    await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
    const pageUrl = `http://127.0.0.1:${(page.address() as net.AddressInfo).port}`;
    const html = await hindcast(["--server", pageUrl, "train", "list"]);
    page.close();
    expect(html.code).toBe(2);
    expect(html.stderr.trim()).toMatch(new RegExp(`^hindcast: ${pageUrl}/api/trpc answered, but it is not a Hindcast API`));
    const noScheme = await hindcast(["--server", base.replace("http://", ""), "train", "list", "--json"]);
    expect(noScheme.code, noScheme.stderr).toBe(0);
    const notHttp = await hindcast(["--server", "ftp://127.0.0.1:3000", "train", "list"]);
    expect(notHttp.stderr.trim()).toMatch(/^hindcast: --server "ftp:\/\/127\.0\.0\.1:3000" is not an http\(s\) address/);
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
    expect(builtin.stderr).toMatch(/^hindcast: "\w+" is a built-in dataset\. Fix: choose another name$/m);
  });

  it("imports day-month-year dates in the format --date-format names when no row settles their order", async () => {
    const csv = await specFile("eu_levels.csv", "date,level\n01/02/2024,1.5\n02/02/2024,1.7\n");
    const unsettled = await hindcast(["datasets", "import", csv]);
    expect(unsettled.code).toBe(2);
    expect(unsettled.stderr).toMatch(/read both as month\/day and as day\/month \(lines 2, 3, .*the CLI's --date-format/);
    const unknown = await hindcast(["datasets", "import", csv, "--date-format", "YYYY/DD/MM"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toMatch(/^hindcast: dateFormat: use MM\/DD\/YYYY or DD\/MM\/YYYY/);
    const named = await hindcast(["datasets", "import", csv, "--date-format", "DD/MM/YYYY"]);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toMatch(/Dates read as DD\/MM\/YYYY \(as named\)/);
    const listed = JSON.parse((await hindcast(["datasets", "list", "--json"])).stdout) as { name: string; start: string; end: string }[];
    expect(listed).toContainEqual(expect.objectContaining({ name: "eu_levels", start: "2024-02-01", end: "2024-02-02" }));
  });

  it("lists datasets and workers", async () => {
    const datasets = await hindcast(["datasets", "list"]);
    expect(datasets.stdout).toMatch(/seattle_weather\s+daily/);
    const workers = JSON.parse((await hindcast(["workers", "--json"])).stdout) as { backend: string; status: string }[];
    expect(workers).toContainEqual(expect.objectContaining({ backend: "wasm", status: "ONLINE" }));
  });

  it("takes a unique id prefix wherever it takes a run id, and names the candidates of an ambiguous one", async () => {
    const twins = ["c0ffee00-aaaa-4000-8000-000000000001", "c0ffee00-bbbb-4000-8000-000000000002"];
    const dayAgo = new Date(Date.now() - 86_400_000);
    await seedRuns(
      pool,
      twins.map((id, i) => ({ id, name: `twin ${i + 1}`, status: "QUEUED", pipeline: "retrodiction", createdAt: dayAgo })),
    );
    const ambiguous = await hindcast(["train", "compare", "c0ffee00", "c0ffee00-bb"]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr.trim()).toBe(
      `hindcast: c0ffee00 matches 2 runs: ${twins[0]} (twin 1, QUEUED), ${twins[1]} (twin 2, QUEUED); give more of the id`,
    );
    const missing = await hindcast(["train", "watch", "0000dead"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe("hindcast: No run id starts with 0000dead");
    const bad = await hindcast(["train", "replay", "xyz"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^hindcast: run id xyz: use 4 to 36 characters of a run id/);
    const cancelled = await hindcast(["train", "cancel", "C0FFEE00-B", "--json"]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(await runStatus(twins[1] as string)).toBe("CANCELLED");
    expect(await runStatus(twins[0] as string)).toBe("QUEUED");
    await pool.query(`DELETE FROM "Run" WHERE "id" = ANY($1::uuid[])`, [twins]);
  });

  it("writes all of replay --json into a pipe that a slow process reads", async () => {
    // 20 one-day windows, one model for all of them (no refit): each is replayed, more JSON than the pipe holds.
    const file = await specFile(
      "many-windows.yaml",
      "data:\n  dataset: seattle_weather\n  target: temp_max\ntrain:\n  epochs: 1\n  refitEpochs: 0\nretrodiction:\n  windows: 20\n  batchSizeDays: 1\n",
    );
    const trained = await hindcast(["train", "start", file, "--watch"]);
    expect(trained.code, trained.stderr).toBe(0);
    const id = /Queued run ([0-9a-f-]{36})/.exec(trained.stdout)?.[1] as string;
    const replayed = await hindcastPiped(["train", "replay", id.slice(0, 8), "--backend", "wasm", "--json"]);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(Buffer.byteLength(replayed.stdout)).toBeGreaterThan(pipeBytes);
    const json = JSON.parse(replayed.stdout) as {
      id: string;
      reproduced: boolean;
      windows: unknown[];
      overReplayedWindows: { windowCount: number };
    };
    expect(json).toMatchObject({ id, reproduced: true, overReplayedWindows: { windowCount: 20 } });
    expect(json.windows).toHaveLength(20);
  });

  it("writes every byte of a long answer through a pipe, pages through every run with --all, and says when --limit cut a list", async () => {
    // 600 runs with long names and 60 long params each: megabytes of JSON, far more than a pipe's 64 KiB buffer.
    const twoDaysAgo = Date.now() - 2 * 86_400_000;
    const ids = await seedRuns(
      pool,
      Array.from({ length: 600 }, (_, index) => {
        const i = index + 1;
        const params = Array.from({ length: 60 }, (_, k) => [
          `param.${String(k + 1).padStart(2, "0")}`,
          `value ${i}.${k + 1} ${"x".repeat(40)}`,
        ]);
        return {
          name: `pipe run ${i}: ${"a rather long run name ".repeat(8)}`,
          status: "SUCCEEDED" as const,
          pipeline: "retrodiction",
          params: Object.fromEntries(params),
          tags: ["pipe"],
          percent: 100,
          createdAt: new Date(twoDaysAgo - i * 1000),
        };
      }),
    );
    const all = await hindcastPiped(["train", "list", "--tag", "pipe", "--all", "--json"]);
    expect(all.code, all.stderr).toBe(0);
    expect(Buffer.byteLength(all.stdout)).toBeGreaterThan(1_000_000);
    const listed = JSON.parse(all.stdout) as { id: string; name: string }[];
    expect(listed.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(listed[0]?.name).toMatch(/^pipe run 1: a rather long/);

    const compared = await hindcastPiped(["train", "compare", ...ids.slice(0, 20).map((id) => id.slice(0, 8)), "--json"]);
    expect(compared.code, compared.stderr).toBe(0);
    expect(Buffer.byteLength(compared.stdout)).toBeGreaterThan(65_536);
    const comparison = JSON.parse(compared.stdout) as { runs: { id: string }[]; differing: Record<string, string[]> };
    expect(comparison.runs.map((r) => r.id)).toEqual(ids.slice(0, 20));
    expect(Object.keys(comparison.differing)).toHaveLength(60);

    // A reader that stops early is no error of the CLI's.
    const head = await outcome(
      spawn("sh", ["-c", `'${process.execPath}' '${bin}' train list --tag pipe --all --json | head -c 100`], {
        cwd: projectRoot,
        env: { ...process.env, ...env },
      }),
    );
    expect(head.stdout).toHaveLength(100);
    expect(head.stderr).toBe("");

    const page = await hindcast(["train", "list", "--tag", "pipe"]);
    expect(page.code, page.stderr).toBe(0);
    const lines = page.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^id\s+status\s+done\s+Skill vs naive\s+Skill vs best baseline\s+pipeline\s+name$/);
    expect(lines.slice(1, -1)).toHaveLength(50);
    expect(lines.at(-1)).toBe("50 of 600 runs; --limit 500 or --all for more");
    expect((await hindcast(["train", "list", "--tag", "pipe", "--limit", "500"])).stdout.trim().split("\n").at(-1)).toBe(
      "500 of 600 runs; --all for more",
    );
    const everything = await hindcast(["train", "list", "--tag", "pipe", "--all"]);
    expect(everything.stdout.trim().split("\n")).toHaveLength(601);
    const conflict = await hindcast(["train", "list", "--all", "--limit", "5"]);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/--all.*cannot be used with.*--limit/);
    await pool.query(`DELETE FROM "Run" WHERE "id" = ANY($1::uuid[])`, [ids]);
  });

  it("archives runs, notes one and (as an admin, saying what it frees, asking unless --yes) deletes them by their id prefixes", async () => {
    const ids = await seedRuns(pool, [
      { pipeline: "retrodiction", status: "SUCCEEDED", name: "tidy a" },
      { pipeline: "retrodiction", status: "SUCCEEDED", name: "tidy b" },
    ]);
    await archiveRuns(pool, { ids: ids.slice(0, 1) });
    const prefixes = ids.map((id) => id.slice(0, 8));
    const archived = await hindcast(["archive", ...prefixes]);
    expect(archived.stdout, archived.stderr).toBe("Archived 1 of 2 runs (1 already archived)\n");
    expect((await hindcast(["note", prefixes[0] as string, "kept as the baseline"])).code).toBe(0);
    expect((await pool.query(`SELECT "note" FROM "Run" WHERE "id" = $1`, [ids[0]])).rows[0].note).toBe("kept as the baseline");

    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO "User" ("id", "email", "role", "passwordHash") VALUES (gen_random_uuid(), 'admin@example.com', 'ADMIN', 'x') RETURNING "id"`,
    );
    const admin = { HINDCAST_TOKEN: (await createApiToken(pool, rows[0]?.id as string, "cli admin")).token };
    const unasked = await hindcast(["delete", ...prefixes], admin);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toBe(
      "Deleting 2 runs frees 0 metric points, 0 log lines and 0.0 KiB of artifacts (0 files, 0 checkpoints).\n" +
        "hindcast: Not deleted: nobody to ask. Fix: add --yes to delete without asking\n",
    );
    const deleted = await hindcast(["delete", "--yes", ...prefixes], admin);
    expect(deleted.stdout, deleted.stderr).toBe("Deleted 2 runs; a worker removes their data and artifacts now\n");
  });
});
