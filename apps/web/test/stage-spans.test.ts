import { describe, expect, it } from "vitest";
import { outcomeText, stageTimelines } from "../src/components/run/stage-spans";
import type { StageEventRow } from "../src/components/run/types";

let clock = Date.UTC(2026, 0, 1);
/** A stage event 1 s after the previous one. */
function event(attempt: number, stage: string, kind: StageEventRow["kind"], extra: Partial<StageEventRow> = {}): StageEventRow {
  clock += 1_000;
  return { stage, kind, attempt, durationMs: null, message: null, details: null, at: new Date(clock), ...extra };
}
const cancelled = (attempt: number, stage: string, reason: string) =>
  event(attempt, stage, "FAILED", { message: reason, details: { errorName: "CancelledError" } });

/** Each attempt's stages as the timeline words them. */
function words(events: StageEventRow[]): string[][] {
  return stageTimelines(events, clock).map((timeline) =>
    timeline.spans.map(
      (span) => `${span.stage}: ${outcomeText(span, span.outcome, span === timeline.spans.at(-1) ? timeline.resumedAs : null)}`,
    ),
  );
}

describe("the stage timeline's words", () => {
  it("says who cancelled a run", () => {
    const events = [
      event(1, "loadData", "STARTED"),
      event(1, "loadData", "SUCCEEDED"),
      event(1, "train", "STARTED"),
      cancelled(1, "train", "cancelled by ana@example.com"),
      event(1, "train", "ROLLED_BACK"),
    ];
    expect(words(events)).toEqual([["loadData: succeeded", "train: cancelled by ana@example.com"]]);
  });

  it("says a run was handed back at shutdown and which attempt resumed it", () => {
    const events = [
      event(1, "loadData", "STARTED"),
      event(1, "loadData", "SUCCEEDED"),
      event(1, "train", "STARTED"),
      cancelled(1, "train", "handed back at shutdown"),
      event(2, "loadData", "STARTED"),
      event(2, "loadData", "SUCCEEDED"),
      event(2, "train", "STARTED"),
    ];
    expect(words(events)).toEqual([
      ["loadData: succeeded", "train: handed back at shutdown, resumed as attempt 2"],
      ["loadData: succeeded", "train: running"],
    ]);
  });

  it("calls a stage left running by a killed worker interrupted once another attempt took over", () => {
    const events = [event(1, "train", "STARTED"), event(2, "train", "STARTED"), event(2, "train", "SUCCEEDED")];
    const [first, second] = stageTimelines(events, clock);
    expect(first?.spans[0]?.outcome).toBe("interrupted");
    expect(first?.end).toBe(first?.spans[0]?.start);
    expect(words(events)).toEqual([["train: interrupted, resumed as attempt 2"], ["train: succeeded"]]);
    expect(second?.resumedAs).toBeNull();
  });
});
