import { compareRouter } from "./routers/compare";
import { datasetsRouter } from "./routers/datasets";
import { experimentsRouter } from "./routers/experiments";
import { groupsRouter } from "./routers/groups";
import { lifecycleRouter } from "./routers/lifecycle";
import { metricsRouter } from "./routers/metrics";
import { runsRouter } from "./routers/runs";
import { sweepsRouter } from "./routers/sweeps";
import { trainingRouter } from "./routers/training";
import { usersRouter } from "./routers/users";
import { workersRouter } from "./routers/workers";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  training: trainingRouter,
  runs: runsRouter,
  lifecycle: lifecycleRouter,
  metrics: metricsRouter,
  compare: compareRouter,
  groups: groupsRouter,
  workers: workersRouter,
  datasets: datasetsRouter,
  experiments: experimentsRouter,
  users: usersRouter,
  sweeps: sweepsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
