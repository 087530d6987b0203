import { CholeskyDecomposition, Matrix } from "ml-matrix";

/**
 * Least squares over any subset of a fixed set of regressors from one pass
 * over the data: the cross products X'X, X'y and y'y are formed once, and
 * each subset is solved from its block by Cholesky (ml-matrix). Order searches
 * (AR by AIC, ARIMA's Hannan-Rissanen step) try many subsets of the same
 * columns, so this makes a search cost one pass instead of one per candidate.
 * Columns should be centred (or close to it) for the normal equations to be
 * well conditioned.
 */
export class NormalEquations {
  private readonly xtx: Matrix;
  private readonly xty: number[];
  private readonly yty: number;
  readonly rows: number;

  constructor(columns: readonly Float64Array[], target: Float64Array) {
    const k = columns.length;
    this.rows = target.length;
    this.xtx = new Matrix(k, k);
    this.xty = new Array<number>(k).fill(0);
    for (let i = 0; i < k; i++) {
      const a = columns[i] as Float64Array;
      for (let j = i; j < k; j++) {
        const b = columns[j] as Float64Array;
        let sum = 0;
        for (let r = 0; r < this.rows; r++) sum += (a[r] as number) * (b[r] as number);
        this.xtx.set(i, j, sum);
        this.xtx.set(j, i, sum);
      }
      let sum = 0;
      for (let r = 0; r < this.rows; r++) sum += (a[r] as number) * (target[r] as number);
      this.xty[i] = sum;
    }
    let sum = 0;
    for (const v of target) sum += v * v;
    this.yty = sum;
  }

  /** Coefficients of the columns `indices` (in that order) and the residual sum of squares; null when singular. */
  solve(indices: readonly number[]): { beta: number[]; sse: number } | null {
    if (indices.length === 0) return { beta: [], sse: this.yty };
    const a = new Matrix(indices.map((i) => indices.map((j) => this.xtx.get(i, j))));
    const b = Matrix.columnVector(indices.map((i) => this.xty[i] as number));
    const cholesky = new CholeskyDecomposition(a);
    if (!cholesky.isPositiveDefinite()) return null;
    const beta = cholesky.solve(b).to1DArray();
    // SSE = y'y - b'X'y at the least-squares solution.
    const sse = this.yty - beta.reduce((s, v, i) => s + v * (b.get(i, 0) as number), 0);
    return { beta, sse: Math.max(sse, 0) };
  }
}

/** Column of ones and lags 1..lags of y, for targets y[start..n). */
export function lagColumns(y: ArrayLike<number>, lags: number, start: number): { columns: Float64Array[]; target: Float64Array } {
  const n = y.length - start;
  const columns = [new Float64Array(n).fill(1)];
  for (let k = 1; k <= lags; k++) columns.push(Float64Array.from({ length: n }, (_, r) => y[start + r - k] as number));
  return { columns, target: Float64Array.from({ length: n }, (_, r) => y[start + r] as number) };
}
