import { compareRouter } from "./routers/compare";
import { datasetsRouter } from "./routers/datasets";
import { experimentsRouter } from "./routers/experiments";
import { metricsRouter } from "./routers/metrics";
import { runsRouter } from "./routers/runs";
import { trainingRouter } from "./routers/training";
import { usersRouter } from "./routers/users";
import { workersRouter } from "./routers/workers";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  training: trainingRouter,
  runs: runsRouter,
  metrics: metricsRouter,
  compare: compareRouter,
  workers: workersRouter,
  datasets: datasetsRouter,
  experiments: experimentsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
