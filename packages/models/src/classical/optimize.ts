/**
 * Minimises f from x0 with the Nelder-Mead simplex (the derivative-free method
 * R's optim defaults to for these likelihoods), with the standard
 * coefficients (reflection 1, expansion 2, contraction 1/2, shrink 1/2).
 * Written here because the npm `fmin` package, the usual choice, cannot be
 * loaded by Node as an ES module (its entry imports files without extensions
 * and its main is a UMD bundle), and the models package runs in Node, Vitest
 * and the browser alike. Non-finite values count as very large, so a step into
 * an explosive region is rejected, not followed.
 */
export function minimize(
  f: (x: number[]) => number,
  x0: number[],
  maxIterations = 200 * x0.length,
  /** Size of the starting simplex: 1 steps each coordinate by 10% (+0.05); a start known to be close wants less. */
  scale = 1,
): { x: number[]; fx: number } {
  const value = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : 1e300;
  };
  const n = x0.length;
  const stepped = (v: number) => (v === 0 ? 0.25 * scale : v + scale * (0.1 * v + Math.sign(v) * 0.05));
  let simplex = [x0, ...x0.map((v, i) => x0.map((w, j) => (i === j ? stepped(v) : w)))].map((x) => ({
    x,
    fx: value(x),
  }));
  const along = (from: number[], to: number[], t: number) => from.map((v, i) => v + t * ((to[i] as number) - v));
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    simplex.sort((a, b) => a.fx - b.fx);
    const best = simplex[0] as { x: number[]; fx: number };
    const worst = simplex[n] as { x: number[]; fx: number };
    if (Math.abs(worst.fx - best.fx) <= 1e-9 * (Math.abs(best.fx) + 1e-12) && spread(simplex.map((s) => s.x)) < 1e-6) break;
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] = (centroid[i] as number) + (simplex[k]?.x[i] as number) / n;
    const reflected = along(centroid, worst.x, -1);
    const fr = value(reflected);
    const secondWorst = simplex[n - 1] as { fx: number };
    if (fr < best.fx) {
      const expanded = along(centroid, worst.x, -2);
      const fe = value(expanded);
      simplex[n] = fe < fr ? { x: expanded, fx: fe } : { x: reflected, fx: fr };
    } else if (fr < secondWorst.fx) {
      simplex[n] = { x: reflected, fx: fr };
    } else {
      const outside = fr < worst.fx;
      const contracted = along(centroid, outside ? reflected : worst.x, 0.5);
      const fc = value(contracted);
      if (fc < (outside ? fr : worst.fx)) simplex[n] = { x: contracted, fx: fc };
      else simplex = simplex.map((s, k) => (k === 0 ? s : { x: along(best.x, s.x, 0.5), fx: value(along(best.x, s.x, 0.5)) }));
    }
  }
  simplex.sort((a, b) => a.fx - b.fx);
  return simplex[0] as { x: number[]; fx: number };
}

function spread(points: number[][]): number {
  const first = points[0] as number[];
  let max = 0;
  for (const p of points) for (let i = 0; i < p.length; i++) max = Math.max(max, Math.abs((p[i] as number) - (first[i] as number)));
  return max;
}

export const logistic = (x: number) => 1 / (1 + Math.exp(-x));
export const logit = (p: number) => Math.log(p / (1 - p));
