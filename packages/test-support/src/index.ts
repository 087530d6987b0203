export { type TestApi, testPasswords } from "./api-server";
export { type ScratchDatabase, scratchDatabase } from "./database";
export {
  alive,
  killAll,
  migrateBin,
  processTree,
  runEntryPoint,
  type StackProcess,
  startStack,
  stopStack,
  tempHome,
} from "./entry-point";
export { apiTest, dbTest } from "./fixtures";
export { longSpec, quickSpec, seattleData, seattleSpec } from "./specs";
export { spawnWorker, stopWorker, type WorkerProcess } from "./worker-process";
