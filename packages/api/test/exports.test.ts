import { spawn } from "node:child_process";
import path from "node:path";
import { archiveRuns, createSweep, insertRun, projectRoot, reportRung, writeMetricPoints } from "@hindcast/db";
import { forceRunState, seedRuns } from "@hindcast/db/runs/seed";
import { sweepSpecSchema } from "@hindcast/sweeps";
import { apiTest, type TestApi } from "@hindcast/test-support";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { createCaller } from "../src/index";
import { csvExportPaths, type ExportRunsInput, runsCsvPath } from "../src/schemas";

let api: TestApi;
const tag = "export-test";
const names = {
  quoted: 'Smith, "Jr"\nsecond line',
  formula: '=HYPERLINK("http://evil.example","x")',
  minus: "-2+3",
  tab: "\tcell",
  archived: "archived one",
};
const ids: Record<keyof typeof names | "child" | "other", string> = {} as never;
let seriesRun: string;
const seriesPoints = 200_000;

const auth = (who: "viewer" | "admin" = "viewer") => ({ authorization: `Bearer ${api.tokens[who]}` });

async function download(address: string, headers: Record<string, string> = auth()) {
  const response = await fetch(`${api.origin}${address}`, { headers });
  return { response, text: await response.text() };
}

/** A CSV answer read back by csv-parse: its header and rows keyed by the first column. */
async function table(address: string) {
  const { response, text } = await download(address);
  expect(response.status, text).toBe(200);
  const [header, ...rows] = parse(text) as string[][];
  return { header: header as string[], rows, byId: new Map(rows.map((row) => [row[0], row])), text };
}

const cell = (t: { header: string[] }, row: string[] | undefined, column: string) => row?.[t.header.indexOf(column)];

apiTest.beforeAll(async ({ api: served }) => {
  api = served;
  const { pool } = api;
  const now = Date.now();
  const runs = await seedRuns(pool, [
    {
      name: names.quoted,
      status: "SUCCEEDED",
      pipeline: "retrodiction",
      tags: [tag, "first"],
      params: { "model.kind": "linear", "data.dataset": "co2", "model.hidden": [8, 8], note: "a,b" },
      resultSummary: { overall: { rmse: 0.5, skill: { rmseVsNaive: 0.25 } }, baselines: {} },
      createdAt: new Date(now - 5_000),
    },
    {
      name: names.formula,
      status: "FAILED",
      pipeline: "retrodiction",
      tags: [tag],
      params: { "model.kind": "mlp", "train.epochs": 7 },
      createdAt: new Date(now - 4_000),
    },
    {
      name: names.minus,
      status: "SUCCEEDED",
      pipeline: "retrodiction",
      tags: [tag],
      params: { "model.kind": "mlp", "@danger": "+cmd" },
      createdAt: new Date(now - 3_000),
    },
    {
      name: names.tab,
      status: "CANCELLED",
      pipeline: "retrodiction",
      tags: [tag],
      params: { "model.kind": "mlp" },
      createdAt: new Date(now - 2_000),
    },
    {
      name: names.archived,
      status: "SUCCEEDED",
      pipeline: "retrodiction",
      tags: [tag],
      params: { "model.kind": "mlp" },
      createdAt: new Date(now - 1_000),
    },
    { name: "not in the export", status: "SUCCEEDED", pipeline: "retrodiction", tags: ["elsewhere"], params: { "model.kind": "mlp" } },
  ]);
  [ids.quoted, ids.formula, ids.minus, ids.tab, ids.archived, ids.other] = runs as [string, string, string, string, string, string];
  [ids.child] = (await seedRuns(pool, [
    { name: "window 1/2", status: "SUCCEEDED", pipeline: "retrodiction", tags: [tag], parentId: ids.quoted },
  ])) as [string];
  await archiveRuns(pool, { ids: [ids.archived] });
  await writeMetricPoints(pool, [
    ...[1, 0.5, 0.75].map((value, i) => ({ runId: ids.quoted, key: "val_loss", step: i + 1, value })),
    { runId: ids.formula, key: "train_loss", step: 1, value: Number.NaN },
  ]);
  [seriesRun] = (await seedRuns(pool, [{ name: "long series", status: "SUCCEEDED", pipeline: "retrodiction", tags: ["series"] }])) as [
    string,
  ];
  await writeMetricPoints(
    pool,
    Array.from({ length: seriesPoints }, (_, i) => ({
      runId: seriesRun,
      key: i % 4 === 0 ? "val_loss" : "train_loss",
      step: i,
      value: 1 / (i + 1),
      wallTime: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    })),
  );
});

