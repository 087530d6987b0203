import { listWorkers } from "@hindcast/db";
import { router, viewerProcedure } from "../trpc";

export const workersRouter = router({
  /** The fleet: backend, capabilities, heartbeat age and the runs each worker holds now. */
  list: viewerProcedure.query(({ ctx }) => listWorkers(ctx.pool)),
});
