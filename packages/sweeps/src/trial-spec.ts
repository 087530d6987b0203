import { addDays } from "@hindcast/models/dates";
import { setPath } from "@hindcast/models/spec-paths";
import { type TrainingSpec, trainingSpecSchema } from "@hindcast/models/specs";
import { modelKindPath, pathAppliesTo } from "./space";
import type { TrialValues } from "./sweep-spec";

/**
 * The first date of the windows the final comparison of `spec` scores: its
 * retrodiction's `from`, or the start of its last `windows` windows before
 * `to` (the spec's, else the data's last date), as planRetrodiction places them.
 */
export function finalWindowsStart(spec: TrainingSpec, lastDate: string): string {
  const { retrodiction } = spec;
  if (retrodiction.from) return retrodiction.from;
  const to = retrodiction.to ?? (spec.data.to && spec.data.to < lastDate ? spec.data.to : lastDate);
  const stride = retrodiction.batchSizeDays - retrodiction.overlapDays;
  return addDays(to, -((retrodiction.windows - 1) * stride + retrodiction.batchSizeDays - 1));
}

/**
 * The spec trials start from: the base spec with its data ending the day
 * before the final comparison's windows, so trials are scored on the windows
 * just before those (their own last `windows` windows) and never see the rows
 * the final comparison judges the chosen config on.
 */
export function trialBaseSpec(spec: TrainingSpec, lastDate: string): { trialBase: TrainingSpec; trialDataTo: string } {
  const trialDataTo = addDays(finalWindowsStart(spec, lastDate), -1);
  const { from: _from, to: _to, ...retrodiction } = spec.retrodiction;
  return { trialBase: { ...spec, data: { ...spec.data, to: trialDataTo }, retrodiction }, trialDataTo };
}

/** The values of `values` that apply to the trial's model family (a family's own options apply to it only). */
export function applicableValues(values: TrialValues, baseKind: string): TrialValues {
  const kind = String(values[modelKindPath] ?? baseKind);
  return Object.fromEntries(Object.entries(values).filter(([path]) => pathAppliesTo(path, kind)));
}

/**
 * A trial's spec: the trial base with its values set. Another model family
 * starts from that family's defaults (the base family's options would be
 * unknown fields). Parsed when valid; a spec that fails validation is kept as
 * it is, and the worker records the trial FAILED with the reasons.
 */
export function trialSpec(trialBase: Record<string, unknown>, values: TrialValues): { spec: unknown; valid: boolean } {
  const spec = structuredClone(trialBase);
  const baseModel = (spec.model ?? {}) as Record<string, unknown>;
  const kind = values[modelKindPath];
  if (kind !== undefined && kind !== baseModel.kind) spec.model = { kind };
  for (const [path, value] of Object.entries(values)) setPath(spec, path.split("."), structuredClone(value));
  const parsed = trainingSpecSchema.safeParse(spec);
  return parsed.success ? { spec: parsed.data, valid: true } : { spec, valid: false };
}
