// The tfjs 4.22 defects that `initBackend` fixes, shown WITHOUT the fixes (this file runs in its own process,
// and never installs them). If tfjs ever fixes them upstream these tests fail, and the fixes can go.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { mlp } from '../nn/mlp.js';
import { sequenceCritic } from '../nn/recurrent.js';
import { gpGradientError } from '../testing/gp-check.js';
import { backwardPass, spyMatMul } from '../testing/matmul-spy.js';

describe('tfjs 4.22 without fingan fixes', () => {
  beforeAll(async () => {
    const info = await initBackend({ backend: 'wasm', fixes: false });
    expect(info.fixes).toEqual([]);
  });
  it('second-order gradients through LeakyReLU throw', () => {
    expect(() => gpGradientError(mlp({ inputDim: 3, hidden: [4], outputDim: 1, seed: 1, name: 'd1' }), [4, 3])).toThrow(
      /gradient function not found for Greater/,
    );
  });
  it('second-order gradients through an LSTM critic are silently wrong', () => {
    const r = gpGradientError(sequenceCritic({ inputDim: 2, units: [6], cell: 'lstm', seed: 5, name: 'd2' }), [3, 4, 2]);
    expect(r.relError).toBeGreaterThan(1e-2);
  });
  it('the wasm matmul kernel receives transposed calls in a backward pass', () => {
    const seen = spyMatMul();
    backwardPass();
    expect(seen.some((a) => a.transposeA || a.transposeB)).toBe(true);
  });
});
