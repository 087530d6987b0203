import type { StageEventRow } from "./types";

/** How one execution of a stage went, with what undid or cleaned up after it. */
export interface StageSpan {
  stage: string;
  attempt: number;
  start: number;
  /** Epoch ms; undefined while the stage runs. */
  end?: number;
  /** "interrupted": still running when its attempt ended without a word (a killed worker). */
  outcome: "running" | "succeeded" | "failed" | "cancelled" | "interrupted";
  /** For a cancelled stage, who or what cancelled it ("cancelled by ana@example.com", "handed back at shutdown"). */
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
  /** The attempt that took the run over after this one, if any. */
  resumedAs: number | null;
}

// The pipeline records a cancelled stage as FAILED with the CancelledError it stopped on.
const outcomeOf = (event: StageEventRow): StageSpan["outcome"] =>
  event.kind === "SUCCEEDED" ? "succeeded" : event.details?.errorName === "CancelledError" ? "cancelled" : "failed";

/**
 * Folds the run's stage events (in the order they were recorded) into one
 * timeline per attempt: a span per STARTED..SUCCEEDED/FAILED with its
 * rollback and cleanup events attached, and recovery decisions as marks.
 * An attempt followed by another was resumed by it: a stage it left running
 * was interrupted.
 */
export function stageTimelines(events: readonly StageEventRow[], now: number): AttemptTimeline[] {
  const attempts = new Map<number, AttemptTimeline>();
  const attemptOf = (n: number, at: number) => {
    let timeline = attempts.get(n);
    if (!timeline) {
      timeline = { attempt: n, start: at, end: at, spans: [], recoveries: [], resumedAs: null };
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
  const timelines = [...attempts.values()].sort((a, b) => a.attempt - b.attempt);
  for (const [index, timeline] of timelines.entries()) {
    const next = timelines[index + 1];
    if (next) {
      timeline.resumedAs = next.attempt;
      for (const span of timeline.spans) if (span.outcome === "running") span.outcome = "interrupted";
    } else if (timeline.spans.some((s) => s.outcome === "running")) {
      timeline.end = Math.max(timeline.end, now);
    }
  }
  return timelines;
}

/**
 * What became of a stage, in words: a cancelled one says by whom or why ("cancelled by ana@example.com",
 * "handed back at shutdown"), and the stage that ended an attempt says which attempt took over.
 */
export function outcomeText(span: StageSpan, outcome: StageSpan["outcome"], resumedAs: number | null): string {
  const what = outcome === "cancelled" && span.message ? span.message : outcome;
  return resumedAs === null ? what : `${what}, resumed as attempt ${resumedAs}`;
}
