import { compareRouter } from "./routers/compare.js";
import { datasetsRouter } from "./routers/datasets.js";
import { experimentsRouter } from "./routers/experiments.js";
import { metricsRouter } from "./routers/metrics.js";
import { runsRouter } from "./routers/runs.js";
import { trainingRouter } from "./routers/training.js";
import { usersRouter } from "./routers/users.js";
import { workersRouter } from "./routers/workers.js";
import { createCallerFactory, router } from "./trpc.js";

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
