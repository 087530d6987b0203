import { bestStat, type MetricCatalog, type MetricDirection, metricCatalog, metricDirection } from "@hindcast/contracts";
import type pg from "pg";
import { groupByOf, groupKeySql, tagJoin } from "./group-by";
import { headlineMetricOf, headlineSql, type RunFilters, runFilters, sqlParameters, whereClause } from "./run-list";

/** A number a group is summarised by: a headline metric of each run's result, or a stat of a metric each run tracked. */
export type GroupMetric = { source: "headline"; key: string } | { source: "metric"; key: string; stat: "last" | "min" | "max" };

/** One metric over a group's runs; null where none of them has a finite value (std: where fewer than two have). */
export interface GroupStats {
  /** Runs with a finite value. */
  count: number;
  mean: number | null;
  /** Sample standard deviation. */
  std: number | null;
  min: number | null;
  max: number | null;
  /** The min or the max, by the metric's better direction; null when no value is better than another. */
  best: number | null;
}

export interface RunGroup {
  /** The param's value (any JSON), the tag, the experiment's name or the run group; null for runs without one. */
  value: unknown;
  count: number;
  /** In the order the metrics were asked for. */
  metrics: GroupStats[];
}

export interface RunGroupsQuery extends RunFilters {
  /** As text: "param:model.kind", "tag", "experiment" or "runGroup". */
  groupBy: string;
  metrics: GroupMetric[];
  /** The most groups returned, largest first. */
  limit: number;
}

export interface RunGroups {
  groups: RunGroup[];
  /** Whether more groups matched than `limit`. */
  more: boolean;
}

/** Each metric's value for a run over `"Run" r` (NaN and infinities read as none), and the joins it needs: one per tracked metric key. */
function metricValues(metrics: readonly GroupMetric[], param: (value: unknown) => string, catalog: MetricCatalog) {
  const joins = new Map<string, string>();
  const values = metrics.map((metric, i) => {
    if (metric.source === "headline") return headlineSql(param(headlineMetricOf(metric.key, catalog, `metrics.${i}.key`).path));
    let alias = joins.get(metric.key);
    if (!alias) {
      alias = `m${joins.size}`;
      joins.set(metric.key, alias);
    }
    const column = `${alias}."${metric.stat}"`;
    return `(CASE WHEN ${column} IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE ${column} END)`;
  });
  const joinSql = [...joins].map(
    ([key, alias]) => `LEFT JOIN "MetricSummary" ${alias} ON ${alias}."runId" = r."id" AND ${alias}."key" = ${param(key)}`,
  );
  return { joins: joinSql.join(" "), values };
}

const directionOf = (metric: GroupMetric, catalog: MetricCatalog): MetricDirection =>
  metric.source === "headline" ? headlineMetricOf(metric.key, catalog).direction : metricDirection(metric.key, catalog);

/** A group as the SQL below reads it: value, count, then n0, mean0, std0, min0, max0 for the first metric, and so on. */
type GroupRow = { value: unknown; count: number; [stat: string]: unknown };

/**
 * Runs matching the filters, grouped, largest groups first: each group's
 * count and the mean, sample std, min, max and best of each metric. One
 * aggregate pass over the matching runs in SQL (headline metrics read from
 * each run's stored result, tracked ones from MetricSummary), whatever their number.
 */
export async function groupRuns(pool: pg.Pool, query: RunGroupsQuery, catalog: MetricCatalog = metricCatalog): Promise<RunGroups> {
  const groupBy = groupByOf(query.groupBy, "groupBy");
  const { values, param } = sqlParameters();
  const key = groupKeySql(groupBy, param);
  const metrics = metricValues(query.metrics, param, catalog);
  const where = whereClause(runFilters(query, param));
  const aggregates = metrics.values.map(
    (_, i) =>
      `, count(v${i})::int AS "n${i}", avg(v${i}) AS "mean${i}", stddev_samp(v${i}) AS "std${i}", min(v${i}) AS "min${i}", max(v${i}) AS "max${i}"`,
  );
  const experiment = groupBy.kind === "experiment";
  const { rows } = await pool.query<GroupRow>(
    `WITH runs AS (SELECT ${key} AS "key"${metrics.values.map((v, i) => `, ${v} AS v${i}`).join("")}
                     FROM "Run" r ${tagJoin(groupBy)} ${metrics.joins} ${where}),
          groups AS (SELECT "key", count(*)::int AS "count"${aggregates.join("")} FROM runs GROUP BY "key")
     SELECT ${experiment ? `e."name"` : `g."key"`} AS "value", g.*
       FROM groups g ${experiment ? `LEFT JOIN "Experiment" e ON e."id" = g."key"` : ""}
      ORDER BY g."count" DESC, 1 LIMIT ${param(query.limit + 1)}`,
    values,
  );
  const directions = query.metrics.map((metric) => directionOf(metric, catalog));
  return {
    groups: rows.slice(0, query.limit).map((row) => ({
      value: row.value,
      count: row.count,
      metrics: directions.map((direction, i) => {
        const stat = (name: string) => (row[`${name}${i}`] as number | null) ?? null;
        const range = { min: stat("min"), max: stat("max") };
        const best = bestStat(direction);
        return { count: stat("n") ?? 0, mean: stat("mean"), std: stat("std"), ...range, best: best ? range[best] : null };
      }),
    })),
    more: rows.length > query.limit,
  };
}
