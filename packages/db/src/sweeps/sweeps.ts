// A sweep's life: every write to the "Sweep" and "SweepRung" tables is in this
// file. Its trials are runs, written by ../runs like any other.
import { activeStatuses, ConflictError, metricCatalog, metricDirection, NotFoundError } from "@hindcast/contracts";
import type pg from "pg";
import { sweepEventsChannel } from "../channels";
import type { SweepStatus } from "../generated/prisma/enums";
import { notify } from "../notify";
import { headlineSql } from "../read/run-list";
import { cancelInTransaction } from "../runs/cancel";
import type { RunStatus } from "../runs/statuses";
import { type Queryable, withTransaction } from "../runs/transaction";
import { addSweepJob } from "./jobs";

export interface NewSweep {
  name?: string;
  /** sweeps' storedSweepSchema: the checked spec and the trials' base spec. */
  config: unknown;
  tags: string[];
  experimentId?: string;
  createdById?: string;
}

/** Inserts a RUNNING sweep and queues its first step, which starts its first trials. */
export function createSweep(pool: pg.Pool, sweep: NewSweep): Promise<string> {
  return withTransaction(pool, async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO "Sweep" ("id", "name", "config", "tags", "experimentId", "createdById", "updatedAt")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, now()) RETURNING "id"`,
      [sweep.name ?? null, JSON.stringify(sweep.config), sweep.tags, sweep.experimentId ?? null, sweep.createdById ?? null],
    );
    const id = (rows[0] as { id: string }).id;
    await addSweepJob(db, id);
    await notify(db, sweepEventsChannel, { sweepId: id, status: "RUNNING" });
    return id;
  });
}

export interface LockedSweep {
  id: string;
  name: string | null;
  status: SweepStatus;
  config: unknown;
  tags: string[];
  experimentId: string | null;
  createdById: string | null;
  trialsStarted: number;
  createdAt: Date;
}

/** The sweep's row, locked until the transaction ends: one step (or rung decision) at a time per sweep. */
export async function lockSweep(db: Queryable, sweepId: string): Promise<LockedSweep | undefined> {
  const { rows } = await db.query<LockedSweep>(
    `SELECT "id", "name", "status", "config", "tags", "experimentId", "createdById", "trialsStarted", "createdAt"
       FROM "Sweep" WHERE "id" = $1 FOR UPDATE`,
    [sweepId],
  );
  return rows[0];
}

export interface SweepTrial {
  runId: string;
  number: number;
  status: RunStatus;
  trial: Record<string, unknown> | null;
  /** The sweep's metric for this trial, once it has one. */
  objective: number | null;
}

/**
 * The SQL of a sweep metric for run `r`: a headline metric from its summary
 * (catalog path) or the best value of a tracked series (its summary's min or
 * max by the metric's direction). Keys come from the catalog only.
 */
function objectiveSql(metric: string, param: (value: unknown) => string): string {
  const headline = metricCatalog.headline.find((m) => m.key === metric);
  if (headline) return headlineSql(param(headline.path));
  const stat = metricDirection(metric) === "higher" ? "max" : "min";
  return `(SELECT s."${stat}" FROM "MetricSummary" s WHERE s."runId" = r."id" AND s."key" = ${param(metric)})`;
}

/** A sweep's trials in number order, with their objective. */
export async function sweepTrials(db: Queryable, sweepId: string, metric: string): Promise<SweepTrial[]> {
  const values: unknown[] = [sweepId];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const { rows } = await db.query<SweepTrial>(
    `SELECT r."id" AS "runId", r."trialNumber" AS "number", r."status", r."trial", ${objectiveSql(metric, param)} AS "objective"
       FROM "Run" r WHERE r."sweepId" = $1 AND r."deletedAt" IS NULL ORDER BY r."trialNumber"`,
    values,
  );
  return rows;
}

/** After a step: trials started, the best trial so far, and the end when the sweep is done. */
export async function recordSweepStep(
  db: Queryable,
  sweepId: string,
  step: { trialsStarted: number; best: { runId: string; value: number } | null; end?: { status: SweepStatus; message: string } },
): Promise<void> {
  await db.query(
    `UPDATE "Sweep" SET "trialsStarted" = $2, "bestRunId" = $3, "bestValue" = $4, "updatedAt" = now(),
            "status" = coalesce($5::"SweepStatus", "status"), "message" = coalesce($6, "message"),
            "finishedAt" = CASE WHEN $5::"SweepStatus" IS NULL THEN "finishedAt" ELSE now() END
      WHERE "id" = $1`,
    [sweepId, step.trialsStarted, step.best?.runId ?? null, step.best?.value ?? null, step.end?.status ?? null, step.end?.message ?? null],
  );
  await notify(db, sweepEventsChannel, { sweepId, status: step.end?.status });
}

/** What a user may do to a sweep, and the statuses each may leave. */
const sweepActions = {
  pause: { from: ["RUNNING"], to: "PAUSED" },
  resume: { from: ["PAUSED"], to: "RUNNING" },
  cancel: { from: ["RUNNING", "PAUSED"], to: "CANCELLED" },
} as const satisfies Record<string, { from: readonly SweepStatus[]; to: SweepStatus }>;
export type SweepAction = keyof typeof sweepActions;

/**
 * Pauses (no new trials; running ones go on), resumes or cancels a sweep
 * (its queued and running trials are cancelled with it, in the same
 * transaction). A sweep in a status the action does not leave is a 409.
 */
export function changeSweep(
  pool: pg.Pool,
  sweepId: string,
  action: SweepAction,
  by: string,
): Promise<{ status: SweepStatus; cancelled: number }> {
  return withTransaction(pool, async (db) => {
    const sweep = await lockSweep(db, sweepId);
    if (!sweep)
      throw new NotFoundError(`Sweep ${sweepId} does not exist`, "check the sweep id (hindcast sweep list shows them)", { path: "id" });
    const { from, to } = sweepActions[action];
    if (!(from as readonly SweepStatus[]).includes(sweep.status)) {
      throw new ConflictError(
        `Sweep ${sweepId} is ${sweep.status}; only a ${from.join(" or ")} sweep can ${action}`,
        "look at its status first",
        {
          path: "id",
        },
      );
    }
    await db.query(
      `UPDATE "Sweep" SET "status" = $2::"SweepStatus", "updatedAt" = now(), "message" = $3,
              "finishedAt" = CASE WHEN $2::"SweepStatus" = 'CANCELLED' THEN now() ELSE "finishedAt" END WHERE "id" = $1`,
      [sweepId, to, `${action === "cancel" ? "Cancelled" : action === "pause" ? "Paused" : "Resumed"} by ${by}`],
    );
    let cancelled = 0;
    if (action === "cancel") {
      const { rows } = await db.query<{ id: string }>(
        `SELECT "id" FROM "Run" WHERE "sweepId" = $1 AND "status" = ANY($2::"RunStatus"[]) ORDER BY "trialNumber"`,
        [sweepId, ["QUEUED", ...activeStatuses]],
      );
      for (const trial of rows) await cancelInTransaction(db, trial.id, `its sweep was cancelled by ${by}`);
      cancelled = rows.length;
    } else {
      await addSweepJob(db, sweepId);
    }
    await notify(db, sweepEventsChannel, { sweepId, status: to });
    return { status: to, cancelled };
  });
}

export interface RungReport {
  sweepId: string;
  runId: string;
  rung: number;
  epoch: number;
  /** The trial's validation loss at the rung (lower is better). */
  value: number;
  /** Decides from the values at this rung (its own among them) whether the trial goes on. */
  decide: (value: number, competing: number[]) => boolean;
}

/**
 * Records a trial's loss at a rung and whether it goes on, deciding under
 * the sweep's lock so two trials reaching a rung at once see each other.
 * A trial that reports a rung again (resumed after a crash) gets the decision
 * it got the first time.
 */
export function reportRung(pool: pg.Pool, report: RungReport): Promise<{ promoted: boolean; competing: number }> {
  return withTransaction(pool, async (db) => {
    await db.query(`SELECT 1 FROM "Sweep" WHERE "id" = $1 FOR UPDATE`, [report.sweepId]);
    const { rows: before } = await db.query<{ promoted: boolean }>(
      `SELECT "promoted" FROM "SweepRung" WHERE "sweepId" = $1 AND "rung" = $2 AND "runId" = $3`,
      [report.sweepId, report.rung, report.runId],
    );
    const { rows } = await db.query<{ value: number }>(
      `SELECT "value" FROM "SweepRung" WHERE "sweepId" = $1 AND "rung" = $2 AND "runId" <> $3`,
      [report.sweepId, report.rung, report.runId],
    );
    const competing = [...rows.map((r) => r.value), report.value];
    if (before[0]) return { promoted: before[0].promoted, competing: competing.length };
    const promoted = report.decide(report.value, competing);
    await db.query(`INSERT INTO "SweepRung" ("sweepId", "runId", "rung", "epoch", "value", "promoted") VALUES ($1, $2, $3, $4, $5, $6)`, [
      report.sweepId,
      report.runId,
      report.rung,
      report.epoch,
      report.value,
      promoted,
    ]);
    await notify(db, sweepEventsChannel, { sweepId: report.sweepId });
    return { promoted, competing: competing.length };
  });
}
