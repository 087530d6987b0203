// API latency over real HTTP (`npm run bench:api -w bench`): the runs list's
// first page with 10,000 runs stored, a 1M-point series downsampled to 2,000
// points end to end, the runs table's sparklines for a page of 50 runs, and
// how soon a progress NOTIFY reaches an SSE watcher.
// Each is also measured without HTTP in the same run, so the ratio shows what
// the API layer (tRPC, superjson, HTTP) adds to the database work.
import { type ApiServer, createCaller } from "@hindcast/api";
import { NotificationHub, readSeries, writeMetricPoints, writeRunProgress } from "@hindcast/db";
import { forceRunState, seedRuns } from "@hindcast/db/runs/seed";
import { serveTestApi } from "@hindcast/test-support/api-server";
import pg from "pg";
import superjson from "superjson";
import { openBenchDatabase } from "./bench-database";
import { median, percentile } from "./stats";

const runCount = 10_000;
const seriesPoints = 1_000_000;
const samples = Number(process.env.BENCH_LATENCY_SAMPLES ?? 200);
/** The newest runs get real val_loss series, for the trend column's sparklines. */
const sparklineRuns = 50;
const sparklineSteps = 500;

function describe(label: string, ms: number[], goal?: string): string {
  return `${label}: p50 ${median(ms).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms (${ms.length} calls)${goal ? ` [goal p95 ${goal}]` : ""}`;
}

/** The HTTP figures, then the direct call's median and what HTTP adds to it. */
function report(
  label: string,
  measured: { http: number[]; direct: number[] },
  goal: string,
  direct: { label: string; name: string },
): void {
  console.log(describe(`${label} over HTTP`, measured.http, goal));
  const ratio = median(measured.http) / median(measured.direct);
  console.log(`  ${direct.label} p50 ${median(measured.direct).toFixed(1)} ms; HTTP/${direct.name} p50 ratio ${ratio.toFixed(2)}`);
}

const inProcess = { label: "in-process call", name: "in-process" };

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Alternates the HTTP call and the direct call so both see the same machine load. */
async function sideBySide(http: () => Promise<unknown>, direct: () => Promise<unknown>): Promise<{ http: number[]; direct: number[] }> {
  for (let i = 0; i < 10; i++) await Promise.all([http(), direct()]); // warm-up: JIT, plans, connections
  const out = { http: [] as number[], direct: [] as number[] };
  for (let i = 0; i < samples; i++) {
    out.http.push(await timed(http));
    out.direct.push(await timed(direct));
  }
  return out;
}

async function seedBenchData(pool: pg.Pool, userId: string): Promise<string> {
  const statuses = ["SUCCEEDED", "FAILED", "CANCELLED", "RUNNING", "QUEUED"] as const;
  const modelKinds = ["linear", "mlp", "nbeats"];
  const now = Date.now();
  await seedRuns(
    pool,
    Array.from({ length: runCount }, (_, i) => {
      const g = i + 1;
      return {
        status: statuses[g % 5] as (typeof statuses)[number],
        spec: { data: { dataset: "sp500", target: "spx_close" }, train: { epochs: g % 50 } },
        params: { "data.dataset": "sp500", "data.target": "spx_close", "train.epochs": g % 50, "model.kind": modelKinds[g % 3] },
        pipeline: "retrodiction",
        tags: ["bench", `group-${g % 20}`],
        name: `bench run ${g}`,
        createdById: userId,
        percent: g % 101,
        resultSummary: g % 5 === 0 ? { overall: { rmse: Math.random(), skill: { rmseVsNaive: Math.random() - 0.5 } } } : undefined,
        createdAt: new Date(now - g * 1000),
      };
    }),
  );
  const newest = await pool.query<{ id: string }>(`SELECT "id" FROM "Run" ORDER BY "createdAt" DESC LIMIT ${sparklineRuns}`);
  await writeMetricPoints(
    pool,
    newest.rows.flatMap(({ id }, run) =>
      Array.from({ length: sparklineSteps }, (_, i) => ({
        runId: id,
        key: "val_loss",
        step: i + 1,
        value: 1 / (i + 1 + run) + 0.01 * Math.sin(i),
      })),
    ),
  );
  // Summaries only (no points) for the other runs' table columns.
  await pool.query(
    `INSERT INTO "MetricSummary" ("runId", "key", "count", "last", "lastStep", "min", "max", "updatedAt")
     SELECT r."id", k, 100, random(), 100, random(), random() + 1, now() FROM "Run" r, unnest(ARRAY['train_loss', 'val_loss', 'rmse']) k
     ON CONFLICT DO NOTHING`,
  );
  const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "Run" ORDER BY "createdAt" LIMIT 1`);
  const runId = (rows[0] as { id: string }).id;
  for (let start = 0; start < seriesPoints; start += 100_000) {
    await writeMetricPoints(
      pool,
      Array.from({ length: 100_000 }, (_, i) => {
        const step = start + i + 1;
        return { runId, key: "train_loss", step, value: 1 / Math.sqrt(step) + 0.05 * Math.sin(step / 500) };
      }),
    );
  }
  await pool.query("ANALYZE");
  return runId;
}

/** Milliseconds from a committed progress NOTIFY to its event arriving at an SSE client. */
async function notifyToEvent(server: ApiServer, pool: pg.Pool, token: string, runId: string): Promise<number[]> {
  await forceRunState(pool, runId, { status: "RUNNING" });
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ id: runId })));
  const response = await fetch(`${server.url}/training.events?input=${input}`, { headers: { authorization: `Bearer ${token}` } });
  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const nextPercent = async (): Promise<number> => {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.match(/^data: (.+)$/m)?.[1];
        if (/^id: /m.test(block) && data) return (JSON.parse(data) as { json: { percent: number } }).json.percent;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("the event stream ended early");
      buffer += value;
    }
  };
  await nextPercent(); // the current state
  const latencies: number[] = [];
  for (let i = 1; i <= samples; i++) {
    const percent = i / 10;
    const sent = performance.now();
    await writeRunProgress(pool, runId, {
      phase: "train",
      step: i,
      totalSteps: samples,
      itemsDone: i,
      itemsTotal: samples,
      percent,
      etaSeconds: null,
      samplesPerSecond: null,
      message: `step ${i}/${samples}`,
    });
    while ((await nextPercent()) !== percent) {}
    latencies.push(performance.now() - sent);
  }
  await reader.cancel();
  return latencies;
}

const database = await openBenchDatabase();
const pool = new pg.Pool({ connectionString: database.url, max: 8 });
const hub = new NotificationHub(database.url);
await hub.start();
const { server, users, tokens } = await serveTestApi(database, pool, hub);
const admin = users.admin;
const token = tokens.admin;
console.log(`Seeding ${runCount.toLocaleString("en-US")} runs and a ${seriesPoints.toLocaleString("en-US")}-point series…`);
const seriesRun = await seedBenchData(pool, admin.id);
const caller = createCaller({ pool, user: admin });
const headers = { authorization: `Bearer ${token}` };
const get = async (procedure: string, input: unknown) => {
  const response = await fetch(`${server.url}/${procedure}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`, {
    headers,
  });
  if (!response.ok) throw new Error(`${procedure}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
};

