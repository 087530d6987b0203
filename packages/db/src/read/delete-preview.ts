import { terminalStatuses } from "@hindcast/contracts";
import type pg from "pg";
import type { Run } from "../generated/prisma/client";
import { assertSelectedRunsExist, type RunSelection, selectionTreeSql } from "../runs/selection";
import { sqlParameters } from "./run-list";

/** What deleting a selection would remove, for the confirmation that says so. */
export interface DeletePreview {
  /** The selected runs and their child runs. */
  runs: number;
  metricPoints: number;
  logLines: number;
  /** Artifact files and the bytes their rows record. */
  artifacts: number;
  artifactBytes: number;
  checkpoints: number;
  /** Runs still queued, running or cancelling (a delete refuses them), and the first few of them. */
  active: number;
  activeRuns: Pick<Run, "id" | "name" | "status">[];
}

/** Counts what deleting the selected runs (with their child runs) would remove; metric points from their summaries' counts. */
export async function previewDelete(pool: pg.Pool, selection: RunSelection): Promise<DeletePreview> {
  await assertSelectedRunsExist(pool, selection);
  const { values, param } = sqlParameters();
  const inTree = `"runId" IN (SELECT "id" FROM tree)`;
  const terminal = param(terminalStatuses);
  const { rows } = await pool.query<Omit<DeletePreview, "activeRuns"> & { activeRuns: DeletePreview["activeRuns"] | null }>(
    `${selectionTreeSql(selection, param)}
     SELECT (SELECT count(*) FROM tree)::int AS "runs",
            (SELECT coalesce(sum("count"), 0) FROM "MetricSummary" WHERE ${inTree})::float8 AS "metricPoints",
            (SELECT count(*) FROM "LogLine" WHERE ${inTree})::float8 AS "logLines",
            (SELECT count(*) FROM "Artifact" WHERE ${inTree})::int AS "artifacts",
            (SELECT coalesce(sum("sizeBytes"), 0) FROM "Artifact" WHERE ${inTree})::float8 AS "artifactBytes",
            (SELECT count(*) FROM "Checkpoint" WHERE ${inTree})::int AS "checkpoints",
            (SELECT count(*) FROM "Run" r JOIN tree USING ("id") WHERE r."status" <> ALL(${terminal}::"RunStatus"[]))::int AS "active",
            (SELECT json_agg(a) FROM (SELECT r."id", r."name", r."status" FROM "Run" r JOIN tree USING ("id")
                                       WHERE r."status" <> ALL(${terminal}::"RunStatus"[]) ORDER BY r."createdAt" LIMIT 5) a) AS "activeRuns"`,
    values,
  );
  const preview = rows[0] as (typeof rows)[number];
  return { ...preview, activeRuns: preview.activeRuns ?? [] };
}
