// A run's life: every write to the "Run" table is in this folder, and every
// status change keeps to runTransitions (statuses.ts).
export { type CancelResult, cancelRun } from "./cancel";
export { type ClaimedRun, claimRun } from "./claim";
export { addRunJob, enqueueRun, insertRun, type NewRun, trainTask } from "./enqueue";
export { type ChildOutcome, type ChildRun, childOutcomes, endParentRun, fanOut } from "./fan-out";
export { type Ending, finishRun } from "./finish";
export { archiveRuns, type BulkResult, cancelRuns, markRunsDeleted, restoreRuns, setRunNote, tagRuns } from "./lifecycle";
export { type RunMatch, runStatus, runsByIdPrefix, runsInStatus } from "./lookup";
export { recordStageEvent, writeRunProgress } from "./progress";
export { defaultPurgeLimits, type PurgeLimits, type PurgeResult, purgeDeletedRuns, queuePurge } from "./purge";
export { releaseRun } from "./release";
export type { RunSelection } from "./selection";
export { type Refused, type RunOperation, runTransitions, type TerminalStatus, type Transition, terminalStatuses } from "./statuses";
export { type Queryable, withTransaction } from "./transaction";
