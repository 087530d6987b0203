import { NotFoundError, UserFacingError } from "@hindcast/contracts";
import { loadAnyDataset } from "@hindcast/datasets";
import { createSweep, ensureExperiment, listSweeps, readSweep, type SweepRow, type SweepTrialRow } from "@hindcast/db";
import { planSpecWindows, prepareSeries, type TrainingSpec } from "@hindcast/models";
import {
  applicableValues,
  checkSweep,
  importanceMinTrials,
  parameterImportance,
  planSweep,
  type StoredSweep,
  type SweepSpec,
  storedSweepMetric,
  storedSweepSchema,
  trialSpec,
} from "@hindcast/sweeps";
import type pg from "pg";
import { assertRunFitsMemory } from "./run-memory";
import { assertSpecData, type StartedRuns, startRun } from "./run-start";

/**
 * Starts a sweep after checking all of it (spec, space, budget, metric, rule:
 * see checkSweep) and that its trials have data: they end the day before the
 * final comparison's windows and are scored on the windows just before those.
 * Nothing is queued when any check fails.
 */
export async function startSweep(pool: pg.Pool, userId: string, sweep: SweepSpec): Promise<{ id: string; trials: number }> {
  const { base, trials, extremes } = checkSweep(sweep);
  const dataset = await assertSpecData(pool, base, "base");
  await assertRunFitsMemory(pool, base, dataset);
  for (const { path, spec } of extremes) {
    await assertRunFitsMemory(pool, spec, dataset).catch((error: unknown) => {
      if (!(error instanceof UserFacingError)) throw error;
      throw new UserFacingError(`space.${path}: at the end of its range, ${error.message}`, error.fix, {
        path: `space.${path}`,
        cause: error,
      });
    });
  }
  if (!dataset.end)
    throw new UserFacingError(`dataset ${dataset.name} has no rows`, "import data into it first", { path: "base.data.dataset" });
  const stored = planSweep(sweep, base, trials, dataset.end);
  await assertTrialWindows(pool, stored.trialBase as unknown as TrainingSpec);
  const experimentId = sweep.experiment ? await ensureExperiment(pool, sweep.experiment, userId) : undefined;
  const id = await createSweep(pool, { name: sweep.name, config: stored, tags: sweep.tags, experimentId, createdById: userId });
  return { id, trials };
}

/** The trials' own retrodiction windows fit in the rows before the final comparison's windows; a 400 naming base.retrodiction otherwise. */
async function assertTrialWindows(pool: pg.Pool, trialBase: TrainingSpec): Promise<void> {
  try {
    planSpecWindows(prepareSeries(await loadAnyDataset(pool, trialBase.data.dataset), trialBase.data), trialBase);
  } catch (error) {
    throw new UserFacingError(
      `trials are scored on ${trialBase.retrodiction.windows} windows before the final comparison's, ending ${trialBase.data.to}, and those do not fit: ${error instanceof Error ? error.message : String(error)}`,
      "use fewer or shorter retrodiction windows, a shorter lookback, or more data",
      { path: "base.retrodiction.windows", cause: error },
    );
  }
}

const storedOf = (config: unknown): StoredSweep | null => {
  const parsed = storedSweepSchema.safeParse(config);
  return parsed.success ? parsed.data : null;
};

/** Sweeps, newest first, each with its metric and planned trials (not its whole stored config). */
export async function sweepSummaries(pool: pg.Pool, limit: number) {
  const rows = await listSweeps(pool, { limit });
  return rows.map(({ config, ...row }) => {
    const stored = storedOf(config);
    return { ...row, metric: stored?.spec.metric ?? null, trialsPlanned: stored?.trials ?? null };
  });
}

export type SweepDetails = Omit<SweepRow, "config"> & {
  spec: SweepSpec | null;
  trialDataTo: string | null;
  trialsPlanned: number | null;
  trials: SweepTrialRow[];
  /** The share of the objective's variance each searched field explains; null before enough trials ended. */
  importance: { path: string; importance: number }[] | null;
  importanceMinTrials: number;
};

/** A sweep with its trials and the importance of its parameters; 404 when there is none. */
export async function sweepDetails(pool: pg.Pool, id: string): Promise<SweepDetails> {
  const { config, ...sweep } = await readSweep(pool, id, storedSweepMetric);
  const stored = storedOf(config);
  const ended = sweep.trials.flatMap((t) =>
    t.status === "SUCCEEDED" && t.objective !== null && t.trial ? [{ values: t.trial, objective: t.objective }] : [],
  );
  return {
    ...sweep,
    spec: stored?.spec ?? null,
    trialDataTo: stored?.trialDataTo ?? null,
    trialsPlanned: stored?.trials ?? null,
    importance: stored ? parameterImportance(stored.spec.space, ended) : null,
    importanceMinTrials,
  };
}

/**
 * The sweep's best config trained again as a normal run on the base spec,
 * so on all the data and scored on the final comparison's windows.
 */
export async function trainBest(pool: pg.Pool, userId: string, id: string): Promise<StartedRuns> {
  const sweep = await sweepDetails(pool, id);
  const best = sweep.trials.find((t) => t.runId === sweep.bestRunId);
  if (!sweep.spec || !best?.trial) {
    throw new NotFoundError(`Sweep ${id} has no best trial yet`, "wait until a trial succeeds with a value of its metric", { path: "id" });
  }
  const base = checkSweep(sweep.spec).base;
  const { spec, valid } = trialSpec(base as unknown as Record<string, unknown>, applicableValues(best.trial, base.model.kind));
  if (!valid)
    throw new UserFacingError(`the best trial's values no longer make a valid spec`, "start a run from its spec by hand", { path: "id" });
  return startRun(pool, userId, {
    spec: spec as TrainingSpec,
    pipeline: sweep.spec.pipeline,
    requireGpu: sweep.spec.requireGpu,
    tags: sweep.tags,
    name: `${sweep.name ?? `sweep ${id.slice(0, 8)}`} best (#${best.number}) on all windows`,
    experiment: sweep.experiment ?? undefined,
  });
}
