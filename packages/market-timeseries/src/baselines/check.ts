import { InvalidDataError, UsageError } from '@fingan/gan-core';
import type { ReturnColumns, SimulateReturnsArgs } from '../model/path-model.js';

/** Shared input checks of the baselines' fit and simulate methods. */
export function checkReturnColumns(data: ReturnColumns, minRows: number, model: string): number {
  if (data.assets.length === 0 || data.returns.length !== data.assets.length) {
    throw new InvalidDataError(`${model}: expected one return column per asset, got ${data.returns.length} for ${data.assets.length} assets`);
  }
  const n = data.returns[0].length;
  data.returns.forEach((r, a) => {
    if (r.length !== n) throw new InvalidDataError(`${model}: return column has ${r.length} rows, the first has ${n}`, { column: data.assets[a] });
    for (let t = 0; t < r.length; t++) {
      if (!Number.isFinite(r[t])) throw new InvalidDataError(`${model}: return ${t + 1} is not finite (${r[t]})`, { column: data.assets[a] });
    }
  });
  if (n < minRows) throw new InvalidDataError(`${model}: needs at least ${minRows} returns to fit, got ${n}`, { column: data.assets[0] });
  return n;
}

export function checkSimulateArgs(args: SimulateReturnsArgs): void {
  if (!Number.isInteger(args.horizon) || args.horizon <= 0)
    throw new UsageError(`horizon must be a positive integer, got ${args.horizon}`, { option: 'horizon' });
  if (!Number.isInteger(args.paths) || args.paths <= 0) throw new UsageError(`paths must be a positive integer, got ${args.paths}`, { option: 'paths' });
  if (!Number.isFinite(args.seed)) throw new UsageError(`seed must be a number, got ${args.seed}`, { option: 'seed' });
}