try {
  console.log(`server: ${(await pool.query("SHOW server_version")).rows[0].server_version}`);
  for (const [label, input] of [
    ["runs list, first page of 50, newest first", { limit: 50 }],
    ["runs list, first page of 200 with 3 metric columns", { limit: 200, metricKeys: ["train_loss", "val_loss", "rmse"] }],
    ["runs list, first page of 50 sorted by val_loss", { limit: 50, sort: { by: "metric", key: "val_loss", direction: "asc" } }],
    ["runs list, first page of 50 by skill vs naive", { limit: 50, sort: { by: "skill", direction: "desc" } }],
    ["runs list, status + tag + text filter", { limit: 50, status: ["SUCCEEDED"], tags: ["group-3"], search: "run 1" }],
  ] as const) {
    const measured = await sideBySide(
      () => get("training.list", input),
      () => caller.training.list(input as never),
    );
    report(label, measured, "<= 100 ms", inProcess);
  }
  const summary = await sideBySide(
    () => get("training.summary", {}),
    () => caller.training.summary({}),
  );
  report("runs summary of 10,000 runs (by status, how many beat naive)", summary, "<= 100 ms", inProcess);
  for (const x of ["step", "wall"] as const) {
    const input = { runIds: [seriesRun], keys: ["train_loss"], maxPoints: 2000, x };
    const measured = await sideBySide(
      () => get("metrics.series", input),
      () => readSeries(pool, { runId: seriesRun, key: "train_loss", maxPoints: 2000 }),
    );
    const answer = (await get("metrics.series", input)) as { result: { data: { json: { values: number[] }[] } } };
    const points = answer.result.data.json[0]?.values.length;
    report(`1M-point series -> ${points} points (x = ${x})`, measured, "<= 80 ms", { label: "readSeries alone", name: "readSeries" });
  }
  const pageIds = (await pool.query<{ id: string }>(`SELECT "id" FROM "Run" ORDER BY "createdAt" DESC LIMIT ${sparklineRuns}`)).rows.map(
    (r) => r.id,
  );
  const sparklines = { runIds: pageIds, key: "val_loss", points: 48 };
  const lines = await sideBySide(
    () => get("metrics.sparklines", sparklines),
    () => Promise.all(pageIds.map((id) => readSeries(pool, { runId: id, key: "val_loss", maxPoints: 48 }))),
  );
  report(`sparklines of val_loss, ${sparklineRuns} runs x ${sparklineSteps} points -> 48 each,`, lines, "<= 100 ms", {
    label: `${sparklineRuns} readSeries at once`,
    name: "readSeries",
  });
  const latencies = await notifyToEvent(server, pool, token, seriesRun);
  console.log(describe("progress NOTIFY -> SSE event at the client", latencies, "<= 100 ms"));
} finally {
  await server.close();
  await hub.close();
  await pool.end();
  await database.drop();
}
