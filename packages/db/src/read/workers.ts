import type pg from "pg";
import type { Worker } from "../generated/prisma/client";

/** What a worker recorded about itself at start-up (apps/worker: backend pick and task list). */
export interface WorkerCapabilities {
  gpu?: boolean;
  backend?: string;
  /** Facts about the picked backend (device, versions). */
  notes?: string[];
  /** Better backends that were tried first, and why each was turned down. */
  rejected?: { backend: string; reason: string }[];
  /** Queue tasks the worker takes. */
  tasks?: string[];
}

export type WorkerRow = Pick<
  Worker,
  "id" | "hostname" | "pid" | "backend" | "concurrency" | "status" | "startedAt" | "heartbeatAt" | "exitReason"
> & {
  capabilities: WorkerCapabilities;
  /** Seconds since the last heartbeat, by the database's clock (the one heartbeats are stamped with). */
  heartbeatAgeSeconds: number;
  /** Runs the worker holds now. */
  runIds: string[];
};

/** The fleet: backend, capabilities, heartbeat age and the runs each worker holds now. */
export async function listWorkers(pool: pg.Pool): Promise<WorkerRow[]> {
  const { rows } = await pool.query<Omit<WorkerRow, "heartbeatAgeSeconds"> & { heartbeatAgeSeconds: string }>(
    `SELECT w."id", w."hostname", w."pid", w."backend", w."capabilities", w."concurrency", w."status", w."startedAt", w."heartbeatAt", w."exitReason",
            extract(epoch FROM now() - w."heartbeatAt") AS "heartbeatAgeSeconds",
            coalesce(array_agg(r."id") FILTER (WHERE r."id" IS NOT NULL), '{}') AS "runIds"
       FROM "Worker" w LEFT JOIN "Run" r ON r."workerId" = w."id" AND r."status" IN ('RUNNING', 'CANCELLING')
      GROUP BY w."id" ORDER BY w."status", w."startedAt" DESC`,
  );
  return rows.map((row) => ({ ...row, heartbeatAgeSeconds: Number(row.heartbeatAgeSeconds) }));
}
