// The runs bench/api.ts measures the API over, written by SQL in the
// database (generate_series), not row by row, so a million take minutes.
import { writeMetricPoints } from "@hindcast/db";
import type pg from "pg";

/** Runs a page of sparklines is drawn for: the newest top-level runs get real val_loss series. */
export const sparklineRuns = 50;
const sparklineSteps = 500;
const seriesPoints = 1_000_000;
const chunk = 100_000;
const sweeps = 500;
const experiments = 10;

/** SQL of a seeded row's id: the md5 of a label, made a valid (version 4) UUID, so a kept database's rows can be found again. */
export const uuidOf = (label: string) => `overlay(overlay(md5(${label}) placing '4' from 13) placing '8' from 17)::uuid`;

/**
 * One seeded run per g: every 100 runs hold a parallel retrodiction (slot 50)
 * with its 4 windows as children (51-54), 20 sweep trials (60-79, a third of
 * them stopped early by their rung) and plain runs; the newest are running or
 * queued; 5% of plain runs are archived. None is marked deleted: the purge
 * removes such runs within moments (api-delete.ts measures that).
 * Succeeded runs carry a result summary shaped as the worker writes it.
 */
const insertRuns = `
WITH s AS (
  SELECT g, g % 100 AS slot,
         (g::bigint * 2654435761 % 1000)::int AS r,
         (g::bigint * 40503 % 997)::int AS r2,
         (g::bigint * 7919 % 1000)::int AS r3,
         now() - g * interval '2 seconds' AS created
    FROM generate_series($1::int, $2::int) g
), k AS (
  SELECT s.*,
         CASE WHEN slot = 50 THEN 'parent' WHEN slot BETWEEN 51 AND 54 THEN 'child' WHEN slot BETWEEN 60 AND 79 THEN 'trial' ELSE 'run' END AS kind,
         (ARRAY['linear', 'mlp', 'nbeats', 'lstm', 'tcn'])[1 + r2 % 5] AS model,
         (ARRAY['sp500', 'co2', 'seattle_weather', 'electricity', 'sunspots'])[1 + g % 5] AS dataset,
         (ARRAY['spx_close', 'co2', 'temp_max', 'load', 'sunspots'])[1 + g % 5] AS target,
         (ARRAY[0.0001, 0.0003, 0.001, 0.003, 0.01])[1 + (g / 7) % 5] AS lr
    FROM s
), st AS (
  SELECT k.*,
         CASE WHEN kind = 'run' AND g <= 8 THEN 'RUNNING'
              WHEN kind = 'run' AND g <= 30 THEN 'QUEUED'
              WHEN kind = 'trial' AND r % 3 = 0 THEN 'STOPPED'
              WHEN kind IN ('trial', 'parent', 'child') THEN 'SUCCEEDED'
              WHEN r < 750 THEN 'SUCCEEDED' WHEN r < 870 THEN 'FAILED' ELSE 'CANCELLED' END::"RunStatus" AS status,
         (r3 / 1000.0 - 0.45)::float8 AS skill,
         (r2 / 997.0 - 0.6)::float8 AS skill_best,
         (0.2 + r3 / 500.0)::float8 AS rmse
    FROM k
)
INSERT INTO "Run" ("id", "name", "experimentId", "parentId", "status", "pipeline", "queue", "spec", "params", "tags", "backend",
                   "attempt", "step", "totalSteps", "percent", "resultSummary", "createdById", "createdAt", "updatedAt",
                   "startedAt", "finishedAt", "sweepId", "trialNumber", "trial", "archivedAt")
SELECT ${uuidOf("'bench-run-' || g")},
       CASE kind WHEN 'child' THEN 'window ' || (slot - 50) || '/4' ELSE 'bench run ' || g END,
       ${uuidOf(`'bench-experiment-' || g % ${experiments}`)},
       CASE WHEN kind = 'child' THEN ${uuidOf("'bench-run-' || (g - slot + 50)")} END,
       status,
       CASE kind WHEN 'parent' THEN 'parallel-retrodiction' ELSE 'retrodiction' END,
       'any',
       jsonb_build_object('data', jsonb_build_object('dataset', dataset, 'target', target, 'transform', 'none'),
                          'window', jsonb_build_object('lookback', 14 + 7 * (g % 4), 'horizon', 1 + g % 3),
                          'model', jsonb_build_object('kind', model, 'hidden', jsonb_build_array(64, 64), 'dropout', 0),
                          'train', jsonb_build_object('epochs', 5 + g % 50, 'batchSize', 64, 'learningRate', lr, 'seed', g % 5),
                          'retrodiction', jsonb_build_object('batchSizeDays', 90, 'windows', 6)),
       jsonb_build_object('data.dataset', dataset, 'data.target', target, 'data.features', '[]'::jsonb, 'data.transform', 'none',
                          'data.gapPolicy', 'interpolate', 'window.lookback', 14 + 7 * (g % 4), 'window.horizon', 1 + g % 3,
                          'model.kind', model, 'model.hidden', jsonb_build_array(64, 64), 'model.activation', 'relu', 'model.dropout', 0,
                          'model.normalize', 'lastValue', 'train.epochs', 5 + g % 50, 'train.batchSize', 64, 'train.learningRate', lr,
                          'train.optimizer', 'adam', 'train.validationFraction', 0.15, 'train.seed', g % 5, 'train.minSteps', 500,
                          'train.patience', 5, 'train.checkpointEvery', 1, 'train.refitEpochs', 3, 'retrodiction.batchSizeDays', 90,
                          'retrodiction.overlapDays', 0, 'retrodiction.windows', 6),
       ARRAY['bench', 'group-' || g % 20] || CASE WHEN kind = 'trial' THEN ARRAY['sweep'] ELSE '{}'::text[] END,
       CASE WHEN status <> 'QUEUED' THEN 'tensorflow' END,
       CASE WHEN status <> 'QUEUED' THEN 1 ELSE 0 END,
       CASE WHEN status = 'QUEUED' THEN 0 ELSE 200 END, 200,
       CASE WHEN status = 'RUNNING' THEN 40 WHEN status = 'QUEUED' THEN 0 ELSE 100 END,
       CASE WHEN status = 'SUCCEEDED' THEN jsonb_build_object(
         'overall', jsonb_build_object('mae', rmse * 0.8, 'rmse', rmse, 'mape', rmse * 10, 'smape', rmse * 9, 'mase', rmse * 1.3,
                                       'directionalAccuracy', 0.5 + skill / 4, 'count', 540, 'coverage95', 0.93,
                                       'skill', jsonb_build_object('rmseVsNaive', skill, 'rmseVsSeasonalNaive', skill - 0.05,
                                                                   'maeVsNaive', skill + 0.02, 'maeVsSeasonalNaive', skill - 0.03,
                                                                   'rmseVsBest', skill_best)),
         'baselines', jsonb_build_object('naiveRmse', rmse / (1 - skill), 'seasonalNaiveRmse', rmse * 1.2, 'arRmse', rmse * 1.05,
                                         'arimaRmse', rmse * 1.02, 'etsRmse', rmse * 1.1, 'thetaRmse', rmse * 1.04),
         'verdict', jsonb_build_object('best', 'arima', 'bestLabel', 'ARIMA', 'skillVsBest', skill_best, 'beatsAll', skill_best > 0),
         'model', model, 'backend', 'tensorflow', 'windows', 6, 'bestValLoss', rmse * rmse, 'steps', 2000, 'stopReason', 'epochs')
       END,
       $3::uuid, created, created + interval '1 minute',
       CASE WHEN status <> 'QUEUED' THEN created + interval '5 seconds' END,
       CASE WHEN status NOT IN ('QUEUED', 'RUNNING') THEN created + interval '1 minute' END,
       CASE WHEN kind = 'trial' THEN ${uuidOf(`'bench-sweep-' || (g / 100) % ${sweeps}`)} END,
       CASE WHEN kind = 'trial' THEN (g / 100 / ${sweeps}) * 20 + slot - 60 END,
       CASE WHEN kind = 'trial' THEN jsonb_build_object('model.kind', model, 'train.learningRate', lr) END,
       CASE WHEN kind = 'run' AND g % 20 = 7 AND g > 1000 THEN created + interval '1 day' END
  FROM st`;