describe("runs table as CSV", () => {
  const columns = [
    "id",
    "name",
    "status",
    "tags",
    "param:model.kind",
    "param:note",
    "param:model.hidden",
    "headline:rmse",
    "metric:val_loss:min",
  ];

  it("quotes commas, quotes and line breaks (RFC 4180) and defuses cells a spreadsheet would run as formulas", async () => {
    const t = await table(runsCsvPath({ tags: [tag], columns }));
    expect(t.header).toEqual(["id", "name", "status", "tags", "model.kind", "note", "model.hidden", "rmse", "val_loss (min)"]);
    expect(t.text).toContain(`"Smith, ""Jr""\nsecond line"`);
    expect(t.text.endsWith("\r\n")).toBe(true);
    const quoted = t.byId.get(ids.quoted);
    expect(cell(t, quoted, "name")).toBe(names.quoted);
    expect(cell(t, quoted, "tags")).toBe(`${tag};first`);
    expect(cell(t, quoted, "note")).toBe("a,b");
    expect(cell(t, quoted, "model.hidden")).toBe("[8,8]");
    expect(cell(t, quoted, "rmse")).toBe("0.5");
    expect(cell(t, quoted, "val_loss (min)")).toBe("0.5");
    expect(cell(t, t.byId.get(ids.formula), "name")).toBe(`'${names.formula}`);
    expect(cell(t, t.byId.get(ids.minus), "name")).toBe(`'${names.minus}`);
    expect(cell(t, t.byId.get(ids.tab), "name")).toBe(`'${names.tab}`);
    // Numbers are never text: a negative one stays a number.
    expect(cell(t, t.byId.get(ids.formula), "rmse")).toBe("");
  });

  it("lists the runs the runs list shows for the same filters, newest first", async () => {
    const viewer = createCaller({ pool: api.pool, user: api.users.viewer });
    const cases: Omit<ExportRunsInput, "columns">[] = [
      { tags: [tag] },
      { tags: [tag], status: ["SUCCEEDED"] },
      { tags: [tag], params: { "model.kind": "mlp" } },
      { tags: [tag], archived: "include" },
      { tags: [tag], archived: "only" },
      { tags: [tag], parentId: "any", search: "window" },
    ];
    for (const filters of cases) {
      const listed = (await viewer.training.list({ ...filters, limit: 500 })).runs.map((run) => run.id);
      const exported = (await table(runsCsvPath({ ...filters, columns: ["id"] }))).rows.map((row) => row[0]);
      expect(exported, JSON.stringify(filters)).toEqual(listed);
    }
    const hidden = (await table(runsCsvPath({ tags: [tag], columns: ["id"] }))).rows.flat();
    expect(hidden).not.toContain(ids.archived);
    expect(hidden).not.toContain(ids.child);
  });

  it("with all columns: every field, headline metric, param of any matching run, and last/min/max of every metric", async () => {
    const t = await table(runsCsvPath({ tags: [tag], columns: "all" }));
    expect(t.header.slice(0, 3)).toEqual(["id", "name", "status"]);
    expect(t.header).toEqual(
      expect.arrayContaining(["experiment", "created", "finished", "duration_s", "archived", "rmse", "skill_vs_naive", "skill_vs_best"]),
    );
    // The params of every matching run in key order (a key a spreadsheet would run is defused in the header too), then their metrics.
    expect(t.header.slice(-12)).toEqual([
      "'@danger",
      "data.dataset",
      "model.hidden",
      "model.kind",
      "note",
      "train.epochs",
      ...["train_loss", "val_loss"].flatMap((key) => [`${key} (last)`, `${key} (min)`, `${key} (max)`]),
    ]);
    expect(cell(t, t.byId.get(ids.formula), "train.epochs")).toBe("7");
    expect(cell(t, t.byId.get(ids.quoted), "train.epochs")).toBe("");
    expect(cell(t, t.byId.get(ids.minus), "'@danger")).toBe("'+cmd");
    expect(cell(t, t.byId.get(ids.formula), "train_loss (last)")).toBe("NaN");
    expect(cell(t, t.byId.get(ids.quoted), "val_loss (last)")).toBe("0.75");
    expect(cell(t, t.byId.get(ids.quoted), "skill_vs_naive")).toBe("0.25");
  });

  it("refuses a column it does not have and filters that are not the list's, naming them", async () => {
    const bad = await download(runsCsvPath({ columns: ["id", "nope"] } as never));
    expect(bad.response.status).toBe(400);
    expect(bad.text).toContain(`columns.1: "nope" is no column`);
    const status = await download(runsCsvPath({ status: ["DONE"] } as never));
    expect(status.response.status).toBe(400);
    expect(status.text).toContain("status.0");
    expect((await download(`${csvExportPaths.runs}?input=%7Bnot-json`)).response.status).toBe(400);
  });
});

