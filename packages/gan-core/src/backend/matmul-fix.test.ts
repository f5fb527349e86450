// Runs in its own process: start from the unpatched wasm kernels, put a spy underneath, then apply the fix.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { isWasmMatMulPatched, patchWasmMatMul } from './fixes.js';
import { backwardPass, spyMatMul } from '../testing/matmul-spy.js';

describe('wasm transposed-matmul fix', () => {
  it('routes every backward-pass matmul to the fast non-transposed kernel with the same result', async () => {
    await initBackend({ backend: 'cpu', fixes: false });
    const expected = backwardPass();
    await initBackend({ backend: 'wasm', fixes: false });
    expect(isWasmMatMulPatched()).toBe(false);
    const seen = spyMatMul();
    expect(patchWasmMatMul()).toBe(true);
    expect(isWasmMatMulPatched()).toBe(true);
    const got = backwardPass();
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((a) => !a.transposeA && !a.transposeB)).toBe(true);
    for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i], 3);
    expect(tf.getBackend()).toBe('wasm');
  });
});
