import { UsageError } from '@fingan/gan-core';
import type { PathModel, ReturnColumns, SimulateReturnsArgs } from '../model/path-model.js';

/**
 * Log returns of one or many paths: `data` is [paths, steps, nAssets] with the asset index fastest, the layout
 * every PathModel simulates. A real history is one path (return rows after the encoder dropped any gap rows).
 */
export interface ReturnPanel {
  data: ArrayLike<number>;
  paths: number;
  steps: number;
  assets: string[];
}

/** A real history (one column per asset) as a one-path panel. */
export function panelFromColumns(cols: ReturnColumns): ReturnPanel {
  const k = cols.assets.length;
  const n = cols.returns[0]?.length ?? 0;
  const data = new Float64Array(n * k);
  for (let a = 0; a < k; a++) {
    if (cols.returns[a].length !== n) throw new RangeError(`return column ${cols.assets[a]} has ${cols.returns[a].length} rows, expected ${n}`);
    for (let t = 0; t < n; t++) data[t * k + a] = cols.returns[a][t];
  }
  return { data, paths: 1, steps: n, assets: [...cols.assets] };
}

/** Simulate a model's returns straight into a panel. */
export function simulatePanel(model: PathModel, args: SimulateReturnsArgs): ReturnPanel {
  return { data: model.simulateReturns(args), paths: args.paths, steps: args.horizon, assets: [...model.assets] };
}

export function checkPanel(p: ReturnPanel, what: string): void {
  const k = p.assets.length;
  if (!(k > 0 && p.paths > 0 && p.steps > 0) || p.data.length !== p.paths * p.steps * k) {
    throw new UsageError(`${what}: ${p.data.length} values do not form ${p.paths} paths x ${p.steps} steps x ${k} assets`);
  }
}

/** Asset a of path p. */
export function pathSeries(panel: ReturnPanel, p: number, a: number): Float64Array {
  const k = panel.assets.length;
  const out = new Float64Array(panel.steps);
  const base = p * panel.steps * k + a;
  for (let t = 0; t < panel.steps; t++) out[t] = panel.data[base + t * k];
  return out;
}

/** Every return of asset a, all paths concatenated. */
export function assetPooled(panel: ReturnPanel, a: number): Float64Array {
  const k = panel.assets.length;
  const out = new Float64Array(panel.paths * panel.steps);
  for (let i = 0; i < out.length; i++) out[i] = panel.data[i * k + a];
  return out;
}

/** Sums of `h` consecutive returns of asset a within each path (overlapping windows, stride 1). */
export function rollingSums(panel: ReturnPanel, a: number, h: number): Float64Array {
  const per = Math.max(0, panel.steps - h + 1);
  const out = new Float64Array(panel.paths * per);
  let o = 0;
  for (let p = 0; p < panel.paths; p++) {
    const x = pathSeries(panel, p, a);
    let s = 0;
    for (let t = 0; t < x.length; t++) {
      s += x[t];
      if (t >= h) s -= x[t - h];
      if (t >= h - 1) out[o++] = s;
    }
  }
  return out;
}
