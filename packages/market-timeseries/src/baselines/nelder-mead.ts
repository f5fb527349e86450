/**
 * Nelder-Mead simplex minimisation (Nelder & Mead 1965, with the adaptive coefficients of Gao & Han 2012 so it
 * keeps working in higher dimensions). Derivative-free, which suits likelihoods with a recursion inside
 * (GARCH). Non-finite objective values are treated as +Infinity, so an infeasible point is simply rejected;
 * callers reparametrise so that every real vector maps to a feasible parameter.
 */
export interface NelderMeadOptions {
  /** Initial simplex step per coordinate (default 0.5). */
  step?: number | number[];
  maxIterations?: number;
  /** Stop when the simplex's objective values and coordinates have both shrunk below these. */
  fTol?: number;
  xTol?: number;
  /** Restart from the best point this many times (a fresh simplex escapes premature collapse). */
  restarts?: number;
}

export interface NelderMeadResult {
  x: number[];
  f: number;
  iterations: number;
  converged: boolean;
}

export function nelderMead(fn: (x: number[]) => number, x0: number[], options: NelderMeadOptions = {}): NelderMeadResult {
  const { step = 0.5, maxIterations = 2000, fTol = 1e-10, xTol = 1e-8, restarts = 2 } = options;
  let best = runOnce(fn, x0, step, maxIterations, fTol, xTol);
  let iterations = best.iterations;
  for (let r = 0; r < restarts; r++) {
    const again = runOnce(fn, best.x, step, maxIterations, fTol, xTol);
    iterations += again.iterations;
    const improved = again.f < best.f - Math.abs(best.f) * 1e-12 - 1e-14;
    if (again.f <= best.f) best = { ...again, iterations };
    if (!improved) break;
  }
  return { ...best, iterations };
}

function runOnce(fn: (x: number[]) => number, x0: number[], step: number | number[], maxIterations: number, fTol: number, xTol: number): NelderMeadResult {
  const n = x0.length;
  const f = (x: number[]) => {
    const v = fn(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  const pts: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    const s = Array.isArray(step) ? step[i] : step;
    p[i] += s !== 0 ? s : 0.5;
    pts.push(p);
  }
  let vals = pts.map(f);
  let it = 0;
  let converged = false;
  for (; it < maxIterations; it++) {
    const order = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
    const sp = order.map((i) => pts[i]);
    vals = order.map((i) => vals[i]);
    pts.splice(0, pts.length, ...sp);
    let xSpread = 0;
    for (let i = 1; i <= n; i++) for (let j = 0; j < n; j++) xSpread = Math.max(xSpread, Math.abs(pts[i][j] - pts[0][j]));
    const fSpread = Math.abs(vals[n] - vals[0]);
    if (Number.isFinite(vals[n]) && fSpread <= fTol * (Math.abs(vals[0]) + 1e-12) + fTol && xSpread <= xTol * (1 + norm(pts[0]))) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += pts[i][j] / n;
    const worst = pts[n];
    const towards = (c: number) => centroid.map((cj, j) => cj + c * (worst[j] - cj));
    const xr = towards(-alpha);
    const fr = f(xr);
    if (fr < vals[0]) {
      const xe = towards(-alpha * beta);
      const fe = f(xe);
      if (fe < fr) replaceWorst(xe, fe);
      else replaceWorst(xr, fr);
    } else if (fr < vals[n - 1]) {
      replaceWorst(xr, fr);
    } else {
      const outside = fr < vals[n];
      const xc = towards(outside ? -alpha * gamma : gamma);
      const fc = f(xc);
      if (fc < (outside ? fr : vals[n])) {
        replaceWorst(xc, fc);
      } else {
        for (let i = 1; i <= n; i++) {
          pts[i] = pts[i].map((v, j) => pts[0][j] + delta * (v - pts[0][j]));
          vals[i] = f(pts[i]);
        }
      }
    }
  }
  let bi = 0;
  for (let i = 1; i < vals.length; i++) if (vals[i] < vals[bi]) bi = i;
  return { x: pts[bi].slice(), f: vals[bi], iterations: it, converged };

  function replaceWorst(x: number[], v: number) {
    pts[n] = x;
    vals[n] = v;
  }
}

function norm(x: number[]): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s);
}
