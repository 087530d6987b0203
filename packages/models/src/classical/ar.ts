import { BaselineUnavailable, type FittedForecaster, mean, requireRows } from "./forecaster";
import { lagColumns, NormalEquations } from "./least-squares";

export interface ArOptions {
  /** Fixed order; by default chosen by AIC in 1..maxLag. */
  order?: number;
  maxLag: number;
}

/**
 * AR(p) with a constant by least squares, as statsmodels' AutoReg: the order
 * is chosen by AIC on a common sample (every candidate fitted on the rows
 * after maxLag, as ar_select_order does), then the chosen order is refitted
 * on all rows after its own first p.
 */
export function fitAr(y: Float64Array, options: ArOptions): FittedForecaster {
  requireRows(y, 10, "AR");
  const maxLag = Math.min(options.order ?? options.maxLag, Math.floor((y.length - 2) / 3));
  if (maxLag < 1) throw new BaselineUnavailable(`AR needs at least 5 rows before the window; it has ${y.length}`);
  const m = mean(y);
  const centred = y.map((v) => v - m);
  const order = options.order ? maxLag : selectOrder(centred, maxLag);
  const { columns, target } = lagColumns(centred, order, order);
  const fit = new NormalEquations(columns, target).solve(columns.map((_, i) => i));
  if (!fit) throw new BaselineUnavailable(`AR(${order}) has collinear lags before the window`);
  const [c, ...phi] = fit.beta as [number, ...number[]];
  // Back from the centred series: y_t - m = c + sum phi_k (y_{t-k} - m).
  const intercept = c + m * (1 - phi.reduce((s, v) => s + v, 0));
  return arForecaster(order, intercept, phi, { sigma2: fit.sse / target.length });
}

function arForecaster(order: number, intercept: number, phi: number[], extra: Record<string, number> = {}): FittedForecaster {
  return {
    label: `AR(${order})`,
    params: { order, intercept, phi, ...extra },
    forecast(y, origins, horizon) {
      const out = new Float64Array(origins.length * horizon);
      const path = new Float64Array(order + horizon);
      origins.forEach((t, i) => {
        for (let k = 0; k < order; k++) path[k] = y[t - order + k] as number;
        for (let h = 0; h < horizon; h++) {
          let value = intercept;
          for (let k = 0; k < order; k++) value += (phi[k] as number) * (path[order + h - 1 - k] as number);
          path[order + h] = value;
          out[i * horizon + h] = value;
        }
      });
      return out;
    },
  };
}

/** AIC over orders 1..maxLag on the common sample (targets after maxLag). */
function selectOrder(centred: Float64Array, maxLag: number): number {
  const { columns, target } = lagColumns(centred, maxLag, maxLag);
  const equations = new NormalEquations(columns, target);
  const n = target.length;
  let best = { order: 1, aic: Number.POSITIVE_INFINITY };
  for (let p = 1; p <= maxLag; p++) {
    const fit = equations.solve(Array.from({ length: p + 1 }, (_, i) => i));
    if (!fit) continue;
    const aic = n * Math.log(Math.max(fit.sse, 1e-300) / n) + 2 * (p + 1);
    if (aic < best.aic) best = { order: p, aic };
  }
  return best.order;
}
