// Metric store benchmark: bulk write against a raw COPY of the same rows, and
// downsampled reads of a 1M-point series, measured side by side in one run on
// one database. Uses DATABASE_URL's server when set, else the embedded one.
import { performance } from "node:perf_hooks";
import { type MetricPointInput, readSeries, redact, writeMetricPoints } from "@hindcast/db";
import { copyInto, copyRows } from "@hindcast/db/metric-store";
import { seedRuns } from "@hindcast/db/runs/seed";
import pg from "pg";
import { openBenchDatabase } from "./bench-database";
import { formatRate, median, percentile } from "./stats";

const writeRounds = Number(process.env.BENCH_WRITE_ROUNDS ?? 9);
const readSamples = Number(process.env.BENCH_READ_SAMPLES ?? 200);
const seriesLength = 1_000_000;

function curve(runId: string, key: string, n: number, offset = 0): MetricPointInput[] {
  return Array.from({ length: n }, (_, i) => {
    const step = offset + i;
    return { runId, key, step, value: Math.exp(-step / 250_000) + 0.05 * Math.sin(step * 0.37) };
  });
}

async function createRun(pool: pg.Pool): Promise<string> {
  const [id] = await seedRuns(pool, [{ pipeline: "bench" }]);
  return id as string;
}

async function rawCopy(pool: pg.Pool, points: readonly MetricPointInput[]): Promise<void> {
  const client = await pool.connect();
  try {
    await copyInto(client, `"MetricPoint"`, copyRows(points, new Date()));
  } finally {
    client.release();
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function benchWrites(pool: pg.Pool, batch: number, rounds: number) {
  const store: number[] = [];
  const raw: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const storeRun = await createRun(pool);
    const rawRun = await createRun(pool);
    const storePoints = curve(storeRun, "train/loss", batch);
    const rawPoints = curve(rawRun, "train/loss", batch);
    // Alternate which goes first so neither always meets a warmer cache.
    const first = round % 2 === 0;
    const storeMs = first ? await timed(() => writeMetricPoints(pool, storePoints)) : 0;
    const rawMs = await timed(() => rawCopy(pool, rawPoints));
    const storeMsLate = first ? storeMs : await timed(() => writeMetricPoints(pool, storePoints));
    store.push((batch / storeMsLate) * 1000);
    raw.push((batch / rawMs) * 1000);
    ratios.push(rawMs / storeMsLate);
  }
  return { store, raw, ratios };
}

async function benchReads(pool: pg.Pool) {
  const runId = await createRun(pool);
  for (let offset = 0; offset < seriesLength; offset += 100_000) {
    await writeMetricPoints(pool, curve(runId, "train/loss", 100_000, offset));
  }
  await pool.query(`ANALYZE "MetricPoint"; ANALYZE "MetricRollup"; ANALYZE "MetricSummary"`);
  const full: number[] = [];
  const partial: number[] = [];
  let largest = 0;
  for (let i = 0; i < 20; i++) await readSeries(pool, { runId, key: "train/loss", maxPoints: 2000 });
  for (let i = 0; i < readSamples; i++) {
    full.push(
      await timed(async () => {
        const result = await readSeries(pool, { runId, key: "train/loss", maxPoints: 2000 });
        largest = Math.max(largest, result.points.length);
      }),
    );
    const from = Math.floor(Math.random() * seriesLength * 0.9);
    const to = from + Math.floor(Math.random() * (seriesLength - from));
    partial.push(await timed(() => readSeries(pool, { runId, key: "train/loss", fromStep: from, toStep: to, maxPoints: 2000 })));
  }
  return { full, partial, largest };
}

async function main(): Promise<void> {
  const { server, url, drop } = await openBenchDatabase();
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    const pgVersion = (await pool.query<{ v: string }>("select current_setting($$server_version$$) as v")).rows[0]?.v;
    console.log(`Metric store bench on PostgreSQL ${pgVersion} (${server.source}: ${redact(url)})\n`);

    console.log("Bulk write vs raw COPY of the same rows (same table, same encoding), alternating order:");
    for (const batch of [100_000, 5_000]) {
      const rounds = batch === 100_000 ? writeRounds : writeRounds * 4;
      const { store, raw, ratios } = await benchWrites(pool, batch, rounds);
      console.log(
        `  batch ${batch.toLocaleString("en-US")} x ${rounds}: store median ${formatRate(median(store))} (p95-slowest ${formatRate(percentile(store, 5))}), ` +
          `raw COPY median ${formatRate(median(raw))}; store/raw ratio median ${median(ratios).toFixed(2)} (p5 ${percentile(ratios, 5).toFixed(2)}) [goal >= 0.80]`,
      );
    }

    console.log(
      `\nDownsampled read (<= 2,000 points) of a ${seriesLength.toLocaleString("en-US")}-point series, ${readSamples} samples each:`,
    );
    const { full, partial, largest } = await benchReads(pool);
    console.log(
      `  full range: p50 ${median(full).toFixed(1)} ms, p95 ${percentile(full, 95).toFixed(1)} ms, max ${Math.max(...full).toFixed(1)} ms; largest answer ${largest} points [goal p95 <= 50 ms]`,
    );
    console.log(
      `  random sub-ranges: p50 ${median(partial).toFixed(1)} ms, p95 ${percentile(partial, 95).toFixed(1)} ms, max ${Math.max(...partial).toFixed(1)} ms`,
    );
  } finally {
    await pool.end();
    await drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
