import { NotFoundError, parseRunSummary } from "@hindcast/contracts";
import type pg from "pg";
import { prismaOf } from "../client";
import type { MetricSummary } from "../generated/prisma/client";
import { type RunRow, runParams } from "./run-row";

export type ComparedMetric = Pick<MetricSummary, "last" | "min" | "max" | "lastStep">;

export interface RunComparison {
  runs: Pick<RunRow, "id" | "name" | "status" | "resultSummary">[];
  /** Params whose values differ between the runs: each key's value in every run, in the runs' order (null where a run lacks it). */
  differing: Record<string, unknown[]>;
  /** Params every run has the same value of. */
  shared: Record<string, unknown>;
  /** Every metric any run has: its stats in each run, in the runs' order (null where a run lacks it). */
  metrics: Record<string, (ComparedMetric | null)[]>;
}

const sameJson = (values: readonly unknown[]) => values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]));

/** Runs side by side, in the order of `ids`: their params split into differing and shared, and last/min/max of every metric. */
export async function compareRuns(pool: pg.Pool, ids: readonly string[]): Promise<RunComparison> {
  const found = await prismaOf(pool).run.findMany({
    where: { id: { in: [...ids] }, deletedAt: null },
    select: {
      id: true,
      name: true,
      status: true,
      params: true,
      resultSummary: true,
      metricSummaries: { select: { key: true, last: true, min: true, max: true, lastStep: true }, orderBy: { key: "asc" } },
    },
  });
  const missing = ids.filter((id) => !found.some((run) => run.id === id));
  if (missing.length) {
    throw new NotFoundError(`No run ${missing.join(", ")}`, "compare runs that exist (hindcast train list shows them)", { path: "ids" });
  }
  const runs = ids.map((id) => {
    const { metricSummaries, params, resultSummary, ...run } = found.find((r) => r.id === id) as (typeof found)[number];
    return { ...run, params: runParams(params), resultSummary: parseRunSummary(resultSummary), metricSummaries };
  });
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const byKey = keys.map((key) => [key, runs.map((r) => r.params[key] ?? null)] as const);
  const metricKeys = [...new Set(runs.flatMap((r) => r.metricSummaries.map((s) => s.key)))].sort();
  return {
    runs: runs.map(({ id, name, status, resultSummary }) => ({ id, name, status, resultSummary })),
    differing: Object.fromEntries(byKey.filter(([, values]) => !sameJson(values))),
    shared: Object.fromEntries(byKey.filter(([, values]) => sameJson(values)).map(([key, values]) => [key, values[0]])),
    metrics: Object.fromEntries(
      metricKeys.map((key) => [
        key,
        runs.map((run) => {
          const summary = run.metricSummaries.find((s) => s.key === key);
          return summary ? { last: summary.last, min: summary.min, max: summary.max, lastStep: summary.lastStep } : null;
        }),
      ]),
    ),
  };
}
