import type { IntervalMetrics } from "@hindcast/contracts";

/** Prediction intervals at 80% and 95%, per prediction. */
export interface Bands {
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}

export type { IntervalMetrics };

/** Half-widths of the intervals per horizon step. */
export interface ConformalWidths {
  width80: number[];
  width95: number[];
  /** Residuals each width rests on (the smallest over the horizon steps). */
  calibrationCount: number;
}

/**
 * Split-conformal half-widths per horizon step: the ceil((n + 1) level)-th
 * smallest absolute residual of that step on the calibration origins (Vovk et
 * al.; Stankeviciute et al. 2021 for one interval per step). Null when fewer
 * than 10 residuals are there for some step: no interval is better than a
 * made-up one.
 */
export function conformalWidths(residuals: readonly number[][]): ConformalWidths | null {
  const quantile = (sorted: number[], level: number) => {
    const rank = Math.ceil((sorted.length + 1) * level);
    return sorted[Math.min(rank, sorted.length) - 1] as number;
  };
  const width80: number[] = [];
  const width95: number[] = [];
  let calibrationCount = Number.POSITIVE_INFINITY;
  for (const step of residuals) {
    if (step.length < 10) return null;
    const sorted = step.map(Math.abs).sort((a, b) => a - b);
    width80.push(quantile(sorted, 0.8));
    width95.push(quantile(sorted, 0.95));
    calibrationCount = Math.min(calibrationCount, step.length);
  }
  return { width80, width95, calibrationCount };
}

/** Bands around point forecasts, each with the width of its horizon step (1-based). */
export function bandsAround(point: readonly number[], steps: readonly number[], widths: ConformalWidths): Bands {
  const bands: Bands = { lower80: [], upper80: [], lower95: [], upper95: [] };
  point.forEach((p, i) => {
    const h = (steps[i] as number) - 1;
    bands.lower80.push(p - (widths.width80[h] as number));
    bands.upper80.push(p + (widths.width80[h] as number));
    bands.lower95.push(p - (widths.width95[h] as number));
    bands.upper95.push(p + (widths.width95[h] as number));
  });
  return bands;
}

const winkler = (y: number, lower: number, upper: number, alpha: number) =>
  upper - lower + (y < lower ? (2 / alpha) * (lower - y) : 0) + (y > upper ? (2 / alpha) * (y - upper) : 0);

const pinballLoss = (y: number, q: number, tau: number) => (y >= q ? tau * (y - q) : (1 - tau) * (q - y));

export function intervalMetrics(actual: readonly number[], point: readonly number[], bands: Bands): IntervalMetrics {
  const n = actual.length;
  let in80 = 0;
  let in95 = 0;
  let w80 = 0;
  let w95 = 0;
  let pinball = 0;
  for (let i = 0; i < n; i++) {
    const y = actual[i] as number;
    const [l80, u80, l95, u95] = [bands.lower80[i], bands.upper80[i], bands.lower95[i], bands.upper95[i]] as number[];
    if (y >= (l80 as number) && y <= (u80 as number)) in80++;
    if (y >= (l95 as number) && y <= (u95 as number)) in95++;
    w80 += winkler(y, l80 as number, u80 as number, 0.2);
    w95 += winkler(y, l95 as number, u95 as number, 0.05);
    pinball +=
      (pinballLoss(y, l95 as number, 0.025) +
        pinballLoss(y, l80 as number, 0.1) +
        pinballLoss(y, point[i] as number, 0.5) +
        pinballLoss(y, u80 as number, 0.9) +
        pinballLoss(y, u95 as number, 0.975)) /
      5;
  }
  return { coverage80: in80 / n, coverage95: in95 / n, winkler80: w80 / n, winkler95: w95 / n, pinball: pinball / n };
}
