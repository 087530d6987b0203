import { NotFoundError } from "@hindcast/contracts";
import type pg from "pg";
import type { SweepStatus } from "../generated/prisma/enums";
import type { RunStatus } from "../runs/statuses";
import { sweepTrials } from "../sweeps/sweeps";

export interface SweepRow {
  id: string;
  name: string | null;
  status: SweepStatus;
  config: unknown;
  tags: string[];
  experiment: string | null;
  trialsStarted: number;
  bestRunId: string | null;
  bestValue: number | null;
  message: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** Trials by status. */
  counts: Partial<Record<RunStatus, number>>;
}

const sweepRowSql = `
  SELECT s."id", s."name", s."status", s."config", s."tags", e."name" AS "experiment", s."trialsStarted", s."bestRunId",
         s."bestValue", s."message", s."createdAt", s."finishedAt",
         coalesce((SELECT jsonb_object_agg(c."status", c."n") FROM (
           SELECT r."status", count(*)::int AS "n" FROM "Run" r WHERE r."sweepId" = s."id" AND r."deletedAt" IS NULL GROUP BY r."status"
         ) c), '{}'::jsonb) AS "counts"
    FROM "Sweep" s LEFT JOIN "Experiment" e ON e."id" = s."experimentId"`;

/** Sweeps, newest first (keyset on createdAt, id). */
export async function listSweeps(pool: pg.Pool, query: { limit: number; before?: { createdAt: Date; id: string } }): Promise<SweepRow[]> {
  const { rows } = await pool.query<SweepRow>(
    `${sweepRowSql}
      WHERE ($2::timestamptz IS NULL OR (s."createdAt", s."id") < ($2::timestamptz, $3::uuid))
      ORDER BY s."createdAt" DESC, s."id" DESC LIMIT $1`,
    [query.limit, query.before?.createdAt ?? null, query.before?.id ?? null],
  );
  return rows;
}

export interface SweepTrialRow {
  runId: string;
  number: number;
  name: string | null;
  status: RunStatus;
  trial: Record<string, unknown> | null;
  objective: number | null;
  message: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The rungs it reached: epoch, validation loss and whether it went on. */
  rungs: { rung: number; epoch: number; value: number; promoted: boolean }[];
}

/** A sweep with its trials (number order, each with its objective and rungs); 404 when there is none. */
export async function readSweep(
  pool: pg.Pool,
  id: string,
  metric: (config: unknown) => string,
): Promise<SweepRow & { trials: SweepTrialRow[] }> {
  const { rows } = await pool.query<SweepRow>(`${sweepRowSql} WHERE s."id" = $1`, [id]);
  const sweep = rows[0];
  if (!sweep) throw new NotFoundError(`Sweep ${id} does not exist`, "check the sweep id (hindcast sweep list shows them)", { path: "id" });
  const trials = await sweepTrials(pool, id, metric(sweep.config));
  const { rows: details } = await pool.query<Omit<SweepTrialRow, "number" | "status" | "trial" | "objective">>(
    `SELECT r."id" AS "runId", r."name", r."message", r."startedAt", r."finishedAt",
            coalesce((SELECT jsonb_agg(jsonb_build_object('rung', g."rung", 'epoch', g."epoch", 'value', g."value", 'promoted', g."promoted") ORDER BY g."rung")
                        FROM "SweepRung" g WHERE g."runId" = r."id"), '[]'::jsonb) AS "rungs"
       FROM "Run" r WHERE r."sweepId" = $1 AND r."deletedAt" IS NULL`,
    [id],
  );
  const byId = new Map(details.map((d) => [d.runId, d]));
  return {
    ...sweep,
    trials: trials.map((t) => ({ ...t, ...(byId.get(t.runId) as Omit<SweepTrialRow, "number" | "status" | "trial" | "objective">) })),
  };
}

/** A sweep's stored config (sweeps' storedSweepSchema); undefined when the sweep is gone. */
export async function readSweepConfig(pool: pg.Pool, id: string): Promise<unknown> {
  const { rows } = await pool.query<{ config: unknown }>(`SELECT "config" FROM "Sweep" WHERE "id" = $1`, [id]);
  return rows[0]?.config;
}
