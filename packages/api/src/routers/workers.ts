import { router, viewerProcedure } from "../trpc.js";

export const workersRouter = router({
  /** The fleet: backend, capabilities, heartbeat age and the runs each worker holds now. */
  list: viewerProcedure.query(async ({ ctx }) => {
    const { rows } = await ctx.pool.query(
      `SELECT w."id", w."hostname", w."pid", w."backend", w."capabilities", w."concurrency", w."status", w."startedAt",
              extract(epoch FROM now() - w."heartbeatAt") AS "heartbeatAgeSeconds",
              coalesce(array_agg(r."id") FILTER (WHERE r."id" IS NOT NULL), '{}') AS "runIds"
         FROM "Worker" w LEFT JOIN "Run" r ON r."workerId" = w."id" AND r."status" IN ('RUNNING', 'CANCELLING')
        GROUP BY w."id" ORDER BY w."status", w."startedAt" DESC`,
    );
    return rows.map((row) => ({ ...row, heartbeatAgeSeconds: Number(row.heartbeatAgeSeconds) }));
  }),
});
