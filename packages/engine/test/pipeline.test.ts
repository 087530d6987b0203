import { describe, expect, it } from "vitest";
import { CancellationSource, CancelledError } from "../src/cancellation";
import { MemoryRunStore } from "../src/memory-ports";
import { Pipeline, type Stage } from "../src/pipeline";
import type { StageEventKind, StageEventRecord } from "../src/ports";

type Log = string[];

interface StageBehaviour {
  failExecute?: unknown;
  failRollback?: boolean;
  failCleanup?: boolean;
  onExecute?: () => void;
}

/** A stage that logs "execute:<name>", "rollback:<name>", "cleanup:<name>" into the context. */
function stage(name: string, behaviour: StageBehaviour = {}): Stage<Log> {
  return {
    name,
    async execute(log) {
      log.push(`execute:${name}`);
      behaviour.onExecute?.();
      if (behaviour.failExecute !== undefined) throw behaviour.failExecute;
    },
    async rollback(log) {
      log.push(`rollback:${name}`);
      if (behaviour.failRollback) throw new Error(`rollback of ${name} broke`);
    },
    async cleanup(log) {
      log.push(`cleanup:${name}`);
      if (behaviour.failCleanup) throw new Error(`cleanup of ${name} broke`);
    },
  };
}

function kinds(store: MemoryRunStore, kind: StageEventKind): string[] {
  return store.events.filter((event) => event.kind === kind).map((event) => event.stage);
}

function eventsOf(log: Log, prefix: string): string[] {
  return log.filter((entry) => entry.startsWith(`${prefix}:`)).map((entry) => entry.slice(prefix.length + 1));
}

