// API latency over real HTTP (`npm run bench:api -w bench`) with 1,000,000
// runs stored (BENCH_RUNS for fewer; seeded once into a kept database, see
// api-seed.ts): the runs list's first page, a filtered page, the summary
// above it and a page of 50 sparklines (goal: each p95 <= 100 ms), a
// 1M-point series downsampled to 2,000 points, and how soon a progress NOTIFY
// reaches an SSE watcher. Each is also measured without HTTP in the same run,
// so the ratio shows what the API layer (tRPC, superjson, HTTP) adds to the
// database work. Last, deleting 100,000 runs with their points while a writer
// keeps inserting metric points: the writer's p95 with and without it.
import { type ApiServer, bootstrapAdmin, createApiToken, createCaller, type SessionUser, startApiServer } from "@hindcast/api";
import { NotificationHub, readSeries, writeRunProgress } from "@hindcast/db";
import { forceRunState } from "@hindcast/db/runs/seed";
import pg from "pg";
import superjson from "superjson";
import { deleteWhileWriting } from "./api-delete";
import { seedRunsAtScale, sparklinePageIds } from "./api-seed";
import { openKeptBenchDatabase } from "./bench-database";
import { median, percentile } from "./stats";

const runCount = Number(process.env.BENCH_RUNS ?? 1_000_000);
const samples = Number(process.env.BENCH_LATENCY_SAMPLES ?? 200);

function describe(label: string, ms: number[], goal?: string): string {
  return `${label}: p50 ${median(ms).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms (${ms.length} calls)${goal ? ` [goal p95 ${goal}]` : ""}`;
}

/** The HTTP figures, then the direct call's median and what HTTP adds to it. */
function report(
  label: string,
  measured: { http: number[]; direct: number[] },
  goal: string | undefined,
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
async function sideBySide(
  http: () => Promise<unknown>,
  direct: () => Promise<unknown>,
  count = samples,
): Promise<{ http: number[]; direct: number[] }> {
  for (let i = 0; i < Math.min(10, Math.ceil(count / 5)); i++) await Promise.all([http(), direct()]); // warm-up: JIT, plans, connections
  const out = { http: [] as number[], direct: [] as number[] };
  for (let i = 0; i < count; i++) {
    out.http.push(await timed(http));
    out.direct.push(await timed(direct));
  }
  return out;
}

/** The bench's admin and an API token for it; the kept database keeps the user from run to run. */
async function benchUser(pool: pg.Pool): Promise<{ user: SessionUser; token: string }> {
  await bootstrapAdmin(pool, "admin@example.com", "bench admin password");
  const { rows } = await pool.query<SessionUser>(
    `SELECT "id", "email", "role" FROM "User" WHERE "role" = 'ADMIN' ORDER BY "createdAt" LIMIT 1`,
  );
  const user = rows[0] as SessionUser;
  return { user, token: (await createApiToken(pool, user.id, "bench")).token };
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

const database = await openKeptBenchDatabase(`hindcast_bench_api_${runCount}`);
const pool = new pg.Pool({ connectionString: database.url, max: 8 });
const hub = new NotificationHub(database.url);
await hub.start();
const { user: admin, token } = await benchUser(pool);
const seriesRun = await seedRunsAtScale(pool, runCount, admin.id);
const server = await startApiServer(pool, { hub });
const caller = createCaller({ pool, user: admin });
const headers = { authorization: `Bearer ${token}` };
const get = async (procedure: string, input: unknown) => {
  const response = await fetch(`${server.url}/${procedure}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`, {
    headers,
  });
  if (!response.ok) throw new Error(`${procedure}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
};
const runs = runCount.toLocaleString("en-US");

try {
  console.log(`server: ${(await pool.query("SHOW server_version")).rows[0].server_version}; ${runs} runs`);
  const filters = { status: ["SUCCEEDED"], params: { "model.kind": "mlp" }, tags: ["group-3"] };
  const goal = "<= 100 ms";
  const lists = [
    ["runs list, first page of 50, newest first", { limit: 50 }, goal],
    ["runs list, first page as the web asks (200 with val_loss)", { limit: 200, metricKeys: ["val_loss"] }, goal],
    ["runs list, filtered: status + param + tag", { limit: 50, ...filters }, goal],
    ["runs list, status + tag + text filter", { limit: 50, status: ["SUCCEEDED"], tags: ["group-3"], search: "run 1" }, undefined],
    ["runs list, first page of 50 sorted by val_loss", { limit: 50, sort: { by: "metric", key: "val_loss", direction: "asc" } }, undefined],
    ["runs list, first page of 50 by skill vs naive", { limit: 50, sort: { by: "skill", direction: "desc" } }, undefined],
  ] as const;
  for (const [label, input, target] of lists) {
    const measured = await sideBySide(
      () => get("training.list", input),
      () => caller.training.list(input as never),
      // Without a goal, and slow over a million runs: a few calls say enough.
      target ? samples : 5,
    );
    report(label, measured, target, inProcess);
  }
  for (const [label, input] of [
    [`runs summary of ${runs} runs (by status, how many beat naive and their best baseline)`, {}],
    ["runs summary, filtered: status + param + tag", filters],
  ] as const) {
    const measured = await sideBySide(
      () => get("training.summary", input),
      () => caller.training.summary(input as never),
    );
    report(label, measured, goal, inProcess);
  }
  const pageIds = await sparklinePageIds(pool);
  const sparklines = { runIds: pageIds, key: "val_loss", points: 48 };
  const lines = await sideBySide(
    () => get("metrics.sparklines", sparklines),
    () => caller.metrics.sparklines(sparklines),
  );
  report(`sparklines of val_loss, ${pageIds.length} runs x 500 points -> 48 each,`, lines, goal, inProcess);
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
  const watched = pageIds[0] as string;
  const latencies = await notifyToEvent(server, pool, token, watched);
  console.log(describe("progress NOTIFY -> SSE event at the client", latencies, "<= 100 ms"));
  await deleteWhileWriting(pool, watched);
} finally {
  await server.close();
  await hub.close();
  await pool.end();
  await database.drop();
}