describe("a run's metric series as CSV", () => {
  it(`streams every point of a ${seriesPoints.toLocaleString("en")}-point run at full resolution, by key then step`, async () => {
    const { response, text } = await download(csvExportPaths.metrics(seriesRun));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="run-${seriesRun}-metrics.csv"`);
    const lines = text.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines.length).toBe(seriesPoints + 2);
    expect(lines[0]).toBe("run_id,key,step,value,wall_time");
    expect(lines[1]).toBe(`${seriesRun},train_loss,1,0.5,2026-01-01T00:00:01.000Z`);
    expect(lines.at(-2)).toBe(
      `${seriesRun},val_loss,${seriesPoints - 4},${1 / (seriesPoints - 3)},${new Date(Date.UTC(2026, 0, 1) + (seriesPoints - 4) * 1000).toISOString()}`,
    );
    const steps = lines.slice(1, -1).map((line) => Number(line.split(",")[2]));
    expect(new Set(steps).size).toBe(seriesPoints);
  });

  it("takes only the keys asked for", async () => {
    const t = await table(`${csvExportPaths.metrics(ids.quoted)}?key=val_loss`);
    expect(t.rows).toEqual(
      [1, 2, 3].map((step, i) => [ids.quoted, "val_loss", String(step), String([1, 0.5, 0.75][i]), expect.any(String)]),
    );
    expect((await table(`${csvExportPaths.metrics(seriesRun)}?key=val_loss&key=nothing`)).rows.length).toBe(seriesPoints / 4);
  });

  it("answers 404 with what to do for a run that does not exist, 400 for an id that is no id", async () => {
    const missing = crypto.randomUUID();
    const answer = await download(csvExportPaths.metrics(missing));
    expect(answer.response.status).toBe(404);
    expect(answer.text).toBe(`Run ${missing} does not exist. Fix: check the run id (hindcast train list shows them)`);
    expect((await download(csvExportPaths.metrics("not-a-run"))).response.status).toBe(400);
  });
});

describe("a sweep's trials as CSV", () => {
  it("has each trial's number, run, status, searched values, objective and the rung it reached", async () => {
    const { pool } = api;
    const spec = sweepSpecSchema.parse({
      base: { data: { dataset: "co2", target: "co2" } },
      space: { "model.kind": { choice: ["linear", "mlp"] }, "model.hidden": { choice: [[8], [16]] } },
      metric: "rmse",
    });
    const sweepId = await createSweep(pool, { config: { spec, trialBase: {}, trialDataTo: null, trials: 3 }, tags: [] });
    const trials = [
      { "model.kind": "mlp", "model.hidden": [16] },
      { "model.kind": "linear" },
      { "model.kind": "mlp", "model.hidden": [8] },
    ];
    const runs: string[] = [];
    for (const [trialNumber, trial] of trials.entries())
      runs.push(await insertRun(pool, { spec: {}, pipeline: "retrodiction", sweepId, trialNumber, trial }));
    const [first, second, third] = runs as [string, string, string];
    await forceRunState(pool, first, { status: "SUCCEEDED", resultSummary: { overall: { rmse: 0.25, skill: {} } } });
    await forceRunState(pool, second, { status: "STOPPED" });
    for (const [runId, rung, promoted] of [
      [first, 0, true],
      [second, 0, false],
      [first, 1, true],
    ] as const)
      await reportRung(pool, { sweepId, runId, rung, epoch: rung + 1, value: 0.5, decide: () => promoted });
    const t = await table(csvExportPaths.sweep(sweepId));
    expect(t.header).toEqual(["trial", "run_id", "status", "model.hidden", "model.kind", "objective (rmse)", "rung"]);
    expect(t.rows).toEqual([
      ["0", first, "SUCCEEDED", "[16]", "mlp", "0.25", "1"],
      ["1", second, "STOPPED", "", "linear", "", "0"],
      ["2", third, "QUEUED", "[8]", "mlp", "", ""],
    ]);
    expect((await download(csvExportPaths.sweep(crypto.randomUUID()))).response.status).toBe(404);
  });
});

describe("who may export", () => {
  it("answers 401 without a session or a token, for every export", async () => {
    for (const address of [runsCsvPath({}), csvExportPaths.metrics(seriesRun), csvExportPaths.sweep(crypto.randomUUID())]) {
      const { response, text } = await download(address, {});
      expect(response.status, address).toBe(401);
      expect(text).toContain("Sign in");
    }
  });
});

describe("hindcast export", () => {
  const bin = path.join(projectRoot, "apps", "cli", "bin", "hindcast.mjs");
  const hindcast = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], {
        env: {
          ...process.env,
          HINDCAST_SERVER: api.origin,
          HINDCAST_TOKEN: api.tokens.viewer,
          HINDCAST_CONFIG_DIR: path.join(projectRoot, ".no-config"),
        },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });

  it("writes the runs, a run's series and refusals as a shell user expects", async () => {
    const runs = await hindcast(["export", "runs", "--tag", tag, "--status", "succeeded"]);
    expect(runs.code, runs.stderr).toBe(0);
    const [header, ...rows] = parse(runs.stdout) as string[][];
    expect(header?.slice(0, 3)).toEqual(["id", "name", "status"]);
    expect(header).toContain("model.kind");
    expect(rows.map((row) => row[0])).toEqual([ids.minus, ids.quoted]);
    const series = await hindcast(["export", "metrics", ids.quoted.slice(0, 8), "--key", "val_loss"]);
    expect(series.code, series.stderr).toBe(0);
    expect(series.stdout.split("\r\n").slice(0, 2)).toEqual([
      "run_id,key,step,value,wall_time",
      expect.stringMatching(`^${ids.quoted},val_loss,1,1,`),
    ]);
    const missing = crypto.randomUUID();
    const refused = await hindcast(["export", "metrics", missing]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`hindcast: Run ${missing} does not exist. Fix: check the run id (hindcast train list shows them)\n`);
  });
});
