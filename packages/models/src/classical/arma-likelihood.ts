/**
 * The exact Gaussian likelihood of a stationary ARMA(p, q) with mean mu, by
 * the Kalman filter on its state-space form (Harvey's, as statsmodels' SARIMAX
 * and R's arima use): state dimension r = max(p, q + 1), transition with the
 * AR coefficients in its first column and ones above the diagonal, shocks
 * loaded by [1, theta_1 .. theta_{r-1}], the first state observed without
 * noise, and the filter started from the stationary distribution. sigma^2 is
 * concentrated out, so the function returns minus twice the log-likelihood up
 * to a constant: n log(sum v_t^2 / F_t / n) + sum log F_t. Written here
 * because no maintained npm package filters an ARMA exactly (the `arima`
 * package's WebAssembly build cannot evaluate a likelihood at given
 * parameters). Conditional sum of squares, the cheaper estimator, is biased
 * when an MA root is near the unit circle (co2's ARIMA(3,1,2)), which is where
 * statsmodels' and R's exact estimates leave it.
 */
export function armaDeviance(w: Float64Array, mu: number, phi: readonly number[], theta: readonly number[]): number {
  const filter = filterArma(w, mu, phi, theta);
  if (!filter) return Number.POSITIVE_INFINITY;
  const n = w.length;
  return n * Math.log(filter.squares / n) + filter.logF;
}

/** The maximum-likelihood innovation variance at these parameters: sum v_t^2 / F_t / n. */
export function armaSigma2(w: Float64Array, mu: number, phi: readonly number[], theta: readonly number[]): number {
  const filter = filterArma(w, mu, phi, theta);
  return filter ? filter.squares / w.length : Number.NaN;
}

function filterArma(
  w: Float64Array,
  mu: number,
  phi: readonly number[],
  theta: readonly number[],
): { squares: number; logF: number } | null {
  const r = Math.max(phi.length, theta.length + 1);
  const ar = Float64Array.from({ length: r }, (_, i) => phi[i] ?? 0);
  const loading = Float64Array.from({ length: r }, (_, i) => (i === 0 ? 1 : (theta[i - 1] ?? 0)));
  const initial = stationaryCovariance(ar, loading);
  if (!initial) return null;

  // Flat r x r arrays; T's shape (AR column, shifted identity) makes T P T' cost r^2 instead of r^3.
  let P: Float64Array = initial;
  let next: Float64Array = new Float64Array(r * r);
  const TP = new Float64Array(r * r);
  const a = new Float64Array(r);
  let squares = 0;
  let logF = 0;
  let steady = false;
  for (let t = 0; t < w.length; t++) {
    const F = P[0] as number;
    if (!(F > 0)) return null;
    const v = (w[t] as number) - mu - (a[0] as number);
    squares += (v * v) / F;
    logF += Math.log(F);
    // Filtered state a + P z v / F, then predicted T a_filtered.
    const first = (a[0] as number) + ((P[0] as number) / F) * v;
    for (let i = 0; i < r; i++)
      a[i] = (ar[i] as number) * first + (i + 1 < r ? (a[i + 1] as number) + ((P[(i + 1) * r] as number) / F) * v : 0);
    if (steady) continue;
    // P <- T (P - P z z' P / F) T' + R R'; once it stops changing, the filter is in its steady state.
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < r; j++) {
        const filtered0j = (P[j] as number) - ((P[0] as number) * (P[j] as number)) / F;
        const filteredNext = i + 1 < r ? (P[(i + 1) * r + j] as number) - ((P[(i + 1) * r] as number) * (P[j] as number)) / F : 0;
        TP[i * r + j] = (ar[i] as number) * filtered0j + filteredNext;
      }
    }
    let change = 0;
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < r; j++) {
        const value =
          (TP[i * r] as number) * (ar[j] as number) +
          (j + 1 < r ? (TP[i * r + j + 1] as number) : 0) +
          (loading[i] as number) * (loading[j] as number);
        next[i * r + j] = value;
        change = Math.max(change, Math.abs(value - (P[i * r + j] as number)));
      }
    }
    [P, next] = [next, P];
    steady = change < 1e-12 * F;
  }
  return { squares, logF };
}

/**
 * The stationary state covariance P = T P T' + R R' by doubling
 * (P = sum_j T^j R R' T'^j, squaring T each round), on flat r x r arrays;
 * null when T is not stable. T has the AR coefficients in its first column
 * and ones above the diagonal.
 */
function stationaryCovariance(ar: Float64Array, loading: Float64Array): Float64Array | null {
  const r = ar.length;
  let P = new Float64Array(r * r);
  let A = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) P[i * r + j] = (loading[i] as number) * (loading[j] as number);
    A[i * r] = ar[i] as number;
    if (i + 1 < r) A[i * r + i + 1] = 1;
  }
  const AP = new Float64Array(r * r);
  for (let iteration = 0; iteration < 60; iteration++) {
    // P += A P A'; A = A A.
    multiply(A, P, AP, r);
    const next = new Float64Array(r * r);
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < r; j++) {
        let sum = 0;
        for (let k = 0; k < r; k++) sum += (AP[i * r + k] as number) * (A[j * r + k] as number);
        next[i * r + j] = (P[i * r + j] as number) + sum;
      }
    }
    P = next;
    const squared = new Float64Array(r * r);
    multiply(A, A, squared, r);
    A = squared;
    let size = 0;
    for (const v of A) size += v * v;
    if (!Number.isFinite(size) || size > 1e24) return null;
    if (size < 1e-28) return P;
  }
  return null;
}

function multiply(a: Float64Array, b: Float64Array, out: Float64Array, r: number): void {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      let sum = 0;
      for (let k = 0; k < r; k++) sum += (a[i * r + k] as number) * (b[k * r + j] as number);
      out[i * r + j] = sum;
    }
  }
}
