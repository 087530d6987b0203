import type pg from "pg";
import { z } from "zod";
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
  /** Where the worker serves its Prometheus metrics, when it does (WORKER_METRICS_PORT). */
  metricsUrl?: string;
}

/** What a worker's heartbeat says about its machine (Worker.load); @hindcast/observability's workerLoad builds it from a sample. */
export const workerLoadSchema = z.object({
  /** The machine's CPU use over all its cores since the previous heartbeat, 0 to 100. */
  cpuPercent: z.number().finite(),
  /** 1, 5 and 15 minute load averages. */
  loadAverage: z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]),
  memoryUsedMb: z.number().finite(),
  memoryTotalMb: z.number().finite(),
  /** Absent on a machine without nvidia-smi. */
  gpus: z
    .array(
      z.object({
        index: z.number().int(),
        utilizationPercent: z.number().finite(),
        memoryUsedMb: z.number().finite(),
        memoryTotalMb: z.number().finite(),
      }),
    )
    .optional(),
  trainingsRunning: z.number().int().min(0),
});
export type WorkerLoad = z.infer<typeof workerLoadSchema>;

export type WorkerRow = Pick<
  Worker,
  "id" | "hostname" | "pid" | "backend" | "concurrency" | "status" | "startedAt" | "heartbeatAt" | "exitReason"
> & {
  capabilities: WorkerCapabilities;
  /** Seconds since the last heartbeat, by the database's clock (the one heartbeats are stamped with). */
  heartbeatAgeSeconds: number;
  /** Runs the worker holds now. */
  runIds: string[];
  /** The load its last heartbeat reported; null before the first, from a worker that reports none, or when the stored JSON is unreadable. */
  load: WorkerLoad | null;
};

/** The fleet: backend, capabilities, heartbeat age and the runs each worker holds now. */
export async function listWorkers(pool: pg.Pool): Promise<WorkerRow[]> {
  const { rows } = await pool.query<Omit<WorkerRow, "heartbeatAgeSeconds" | "load"> & { heartbeatAgeSeconds: string; load: unknown }>(
    `SELECT w."id", w."hostname", w."pid", w."backend", w."capabilities", w."concurrency", w."status", w."startedAt", w."heartbeatAt", w."exitReason",
            w."load",
            extract(epoch FROM now() - w."heartbeatAt") AS "heartbeatAgeSeconds",
            coalesce(array_agg(r."id") FILTER (WHERE r."id" IS NOT NULL), '{}') AS "runIds"
       FROM "Worker" w LEFT JOIN "Run" r ON r."workerId" = w."id" AND r."status" IN ('RUNNING', 'CANCELLING')
      GROUP BY w."id" ORDER BY w."status", w."startedAt" DESC`,
  );
  return rows.map((row) => ({
    ...row,
    heartbeatAgeSeconds: Number(row.heartbeatAgeSeconds),
    load: workerLoadSchema.safeParse(row.load).data ?? null,
  }));
}
