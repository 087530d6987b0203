import type pg from "pg";
import type { Checkpoint } from "./generated/prisma/client";

export type CheckpointRecord = Pick<Checkpoint, "runId" | "attempt" | "step" | "epoch" | "uri"> & {
  /** "best" checkpoints are kept apart from the rest (pruneCheckpoints). */
  metrics: { tag: string; valLoss: number | null; learningRate: number };
};

// The worker retries these on pg's connection-loss errors (Prisma would wrap them), hence plain SQL.

/** Where the run's checkpoint with the highest step is stored, and its step, if it has one. */
export async function latestCheckpoint(pool: pg.Pool, runId: string): Promise<Pick<Checkpoint, "uri" | "step"> | undefined> {
  const { rows } = await pool.query<Pick<Checkpoint, "uri" | "step">>(
    `SELECT "uri", "step" FROM "Checkpoint" WHERE "runId" = $1 ORDER BY "step" DESC LIMIT 1`,
    [runId],
  );
  return rows[0];
}

/** Records a checkpoint; one at the same step (written again by a later attempt) is replaced. */
export async function recordCheckpoint(pool: pg.Pool, checkpoint: CheckpointRecord): Promise<void> {
  await pool.query(
    `INSERT INTO "Checkpoint" ("id", "runId", "attempt", "step", "epoch", "uri", "metrics")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)
     ON CONFLICT ("runId", "step") DO UPDATE SET "uri" = excluded."uri", "attempt" = excluded."attempt", "metrics" = excluded."metrics"`,
    [checkpoint.runId, checkpoint.attempt, checkpoint.step, checkpoint.epoch, checkpoint.uri, JSON.stringify(checkpoint.metrics)],
  );
}

/** Deletes all but the newest `keep` checkpoints and the newest best one; returns the deleted ones (their files are the caller's). */
export async function pruneCheckpoints(pool: pg.Pool, runId: string, keep: number): Promise<Pick<Checkpoint, "id" | "uri">[]> {
  const { rows } = await pool.query<Pick<Checkpoint, "id" | "uri">>(
    `DELETE FROM "Checkpoint" WHERE "id" IN (
       SELECT "id" FROM (
         SELECT "id", "metrics"->>'tag' = 'best' AS best,
                row_number() OVER (PARTITION BY "metrics"->>'tag' = 'best' ORDER BY "step" DESC) AS newest
           FROM "Checkpoint" WHERE "runId" = $1) ranked
        WHERE (best AND newest > 1) OR (NOT best AND newest > $2))
     RETURNING "id", "uri"`,
    [runId, keep],
  );
  return rows;
}
