import { randomUUID } from "node:crypto";
import { dbTest } from "@hindcast/test-support";
import type pg from "pg";
import { describe, expect } from "vitest";
import { cancelQueued, requestCancel } from "../src/runs/cancel";
import { cancelUnclaimed, claim } from "../src/runs/claim";
import { endParentRun } from "../src/runs/fan-out";
import { finishRun } from "../src/runs/finish";
import { releaseRun } from "../src/runs/release";
import { seedRuns } from "../src/runs/seed";
import {
  type RunOperation,
  type RunStatus,
  runStatuses,
  runTransitions,
  type TerminalStatus,
  type Transition,
  terminalStatuses,
} from "../src/runs/statuses";

let pool: pg.Pool;
/** The worker that holds every run here; finish and release only act for it. */
const workerId = randomUUID();
const otherWorkerId = randomUUID();

dbTest.beforeAll(async ({ pool: scratch }) => {
  pool = scratch;
  await pool.query(`INSERT INTO "Worker" ("id", "hostname", "pid", "backend") VALUES ($1, 'test', 1, 'cpu'), ($2, 'test', 2, 'cpu')`, [
    workerId,
    otherWorkerId,
  ]);
});

type Operation = Exclude<RunOperation, "enqueue">;

/** Each operation's function, asked to move `runId` to `to` (one of the operation's targets) for `worker`. */
const operations: Record<Operation, (runId: string, to: RunStatus, worker: string) => Promise<Transition>> = {
  claim: (runId, _to, worker) => claim(pool, runId, worker, "cpu"),
  "cancel-unclaimed": (runId) => cancelUnclaimed(pool, runId),
  "cancel-queued": (runId) => cancelQueued(pool, runId, "test"),
  "cancel-running": (runId) => requestCancel(pool, runId, "test"),
  finish: (runId, to, worker) => finishRun(pool, runId, worker, to as TerminalStatus, { message: "ended by the test" }),
  release: (runId, _to, worker) => releaseRun(pool, runId, worker, "train_any"),
  "end-parent": (runId, to) => endParentRun(pool, runId, to as TerminalStatus, { message: "ended by the test" }),
};

const operationsTo = (to: RunStatus) =>
  (Object.keys(operations) as Operation[]).filter((operation) => (runTransitions[operation].to as readonly RunStatus[]).includes(to));

async function runIn(status: RunStatus): Promise<string> {
  const [id] = await seedRuns(pool, [{ pipeline: "retrodiction", status, workerId }]);
  return id as string;
}

async function row(runId: string): Promise<Record<string, unknown> | undefined> {
  return (await pool.query(`SELECT * FROM "Run" WHERE "id" = $1`, [runId])).rows[0];
}

const pairs = runStatuses.flatMap((from) => runStatuses.map((to) => ({ from, to })));

describe("run status transitions: every (from, to) pair, by every operation that moves a run to `to`", () => {
  dbTest.for(pairs)("$from -> $to", async ({ from, to }) => {
    const candidates = operationsTo(to);
    expect(candidates.length, `no operation moves a run to ${to}`).toBeGreaterThan(0);
    for (const operation of candidates) {
      const runId = await runIn(from);
      const before = await row(runId);
      const result = await operations[operation](runId, to, workerId);
      const legal = (runTransitions[operation].from as readonly RunStatus[]).includes(from);
      if (legal) {
        expect(result, operation).toMatchObject({ ok: true, to });
        expect((await row(runId))?.status, operation).toBe(to);
      } else {
        expect(result, operation).toEqual({ ok: false, operation, runId, from, reason: expect.stringContaining(`is ${from}`) });
        expect(await row(runId), `${operation} changed a ${from} run`).toEqual(before);
      }
    }
  });
});

describe("the transition table", () => {
  dbTest("moves no run out of a status it ends in", () => {
    for (const { from } of Object.values(runTransitions)) {
      expect((from as readonly RunStatus[]).filter((status) => terminalStatuses.includes(status))).toEqual([]);
    }
  });
});

describe("refusals that are not about the status", () => {
  dbTest("finish and release leave a run another worker holds as it is", async () => {
    for (const operation of ["finish", "release"] as const) {
      const runId = await runIn("RUNNING");
      const before = await row(runId);
      const to = operation === "finish" ? "SUCCEEDED" : "QUEUED";
      const result = await operations[operation](runId, to, otherWorkerId);
      expect(result).toEqual({ ok: false, operation, runId, from: "RUNNING", reason: expect.stringContaining("does not hold the run") });
      expect(await row(runId)).toEqual(before);
    }
  });

  dbTest("every operation reports a run that does not exist", async () => {
    const runId = randomUUID();
    for (const operation of Object.keys(operations) as Operation[]) {
      const [to] = runTransitions[operation].to;
      expect(await operations[operation](runId, to as RunStatus, workerId)).toEqual({
        ok: false,
        operation,
        runId,
        from: undefined,
        reason: `run ${runId} does not exist`,
      });
    }
  });
});