async function seedRunRows(pool: pg.Pool, count: number, userId: string): Promise<void> {
  await pool.query(
    `INSERT INTO "Experiment" ("id", "name", "createdById", "updatedAt")
     SELECT ${uuidOf("'bench-experiment-' || e")}, 'bench experiment ' || e, $1::uuid, now() FROM generate_series(0, ${experiments - 1}) e`,
    [userId],
  );
  await pool.query(
    `INSERT INTO "Sweep" ("id", "name", "status", "config", "experimentId", "trialsStarted", "createdById", "createdAt", "updatedAt")
     SELECT ${uuidOf("'bench-sweep-' || s")}, 'bench sweep ' || s, 'SUCCEEDED',
            '{"method": "random", "space": {"model.kind": {"choice": ["linear", "mlp", "nbeats", "lstm", "tcn"]},
              "train.learningRate": {"loguniform": [0.0001, 0.01]}}, "earlyStopping": {"asha": {"rungs": [1, 3]}}}'::jsonb,
            ${uuidOf(`'bench-experiment-' || s % ${experiments}`)}, 400, $1::uuid, now() - interval '30 days', now()
       FROM generate_series(0, ${sweeps - 1}) s`,
    [userId],
  );
  for (let from = 1; from <= count; from += chunk) {
    const started = performance.now();
    const to = Math.min(count, from + chunk - 1);
    await pool.query(insertRuns, [from, to, userId]);
    console.log(
      `  runs ${from.toLocaleString("en-US")}..${to.toLocaleString("en-US")} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  // A stopped trial ends at rung 0; the others were promoted and reached rung 1.
  await pool.query(
    `INSERT INTO "SweepRung" ("sweepId", "rung", "runId", "epoch", "value", "promoted", "at")
     SELECT r."sweepId", k.rung, r."id", k.epoch, 0.1 + (r."trialNumber" % 17) / 20.0, r."status" = 'SUCCEEDED', r."finishedAt"
       FROM "Run" r CROSS JOIN (VALUES (0, 1), (1, 3)) k(rung, epoch)
      WHERE r."sweepId" IS NOT NULL AND (k.rung = 0 OR r."status" = 'SUCCEEDED')`,
  );
}

/** The newest top-level runs' val_loss series, through the metric store (so rollups are as the worker leaves them). */
export async function sparklinePageIds(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT "id" FROM "Run" WHERE "parentId" IS NULL AND "archivedAt" IS NULL AND "deletedAt" IS NULL
      ORDER BY "createdAt" DESC, "id" DESC LIMIT ${sparklineRuns}`,
  );
  return rows.map((r) => r.id);
}

async function seedPoints(pool: pg.Pool): Promise<string> {
  const ids = await sparklinePageIds(pool);
  await writeMetricPoints(
    pool,
    ids.flatMap((runId, run) =>
      Array.from({ length: sparklineSteps }, (_, i) => ({
        runId,
        key: "val_loss",
        step: i + 1,
        value: 1 / (i + 1 + run) + 0.01 * Math.sin(i),
      })),
    ),
  );
  // Summaries only (no points) for every other run that started: the table's metric columns.
  await pool.query(
    `INSERT INTO "MetricSummary" ("runId", "key", "count", "last", "lastStep", "min", "minStep", "max", "maxStep", "updatedAt")
     SELECT r."id", k, 200, v, 200, v * 0.9, 150, v * 3, 1, coalesce(r."finishedAt", now())
       FROM "Run" r CROSS JOIN unnest(ARRAY['train_loss', 'val_loss', 'learning_rate']) k
            CROSS JOIN LATERAL (SELECT 0.05 + ((hashtext(r."id"::text || k) & 1023) / 1024.0)::float8 AS v) x
      WHERE r."status" <> 'QUEUED'
     ON CONFLICT DO NOTHING`,
  );
  const seriesRun = ids.at(-1) as string;
  for (let start = 0; start < seriesPoints; start += 100_000) {
    await writeMetricPoints(
      pool,
      Array.from({ length: 100_000 }, (_, i) => {
        const step = start + i + 1;
        return { runId: seriesRun, key: "train_loss", step, value: 1 / Math.sqrt(step) + 0.05 * Math.sin(step / 500) };
      }),
    );
  }
  return seriesRun;
}

/**
 * `count` runs with their summaries, sweeps, rungs and a page of real series
 * in a kept database: seeded once (a partly seeded one is emptied first),
 * then reused while it holds `count` runs. Returns the run with the
 * million-point train_loss series.
 */
export async function seedRunsAtScale(pool: pg.Pool, count: number, userId: string): Promise<string> {
  const stored = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Run"`)).rows[0]?.n ?? 0;
  const series = async () =>
    (
      await pool.query<{ runId: string }>(
        `SELECT "runId" FROM "MetricSummary" WHERE "key" = 'train_loss' ORDER BY "count" DESC, "runId" LIMIT 1`,
      )
    ).rows[0]?.runId as string;
  if (stored === count) {
    console.log(`Reusing the ${count.toLocaleString("en-US")} runs already seeded.`);
    return series();
  }
  const started = performance.now();
  console.log(
    `Seeding ${count.toLocaleString("en-US")} runs (generate_series) and a ${seriesPoints.toLocaleString("en-US")}-point series…`,
  );
  await pool.query(`TRUNCATE "Run", "Sweep", "Experiment" CASCADE`);
  await seedRunRows(pool, count, userId);
  const seriesRun = await seedPoints(pool);
  // VACUUM sets the visibility map, so counts can be index-only scans, as on a database that has been running.
  await pool.query(`VACUUM (ANALYZE) "Run", "MetricSummary", "MetricRollup", "MetricPoint", "SweepRung"`);
  console.log(`Seeded in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  return seriesRun;
}
