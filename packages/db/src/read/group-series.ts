import type pg from "pg";
import type { MetricSummary } from "../generated/prisma/client";
import { rollupWidths } from "../metric-rollup";
import type { GroupFilter } from "./group-by";
import { type RunFilters, runFilters, sqlParameters, whereClause } from "./run-list";

/** A group chart reads the newest this many runs of the group. */
export const maxGroupChartRuns = 50;
/** Points of those runs read one by one at most; past it, buckets are sampled from the rollups. */
const rawPointBudget = 500_000;

export interface GroupSeriesQuery extends RunFilters {
  group: GroupFilter;
  key: string;
  /** The most step buckets drawn. */
  buckets: number;
  /** Whether each run's own line comes too. */
  members: boolean;
}

/** One metric over a group's runs, bucket by bucket (parallel arrays): the runs' mean, spread and extremes. */
export interface GroupSeries {
  /** The runs read (the group's newest maxGroupChartRuns), newest first. */
  runs: { id: string; name: string | null }[];
  /** Steps per bucket. */
  bucketSteps: number;
  /** True when the runs held too many points to read all of them: each run's value in a bucket is then the mean of its rollups' first and last values. */
  sampled: boolean;
  /** The last step of each bucket. */
  steps: number[];
  mean: number[];
  /** Sample std across runs; null where one run has the bucket. */
  std: (number | null)[];
  min: number[];
  max: number[];
  /** Runs with a finite value in each bucket. */
  runCount: number[];
  /** With `members`: each run's value per bucket (the mean of its points there), null where it has none; in the order of `runs`. */
  lines: (number | null)[][] | null;
}

/** The rollup level whose buckets fit in `width` steps (the finest when none does), and the bucket width made a multiple of it. */
function rollupCover(width: number): { level: number; width: number } {
  const index = Math.max(
    0,
    rollupWidths.findLastIndex((w) => w <= width),
  );
  const rollupWidth = rollupWidths[index] as number;
  return { level: index + 1, width: Math.ceil(width / rollupWidth) * rollupWidth };
}

interface BucketRow {
  step: number;
  mean: number;
  std: number | null;
  min: number;
  max: number;
  runs: number;
  runIndexes?: number[];
  values?: number[];
}

/**
 * A metric of one group's runs as a band: per step bucket (at most
 * `buckets`, over the runs' whole range), the mean across runs of each run's
 * mean there, the sample std, min and max, in SQL over the runs' metric
 * points (or their rollups for long runs), never more than
 * maxGroupChartRuns runs.
 */
export async function readGroupSeries(pool: pg.Pool, query: GroupSeriesQuery): Promise<GroupSeries> {
  const { values, param } = sqlParameters();
  const key = param(query.key);
  const { rows: runs } = await pool.query<{ id: string; name: string | null } & Partial<Pick<MetricSummary, "lastStep" | "count">>>(
    `SELECT m."id", m."name", s."lastStep", s."count"
       FROM (SELECT r."id", r."name", r."createdAt" FROM "Run" r ${whereClause(runFilters(query, param))}
              ORDER BY r."createdAt" DESC, r."id" DESC LIMIT ${param(maxGroupChartRuns)}) m
       LEFT JOIN "MetricSummary" s ON s."runId" = m."id" AND s."key" = ${key}
      ORDER BY m."createdAt" DESC, m."id" DESC`,
    values,
  );
  const lastStep = Math.max(-1, ...runs.map((run) => run.lastStep ?? -1));
  const points = runs.reduce((sum, run) => sum + (run.count ?? 0), 0);
  const exact = Math.max(1, Math.ceil((lastStep + 1) / query.buckets));
  const cover = points > rawPointBudget ? rollupCover(exact) : undefined;
  const width = cover?.width ?? exact;
  const ids = runs.map((run) => run.id);
  const bucketRows =
    lastStep < 0
      ? []
      : (
          await pool.query<BucketRow>(
            `WITH points AS (${
              cover
                ? `SELECT u."runId", u."bucket"::bigint * $5 / $3 AS "bucket", u."lastStep" AS "step", v."value"
                     FROM "MetricRollup" u CROSS JOIN LATERAL (VALUES (u."firstValue"), (u."lastValue")) v("value")
                    WHERE u."runId" = ANY($1::uuid[]) AND u."key" = $2 AND u."level" = $4`
                : `SELECT p."runId", p."step" / $3 AS "bucket", p."step", p."value"
                     FROM "MetricPoint" p WHERE p."runId" = ANY($1::uuid[]) AND p."key" = $2`
            }),
             run_buckets AS (SELECT "runId", "bucket", max("step") AS "step", avg("value") AS "value" FROM points
                              WHERE "value" NOT IN ('NaN', 'Infinity', '-Infinity') GROUP BY 1, 2)
             SELECT max("step")::int AS "step", avg("value") AS "mean", stddev_samp("value") AS "std",
                    min("value") AS "min", max("value") AS "max", count(*)::int AS "runs"
                    ${query.members ? `, array_agg(array_position($1::uuid[], "runId") ORDER BY "runId") AS "runIndexes", array_agg("value" ORDER BY "runId") AS "values"` : ""}
               FROM run_buckets GROUP BY "bucket" ORDER BY "bucket"`,
            cover ? [ids, query.key, width, cover.level, rollupWidths[cover.level - 1]] : [ids, query.key, width],
          )
        ).rows;
  let lines: (number | null)[][] | null = null;
  if (query.members) {
    const byRun = runs.map(() => bucketRows.map((): number | null => null));
    bucketRows.forEach((row, bucket) => {
      row.runIndexes?.forEach((index, i) => {
        const line = byRun[index - 1];
        if (line) line[bucket] = row.values?.[i] ?? null;
      });
    });
    lines = byRun;
  }
  return {
    runs: runs.map(({ id, name }) => ({ id, name })),
    bucketSteps: width,
    sampled: cover !== undefined,
    steps: bucketRows.map((row) => row.step),
    mean: bucketRows.map((row) => row.mean),
    std: bucketRows.map((row) => row.std),
    min: bucketRows.map((row) => row.min),
    max: bucketRows.map((row) => row.max),
    runCount: bucketRows.map((row) => row.runs),
    lines,
  };
}