describe("Pipeline", () => {
  it("runs every stage in order, records STARTED then SUCCEEDED with a duration, and cleans up in reverse", async () => {
    const store = new MemoryRunStore();
    const log: Log = [];
    const outcome = await new Pipeline("p", [stage("prepare"), stage("loadData"), stage("train")], { store }).execute(log, { attempt: 2 });

    expect(outcome.status).toBe("succeeded");
    expect(eventsOf(log, "execute")).toEqual(["prepare", "loadData", "train"]);
    expect(eventsOf(log, "rollback")).toEqual([]);
    expect(eventsOf(log, "cleanup")).toEqual(["train", "loadData", "prepare"]);
    expect(store.events.slice(0, 6).map((event) => `${event.kind}:${event.stage}`)).toEqual([
      "STARTED:prepare",
      "SUCCEEDED:prepare",
      "STARTED:loadData",
      "SUCCEEDED:loadData",
      "STARTED:train",
      "SUCCEEDED:train",
    ]);
    const succeeded = store.events.filter((event) => event.kind === "SUCCEEDED");
    expect(succeeded.every((event) => typeof event.durationMs === "number" && event.attempt === 2)).toBe(true);
    expect(kinds(store, "CLEANED_UP")).toEqual(["train", "loadData", "prepare"]);
  });

  it("on a failure at stage 3 rolls back 3, 2, 1 and cleans up 3, 2, 1, and fails naming the stage", async () => {
    const store = new MemoryRunStore();
    const log: Log = [];
    const boom = new TypeError("shape mismatch");
    const outcome = await new Pipeline("p", [stage("one"), stage("two"), stage("three", { failExecute: boom }), stage("four")], {
      store,
    }).execute(log);

    expect(outcome).toMatchObject({ status: "failed", stage: "three", error: boom });
    expect(eventsOf(log, "execute")).toEqual(["one", "two", "three"]);
    expect(log.slice(3)).toEqual(["rollback:three", "rollback:two", "rollback:one", "cleanup:three", "cleanup:two", "cleanup:one"]);
    const failed = store.events.find((event) => event.kind === "FAILED") as StageEventRecord;
    expect(failed).toMatchObject({ stage: "three", message: "shape mismatch", details: { errorName: "TypeError" } });
    expect(kinds(store, "ROLLED_BACK")).toEqual(["three", "two", "one"]);
  });

  it("records a failing rollback as ROLLBACK_FAILED and still rolls back the other stages", async () => {
    const store = new MemoryRunStore();
    const log: Log = [];
    const stages = [stage("one"), stage("two", { failRollback: true }), stage("three", { failExecute: new Error("x") })];
    const outcome = await new Pipeline("p", stages, { store }).execute(log);

    expect(outcome).toMatchObject({ status: "failed", stage: "three" });
    expect(eventsOf(log, "rollback")).toEqual(["three", "two", "one"]);
    expect(kinds(store, "ROLLED_BACK")).toEqual(["three", "one"]);
    expect(store.events.find((event) => event.kind === "ROLLBACK_FAILED")).toMatchObject({
      stage: "two",
      message: "rollback of two broke",
    });
  });

  it("a throwing cleanup is recorded and hides neither success nor failure", async () => {
    const store = new MemoryRunStore();
    const log: Log = [];
    const succeeded = await new Pipeline("p", [stage("one"), stage("two", { failCleanup: true })], { store }).execute(log);
    expect(succeeded.status).toBe("succeeded");
    expect(eventsOf(log, "cleanup")).toEqual(["two", "one"]);
    expect(store.events.find((event) => event.kind === "CLEANED_UP" && event.stage === "two")).toMatchObject({
      message: "cleanup of two broke",
      details: { failed: true },
    });

    const error = new Error("train broke");
    const failed = await new Pipeline("p", [stage("one", { failCleanup: true }), stage("two", { failExecute: error })], { store }).execute(
      [],
    );
    expect(failed).toMatchObject({ status: "failed", stage: "two", error });
  });

  it("cancelled before a stage: that stage never starts, earlier ones roll back and clean up, outcome cancelled", async () => {
    const store = new MemoryRunStore();
    const log: Log = [];
    const source = new CancellationSource();
    const stages = [stage("one"), stage("two", { onExecute: () => source.cancel("user pressed stop") }), stage("three")];
    const outcome = await new Pipeline("p", stages, { store }).execute(log, { token: source.token });

    expect(outcome).toMatchObject({ status: "cancelled", stage: "three", reason: "user pressed stop" });
    expect(eventsOf(log, "execute")).toEqual(["one", "two"]);
    expect(eventsOf(log, "rollback")).toEqual(["two", "one"]);
    expect(eventsOf(log, "cleanup")).toEqual(["two", "one"]);
    expect(kinds(store, "STARTED")).toEqual(["one", "two"]);
  });

  it("a CancelledError thrown inside a stage makes the outcome cancelled, not failed, and cleanup still runs", async () => {
    const store = new MemoryRunStore();
    const log: Log = [];
    const stages = [stage("one"), stage("two", { failExecute: new CancelledError("mid-epoch") })];
    const outcome = await new Pipeline("p", stages, { store }).execute(log);

    expect(outcome).toMatchObject({ status: "cancelled", stage: "two", reason: "mid-epoch" });
    expect(eventsOf(log, "rollback")).toEqual(["two", "one"]);
    expect(eventsOf(log, "cleanup")).toEqual(["two", "one"]);
  });

  it("gives rollback and cleanup a token that never trips, so cancellation cannot cut them short", async () => {
    const source = new CancellationSource();
    const seen: boolean[] = [];
    const watching: Stage<Log> = {
      name: "watching",
      execute: async () => source.cancel(),
      rollback: async (_ctx, run) => {
        seen.push(run.token.cancelled);
      },
      cleanup: async (_ctx, run) => {
        seen.push(run.token.cancelled);
      },
    };
    const outcome = await new Pipeline("p", [watching, stage("next")], { store: new MemoryRunStore() }).execute([], {
      token: source.token,
    });
    expect(outcome.status).toBe("cancelled");
    expect(seen).toEqual([false, false]);
  });

  it("startAt resumes at a stage, skipping (and never undoing) the ones before it", async () => {
    const log: Log = [];
    const pipeline = new Pipeline("p", [stage("prepare"), stage("loadData"), stage("train", { failExecute: new Error("no") })], {
      store: new MemoryRunStore(),
    });
    const outcome = await pipeline.execute(log, { startAt: "loadData" });
    expect(outcome.status).toBe("failed");
    expect(eventsOf(log, "execute")).toEqual(["loadData", "train"]);
    expect(eventsOf(log, "rollback")).toEqual(["train", "loadData"]);
    expect(eventsOf(log, "cleanup")).toEqual(["train", "loadData"]);
    await expect(pipeline.execute([], { startAt: "nope" })).rejects.toThrow(/no stage "nope"/);
  });

  it("rejects duplicate stage names at construction", () => {
    expect(() => new Pipeline("p", [stage("a"), stage("b"), stage("a")], { store: new MemoryRunStore() })).toThrow(
      /duplicate stage names: a/,
    );
  });

  it("fails at the stage whose STARTED cannot be recorded, but only reports later store failures", async () => {
    const down = new Error("database is down");
    const failStarted = new (class extends MemoryRunStore {
      override async recordStageEvent(event: StageEventRecord) {
        if (event.kind === "STARTED" && event.stage === "two") throw down;
        await super.recordStageEvent(event);
      }
    })();
    const log: Log = [];
    const outcome = await new Pipeline("p", [stage("one"), stage("two")], { store: failStarted }).execute(log);
    expect(outcome).toMatchObject({ status: "failed", stage: "two", error: down });
    expect(eventsOf(log, "execute")).toEqual(["one"]);
    expect(eventsOf(log, "rollback")).toEqual(["one"]);

    const failLater = new (class extends MemoryRunStore {
      override async recordStageEvent(event: StageEventRecord) {
        if (event.kind !== "STARTED") throw down;
        await super.recordStageEvent(event);
      }
    })();
    const reported: string[] = [];
    const pipeline = new Pipeline("p", [stage("one"), stage("two")], {
      store: failLater,
      onRecordError: (error, event) => reported.push(`${event.kind}:${event.stage}:${(error as Error).message}`),
    });
    expect((await pipeline.execute([])).status).toBe("succeeded");
    expect(reported).toEqual([
      "SUCCEEDED:one:database is down",
      "SUCCEEDED:two:database is down",
      "CLEANED_UP:two:database is down",
      "CLEANED_UP:one:database is down",
    ]);
  });
});
