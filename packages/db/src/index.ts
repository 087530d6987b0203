export { isUserFacingError, UserFacingError } from "@hindcast/contracts";
export { type ArtifactRecord, deleteArtifact, findArtifact, recordArtifact } from "./artifacts.js";
export { type RunEvent, runCancelChannel, runEventsChannel } from "./channels.js";
export { type CheckpointRecord, latestCheckpointUri, pruneCheckpoints, recordCheckpoint } from "./checkpoints.js";
export { createPrismaClient, type PrismaClient } from "./client.js";
export { parseDatabaseUrl, redact, withDatabase } from "./connection-url.js";
export { assertConnectable, createDatabaseIfMissing, type DatabaseHandle, openDatabase } from "./database.js";
export {
  assertDatasetName,
  type DatasetListing,
  listDatasets,
  loadDataset,
  type StoredDataset,
  saveDataset,
} from "./datasets.js";
export { type EmbeddedServer, startEmbeddedPostgres } from "./embedded.js";
export * from "./generated/prisma/enums.js";
export { logger } from "./logger.js";
export { type LogLineInput, writeLogLines } from "./logs.js";
export { type MetricPointInput, readSeries, type SeriesQuery, type SeriesResult, writeMetricPoints } from "./metric-store.js";
export { checksum, type MigrateResult, migrate, readLocalMigrations } from "./migrator.js";
export { type Channel, defineChannel, NotificationHub, notify } from "./notify.js";
export { hindcastHome, projectRoot } from "./paths.js";
export { createPool } from "./pool.js";
export { installQueue, maxJobAttempts, prepareDatabase, QueueTask, queueLogger } from "./queue.js";
export { type ComparedMetric, compareRuns, type RunComparison } from "./read/compare.js";
export { type ExperimentRow, ensureExperiment, listExperiments } from "./read/experiments.js";
export {
  type LivePoints,
  type LivePosition,
  liveMetricPoints,
  type MetricKeySummary,
  readMetricKeys,
  readSeriesSet,
  readSparklines,
  type Series,
  type SeriesRequest,
  type Sparkline,
} from "./read/metrics.js";
export { childResultsFiles, resultsFiles, type StoredFile } from "./read/results-files.js";
export { resolveRunIds } from "./read/run-ids.js";
export {
  countRuns,
  listRuns,
  type MetricStats,
  type RunCounts,
  type RunFilters,
  type RunListQuery,
  type RunListRow,
  type RunPage,
  type RunSort,
  runColumnKeys,
  runRowsByIds,
} from "./read/run-list.js";
export {
  liveRunState,
  type RunArtifact,
  type RunDetails,
  type RunLogLine,
  type RunMetricSummary,
  type RunState,
  readRunArtifacts,
  readRunDetails,
  readRunLogs,
  readRunSource,
} from "./read/run-page.js";
export type { RunError, RunRow } from "./read/run-row.js";
export {
  listTokens,
  type NewToken,
  revokeToken,
  revokeTokenByHash,
  sessionTokenName,
  storeToken,
  type TokenRow,
  userForTokenHash,
} from "./read/tokens.js";
export { createFirstAdmin, createUser, listUsers, recordLogin, setUserRole, type UserRow, userForLogin } from "./read/users.js";
export { listWorkers, type WorkerCapabilities, type WorkerRow } from "./read/workers.js";
export { type BackoffOptions, describeExit, RestartBackoff, settlesWithin } from "./restarts.js";
export * from "./runs/index.js";
export { watchRun } from "./watch-run.js";
export {
  type DeadWorkers,
  markWorkerDraining,
  markWorkerOffline,
  type NewWorker,
  type ReapResult,
  reapWorkers,
  recordHeartbeat,
  registerWorker,
} from "./workers.js";
