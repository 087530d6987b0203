export { type RunEvent, runCancelChannel, runEventsChannel } from "./channels.js";
export { createPrismaClient, type PrismaClient } from "./client.js";
export { parseDatabaseUrl, redact, withDatabase } from "./connection-url.js";
export { assertConnectable, createDatabaseIfMissing, type DatabaseHandle, openDatabase } from "./database.js";
export { assertDatasetName, listDatasets, loadDataset, type StoredDataset, saveDataset } from "./datasets.js";
export { type EmbeddedServer, startEmbeddedPostgres } from "./embedded.js";
export { isUserFacingError, UserFacingError } from "./errors.js";
export * from "./generated/prisma/enums.js";
export { logger } from "./logger.js";
export { type MetricPointInput, readSeries, type SeriesQuery, type SeriesResult, writeMetricPoints } from "./metric-store.js";
export { checksum, type MigrateResult, migrate, readLocalMigrations } from "./migrator.js";
export { type Channel, defineChannel, NotificationHub, notify } from "./notify.js";
export { hindcastHome, projectRoot } from "./paths.js";
export { createPool } from "./pool.js";
export { installQueue, maxJobAttempts, prepareDatabase, QueueTask, queueLogger } from "./queue.js";
export { type BackoffOptions, describeExit, RestartBackoff, settlesWithin } from "./restarts.js";
export {
  addRunJob,
  type CancelResult,
  cancelRun,
  countChildDone,
  enqueueRun,
  insertRun,
  type NewRun,
  type RunMatch,
  runsByIdPrefix,
  terminalStatuses,
  trainTask,
  withTransaction,
} from "./runs.js";
export { type DeadWorkers, type ReapResult, reapWorkers } from "./workers.js";
