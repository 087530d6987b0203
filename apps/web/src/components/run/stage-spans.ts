import type { StageEventRow } from "./types";

/** How one execution of a stage went, with what undid or cleaned up after it. */
export interface StageSpan {
  stage: string;
  attempt: number;
  start: number;
  /** Epoch ms; undefined while the stage runs. */
  end?: number;
  outcome: "running" | "succeeded" | "failed" | "cancelled";
  message: string | null;
  /** ROLLED_BACK, ROLLBACK_FAILED and CLEANED_UP events of this stage in this attempt. */
  undo: StageEventRow[];
}

export interface RecoveryMark {
  stage: string;
  attempt: number;
  at: number;
  message: string | null;
  action: string | null;
}

export interface AttemptTimeline {
  attempt: number;
  start: number;
  end: number;
  spans: StageSpan[];
  recoveries: RecoveryMark[];
}

// The pipeline records a cancelled stage as FAILED with the CancelledError it stopped on.
const outcomeOf = (event: StageEventRow): StageSpan["outcome"] =>
  event.kind === "SUCCEEDED" ? "succeeded" : event.details?.errorName === "CancelledError" ? "cancelled" : "failed";

/**
 * Folds the run's stage events (in the order they were recorded) into one
 * timeline per attempt: a span per STARTED..SUCCEEDED/FAILED with its
 * rollback and cleanup events attached, and recovery decisions as marks.
 */
export function stageTimelines(events: readonly StageEventRow[], now: number): AttemptTimeline[] {
  const attempts = new Map<number, AttemptTimeline>();
  const attemptOf = (n: number, at: number) => {
    let timeline = attempts.get(n);
    if (!timeline) {
      timeline = { attempt: n, start: at, end: at, spans: [], recoveries: [] };
      attempts.set(n, timeline);
    }
    return timeline;
  };
  for (const event of events) {
    const at = new Date(event.at).getTime();
    const timeline = attemptOf(event.attempt, at);
    const latest = () => timeline.spans.findLast((s) => s.stage === event.stage);
    switch (event.kind) {
      case "STARTED":
        timeline.spans.push({ stage: event.stage, attempt: event.attempt, start: at, outcome: "running", message: null, undo: [] });
        break;
      case "SUCCEEDED":
      case "FAILED": {
        const span = latest();
        if (span) Object.assign(span, { end: at, outcome: outcomeOf(event), message: event.message });
        break;
      }
      case "RECOVERY":
        timeline.recoveries.push({
          stage: event.stage,
          attempt: event.attempt,
          at,
          message: event.message,
          action: typeof event.details?.action === "string" ? event.details.action : null,
        });
        break;
      default:
        latest()?.undo.push(event);
    }
    timeline.end = Math.max(timeline.end, at);
  }
  for (const timeline of attempts.values()) {
    if (timeline.spans.some((s) => s.outcome === "running")) timeline.end = Math.max(timeline.end, now);
  }
  return [...attempts.values()].sort((a, b) => a.attempt - b.attempt);
}
