// A run's life: every write to the "Run" table is in this folder, and every
// status change keeps to runTransitions (statuses.ts).
export { type CancelResult, cancelRun } from "./cancel.js";
export { type ClaimedRun, claimRun } from "./claim.js";
export { addRunJob, enqueueRun, insertRun, type NewRun, trainTask } from "./enqueue.js";
export { type ChildOutcome, type ChildRun, childOutcomes, endParentRun, fanOut } from "./fan-out.js";
export { type Ending, finishRun } from "./finish.js";
export { type RunMatch, runStatus, runsByIdPrefix, runsInStatus } from "./lookup.js";
export { type RunProgress, recordStageEvent, type StageEventInput, writeRunProgress } from "./progress.js";
export { releaseRun } from "./release.js";
export { type Refused, type RunOperation, runTransitions, type TerminalStatus, type Transition, terminalStatuses } from "./statuses.js";
export { withTransaction } from "./transaction.js";
