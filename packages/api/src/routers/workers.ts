import { router, viewerProcedure } from "../trpc.js";

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

export interface WorkerRow {
  id: string;
  hostname: string;
  pid: number;
  backend: string;
  capabilities: WorkerCapabilities;
  concurrency: number;
  status: "ONLINE" | "DRAINING" | "OFFLINE" | "DEAD";
  startedAt: Date;
  heartbeatAt: Date;
  heartbeatAgeSeconds: number;
  /** Why a DEAD worker died, e.g. "killed by SIGKILL; restarted by the supervisor" or "no heartbeat for 10 s". */
  exitReason: string | null;
  runIds: string[];
}

export const workersRouter = router({
  /** The fleet: backend, capabilities, heartbeat age and the runs each worker holds now. */
  list: viewerProcedure.query(async ({ ctx }): Promise<WorkerRow[]> => {
    const { rows } = await ctx.pool.query<Omit<WorkerRow, "heartbeatAgeSeconds"> & { heartbeatAgeSeconds: string }>(
      `SELECT w."id", w."hostname", w."pid", w."backend", w."capabilities", w."concurrency", w."status", w."startedAt", w."heartbeatAt", w."exitReason",
              extract(epoch FROM now() - w."heartbeatAt") AS "heartbeatAgeSeconds",
              coalesce(array_agg(r."id") FILTER (WHERE r."id" IS NOT NULL), '{}') AS "runIds"
         FROM "Worker" w LEFT JOIN "Run" r ON r."workerId" = w."id" AND r."status" IN ('RUNNING', 'CANCELLING')
        GROUP BY w."id" ORDER BY w."status", w."startedAt" DESC`,
    );
    return rows.map((row) => ({ ...row, heartbeatAgeSeconds: Number(row.heartbeatAgeSeconds) }));
  }),
});
