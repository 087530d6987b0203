import type pg from "pg";
import type { RunStatus } from "../generated/prisma/enums";
import { QueueTask } from "../queue";

export interface QueueDepth {
  task: string;
  jobs: number;
}

/**
 * Jobs waiting in graphile-worker's queue per task: not locked by a worker and
 * not failed for good (attempts left). Every task we define is listed, with 0
 * when none waits, so a drained queue reads as 0 rather than as no data.
 */
export async function queueDepthByTask(pool: pg.Pool): Promise<QueueDepth[]> {
  const { rows } = await pool.query<QueueDepth>(
    `SELECT t."task", count(j."id")::int AS "jobs"
       FROM (SELECT unnest($1::text[]) AS "task" UNION SELECT "task_identifier" FROM graphile_worker.jobs) t
       LEFT JOIN graphile_worker.jobs j ON j."task_identifier" = t."task" AND j."locked_at" IS NULL AND j."attempts" < j."max_attempts"
      GROUP BY t."task" ORDER BY t."task"`,
    [Object.values(QueueTask)],
  );
  return rows;
}

export interface RunsInStatus {
  status: RunStatus;
  runs: number;
}

/** Runs per status, every status listed (0 when none is in it). */
export async function runsByStatus(pool: pg.Pool): Promise<RunsInStatus[]> {
  const { rows } = await pool.query<RunsInStatus>(
    `SELECT s."status", count(r."id")::int AS "runs"
       FROM unnest(enum_range(NULL::"RunStatus")) AS s("status") LEFT JOIN "Run" r ON r."status" = s."status"
      GROUP BY s."status" ORDER BY s."status"`,
  );
  return rows;
}
