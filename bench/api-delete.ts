// Deleting 100,000 runs with their metric points, summaries and rollups (the
// purge of runs marked deleted, as the purge_runs task runs it) while a
// worker-like writer keeps storing metric points of a live run: the writer's
// insert latency with and without the purge going on.
import { defaultPurgeLimits, purgeDeletedRuns, writeMetricPoints } from "@hindcast/db";
import type pg from "pg";
import { uuidOf } from "./api-seed";
import { median, percentile } from "./stats";

const doomedRuns = Number(process.env.BENCH_DELETE_RUNS ?? 100_000);
const pointsPerRun = 10;
/** The writer: a batch of points every few ms, as a worker's metric flushes. */
const writerBatch = 50;
const writerPauseMs = 10;
const baselineMs = 5_000;

/** Runs marked deleted (as markRunsDeleted leaves them), each with a series, its summary and rollups. */
async function seedDoomed(pool: pg.Pool): Promise<void> {
  await pool.query(
    `INSERT INTO "Run" ("id", "name", "status", "pipeline", "spec", "params", "tags", "createdAt", "updatedAt", "finishedAt", "deletedAt")
     SELECT ${uuidOf("'bench-doomed-' || g")}, 'doomed ' || g, 'SUCCEEDED', 'retrodiction', '{}', '{"model.kind": "linear"}', ARRAY['doomed'],
            now() - interval '10 years' - g * interval '1 second', now(), now(), now()
       FROM generate_series(1, $1::int) g`,
    [doomedRuns],
  );
  await pool.query(
    `INSERT INTO "MetricPoint" ("runId", "key", "step", "value", "wallTime")
     SELECT ${uuidOf("'bench-doomed-' || g")}, 'train_loss', s, 1.0 / s, now() FROM generate_series(1, $1::int) g, generate_series(1, ${pointsPerRun}) s`,
    [doomedRuns],
  );
  await pool.query(
    `INSERT INTO "MetricSummary" ("runId", "key", "count", "last", "lastStep", "min", "minStep", "max", "maxStep")
     SELECT ${uuidOf("'bench-doomed-' || g")}, 'train_loss', ${pointsPerRun}, 0.1, ${pointsPerRun}, 0.1, ${pointsPerRun}, 1, 1
       FROM generate_series(1, $1::int) g`,
    [doomedRuns],
  );
  await pool.query(
    `INSERT INTO "MetricRollup" ("runId", "key", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue",
                                 "minStep", "minValue", "maxStep", "maxValue")
     SELECT ${uuidOf("'bench-doomed-' || g")}, 'train_loss', l, 0, ${pointsPerRun}, 1, 1, ${pointsPerRun}, 0.1, ${pointsPerRun}, 0.1, 1, 1
       FROM generate_series(1, $1::int) g, generate_series(1, 8) l`,
    [doomedRuns],
  );
  await pool.query(`VACUUM (ANALYZE) "Run", "MetricPoint", "MetricSummary", "MetricRollup"`);
}

/** Stores `writerBatch` new points of `runId` again and again until `stop` says so; the latency of each write. */
async function writer(
  pool: pg.Pool,
  runId: string,
  stop: () => boolean,
  firstStep: number,
): Promise<{ latencies: number[]; next: number }> {
  const latencies: number[] = [];
  let step = firstStep;
  while (!stop()) {
    const points = Array.from({ length: writerBatch }, (_, i) => ({ runId, key: "bench_writer", step: step + i, value: Math.random() }));
    step += writerBatch;
    const started = performance.now();
    await writeMetricPoints(pool, points);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, writerPauseMs));
  }
  return { latencies, next: step };
}

const figures = (ms: number[]) =>
  `p50 ${median(ms).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms (${ms.length} writes)`;

export async function deleteWhileWriting(pool: pg.Pool, liveRun: string): Promise<void> {
  await purgeDeletedRuns(pool, async () => {}); // what an interrupted bench left
  const seeding = performance.now();
  await seedDoomed(pool);
  console.log(
    `Seeded ${doomedRuns.toLocaleString("en-US")} runs to delete with ${(doomedRuns * pointsPerRun).toLocaleString("en-US")} points in ${((performance.now() - seeding) / 1000).toFixed(0)} s.`,
  );
  const { rows } = await pool.query<{ next: number }>(
    `SELECT coalesce(max("step"), 0) + 1 AS "next" FROM "MetricPoint" WHERE "runId" = $1 AND "key" = 'bench_writer'`,
    [liveRun],
  );
  const until = performance.now() + baselineMs;
  const alone = await writer(pool, liveRun, () => performance.now() > until, rows[0]?.next ?? 1);
  let deleting = true;
  const during = writer(pool, liveRun, () => !deleting, alone.next);
  const started = performance.now();
  // The doomed runs have no artifacts: no bytes to remove.
  const purged = await purgeDeletedRuns(pool, async () => {});
  const seconds = (performance.now() - started) / 1000;
  deleting = false;
  const { latencies } = await during;
  console.log(
    `purge of ${purged.runs.toLocaleString("en-US")} deleted runs with their points (at most ${defaultPurgeLimits.runs} runs a transaction): ${seconds.toFixed(1)} s`,
  );
  console.log(`  writer, ${writerBatch} points a write, without the purge: ${figures(alone.latencies)}`);
  console.log(
    `  writer during the purge: ${figures(latencies)}; p95 ratio ${(percentile(latencies, 95) / percentile(alone.latencies, 95)).toFixed(2)}`,
  );
}
