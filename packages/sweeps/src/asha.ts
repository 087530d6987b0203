import type { EarlyStopping } from "./sweep-spec";

/**
 * The epochs at which ASHA judges a trial that trains `epochs` epochs:
 * minEpochs x reductionFactor^k, below `epochs` (the last epoch is no rung:
 * a trial that reaches it is done).
 */
export function rungEpochs(rule: EarlyStopping, epochs: number): number[] {
  if (rule.rule === "none") return [];
  const rungs: number[] = [];
  for (let epoch = rule.minEpochs; epoch < epochs; epoch *= rule.reductionFactor) rungs.push(epoch);
  return rungs;
}

/**
 * Whether a trial whose loss at a rung is `value` goes on, given the losses
 * of every trial that reached that rung (its own among them): it must be in
 * the best 1/reductionFactor. Until a rung has reductionFactor trials, only
 * the best so far goes on. The rule of Optuna's SuccessiveHalvingPruner
 * (`_is_trial_promotable_to_next_rung`), for a loss (lower is better).
 */
export function promotable(value: number, competing: readonly number[], reductionFactor: number): boolean {
  if (!Number.isFinite(value)) return false;
  const sorted = competing.filter(Number.isFinite).sort((a, b) => a - b);
  const index = Math.max(0, Math.floor(sorted.length / reductionFactor) - 1);
  return value <= (sorted[index] ?? value);
}
