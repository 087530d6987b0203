import { isTerminalStatus, metricDirection } from "@hindcast/contracts";
import {
  insertRun,
  type LockedSweep,
  lockSweep,
  type Queryable,
  recordSweepStep,
  type SweepTrial,
  sweepTrials,
  withTransaction,
} from "@hindcast/db";
import { flattenParams } from "@hindcast/models";
import {
  applicableValues,
  modelKindPath,
  type ObservedTrial,
  proposeTrial,
  type StoredSweep,
  storedSweepSchema,
  trialSpec,
} from "@hindcast/sweeps";
import { z } from "zod";
import type { WorkerContext } from "./context";
import { retryTransient } from "./ports/transient";

const payloadSchema = z.object({ sweepId: z.uuid() });

/**
 * The graphile-worker task that moves a sweep on: queued when the sweep
 * starts or resumes and whenever one of its trials ends. Under the sweep's
 * lock it keeps the best trial, starts trials while fewer than `parallel`
 * run and the budget allows, and ends the sweep once its budget is spent and
 * no trial runs. Everything it reads is in the database, so any worker, after
 * any crash or restart, takes up where the last step left off.
 */
export function sweepStepTaskHandler(worker: WorkerContext) {
  return async (payload: unknown): Promise<void> => {
    const { sweepId } = payloadSchema.parse(payload);
    await retryTransient(() => withTransaction(worker.pool, (db) => stepSweep(db, sweepId)));
  };
}

/** The trial values and objective of ended trials, oriented so that lower is better; a trial stopped early ranks behind every other. */
function observed(trials: readonly SweepTrial[], higherIsBetter: boolean): ObservedTrial[] {
  return trials.flatMap((t) => {
    if (!t.trial) return [];
    if (t.status === "STOPPED") return [{ values: t.trial, loss: Number.POSITIVE_INFINITY }];
    if (t.status !== "SUCCEEDED" || t.objective === null || !Number.isFinite(t.objective)) return [];
    return [{ values: t.trial, loss: higherIsBetter ? -t.objective : t.objective }];
  });
}

function bestTrial(trials: readonly SweepTrial[], higherIsBetter: boolean): { runId: string; value: number; number: number } | null {
  let best: { runId: string; value: number; number: number } | null = null;
  for (const t of trials) {
    if (t.status !== "SUCCEEDED" || t.objective === null || !Number.isFinite(t.objective)) continue;
    if (!best || (higherIsBetter ? t.objective > best.value : t.objective < best.value))
      best = { runId: t.runId, value: t.objective, number: t.number };
  }
  return best;
}

async function startTrial(db: Queryable, sweep: LockedSweep, stored: StoredSweep, number: number, history: ObservedTrial[]): Promise<void> {
  const { spec, trialBase } = stored;
  const baseKind = String((trialBase.model as { kind?: unknown } | undefined)?.kind);
  const proposed = proposeTrial({ method: spec.method, space: spec.space, seed: spec.seed, trial: number, history });
  const values = applicableValues(proposed, baseKind);
  const trial = trialSpec(trialBase, values);
  await insertRun(db, {
    spec: trial.spec,
    pipeline: spec.pipeline,
    queue: spec.requireGpu ? "gpu" : "any",
    params: flattenParams(trial.spec),
    tags: sweep.tags,
    name: `${sweep.name ?? `sweep ${sweep.id.slice(0, 8)}`} #${number}${values[modelKindPath] ? ` ${String(values[modelKindPath])}` : ""}`,
    experimentId: sweep.experimentId ?? undefined,
    createdById: sweep.createdById ?? undefined,
    sweepId: sweep.id,
    trialNumber: number,
    trial: values,
  });
}

async function stepSweep(db: Queryable, sweepId: string): Promise<void> {
  const sweep = await lockSweep(db, sweepId);
  if (!sweep) return;
  const stored = storedSweepSchema.safeParse(sweep.config);
  if (!stored.success) {
    const end = { status: "FAILED" as const, message: "Its stored config is unreadable (written by another version?)" };
    await recordSweepStep(db, sweepId, {
      trialsStarted: sweep.trialsStarted,
      best: null,
      end: sweep.status === "RUNNING" ? end : undefined,
    });
    return;
  }
  const { spec, trials: budget } = stored.data;
  const higherIsBetter = metricDirection(spec.metric) === "higher";
  const trials = await sweepTrials(db, sweepId, spec.metric);
  const history = observed(trials, higherIsBetter);
  const timeUp = spec.budget.minutes !== undefined && Date.now() - sweep.createdAt.getTime() >= spec.budget.minutes * 60_000;
  let active = trials.filter((t) => !isTerminalStatus(t.status)).length;
  let started = sweep.trialsStarted;
  if (sweep.status === "RUNNING" && !timeUp) {
    for (; active < spec.parallel && started < budget; active++, started++) await startTrial(db, sweep, stored.data, started, history);
  }
  const best = bestTrial(trials, higherIsBetter);
  const done = sweep.status === "RUNNING" && active === 0 && (started >= budget || timeUp);
  const end = !done
    ? undefined
    : best
      ? {
          status: "SUCCEEDED" as const,
          message: `${started} trials${timeUp && started < budget ? " (wall-time budget spent)" : ""}; the best is trial #${best.number}`,
        }
      : { status: "FAILED" as const, message: `None of its ${started} trials succeeded with a value of ${spec.metric}` };
  await recordSweepStep(db, sweepId, { trialsStarted: started, best, end });
}
