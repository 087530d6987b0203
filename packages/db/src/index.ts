export { isUserFacingError, UserFacingError } from "@hindcast/contracts";
export {
  type CompleteBlob,
  completeArtifactBlob,
  createArtifactBlob,
  deleteArtifactBlob,
  findArtifactBlob,
  readArtifactChunk,
  sweepAbandonedArtifactBlobs,
  writeArtifactChunk,
} from "./artifact-blobs";
export {
  type ArtifactLocation,
  type ArtifactRecord,
  artifactUrisWithPrefix,
  deleteArtifact,
  findArtifact,
  moveArtifactUri,
  recordArtifact,
} from "./artifacts";
export { type RunEvent, runCancelChannel, runEventsChannel, sweepEventsChannel } from "./channels";
export { type CheckpointRecord, latestCheckpoint, pruneCheckpoints, recordCheckpoint } from "./checkpoints";
export { createPrismaClient, type PrismaClient } from "./client";
export { parseDatabaseUrl, redact, withDatabase } from "./connection-url";
export { assertConnectable, createDatabaseIfMissing, type DatabaseHandle, openDatabase } from "./database";
export {
  assertDatasetName,
  type DatasetListing,
  listDatasets,
  loadDataset,
  type StoredDataset,
  saveDataset,
} from "./datasets";
export { type EmbeddedServer, startEmbeddedPostgres } from "./embedded";
export * from "./generated/prisma/enums";
export { logger } from "./logger";
export { type LogLineInput, writeLogLines } from "./logs";
export { type MetricPointInput, readSeries, type SeriesQuery, type SeriesResult, writeMetricPoints } from "./metric-store";
export { checksum, type MigrateResult, migrate, readLocalMigrations } from "./migrator";
export { type Channel, defineChannel, NotificationHub, notify } from "./notify";
export { hindcastHome, projectRoot } from "./paths";
export { createPool } from "./pool";
export { installQueue, maxJobAttempts, prepareDatabase, QueueTask, queueLogger } from "./queue";
export { type ComparedMetric, compareRuns, type RunComparison } from "./read/compare";
export { type DeletePreview, previewDelete } from "./read/delete-preview";
export { type ExperimentRow, ensureExperiment, listExperiments } from "./read/experiments";
export {
  type ExportCell,
  type ExportRows,
  exportMetricSeries,
  exportRuns,
  exportSweepTrials,
  type RunExportRequest,
} from "./read/exports";
export { type QueueDepth, queueDepthByTask, type RunsInStatus, runsByStatus } from "./read/fleet-stats";
export type { GroupFilter } from "./read/group-by";
export { type GroupSeries, type GroupSeriesQuery, maxGroupChartRuns, readGroupSeries } from "./read/group-series";
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
} from "./read/metrics";
export { childResultsFiles, resultsFiles, type StoredFile } from "./read/results-files";
export { type GroupMetric, type GroupStats, groupRuns, type RunGroup, type RunGroups, type RunGroupsQuery } from "./read/run-groups";
export { resolveRunIds } from "./read/run-ids";
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
} from "./read/run-list";
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
} from "./read/run-page";
export type { RunError, RunRow } from "./read/run-row";
export { listSweeps, readSweep, readSweepConfig, type SweepRow, type SweepTrialRow } from "./read/sweeps";
export {
  listTokens,
  type NewToken,
  revokeToken,
  revokeTokenByHash,
  sessionTokenName,
  storeToken,
  type TokenRow,
  userForTokenHash,
} from "./read/tokens";
export { createFirstAdmin, createUser, listUsers, recordLogin, setUserRole, type UserRow, userForLogin } from "./read/users";
export { listWorkers, type WorkerCapabilities, type WorkerLoad, type WorkerRow, workerLoadSchema } from "./read/workers";
export { type BackoffOptions, describeExit, RestartBackoff, settlesWithin } from "./restarts";
export * from "./runs/index";
export { addSweepJob } from "./sweeps/jobs";
export {
  changeSweep,
  createSweep,
  type LockedSweep,
  lockSweep,
  type NewSweep,
  type RungReport,
  recordSweepStep,
  reportRung,
  type SweepAction,
  type SweepTrial,
  sweepTrials,
} from "./sweeps/sweeps";
export { databaseErrorCode, isDatabaseUnavailable } from "./unavailable";
export { watchRun } from "./watch-run";
export {
  type DeadWorkers,
  markWorkerDraining,
  markWorkerOffline,
  type NewWorker,
  type ReapResult,
  reapWorkers,
  recordHeartbeat,
  recordQueueWorker,
  registerWorker,
} from "./workers";
