import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/backend.js';
import { mlp } from '../nn/mlp.js';
import { sequenceCritic } from '../nn/recurrent.js';
import { gpGradientError } from '../testing/gp-check.js';

// Every critic type we ship, checked against central finite differences (relative error of the probed gradient).
describe('WGAN-GP penalty gradient vs finite differences (with the fixes)', () => {
  beforeAll(async () => {
    const info = await initBackend({ backend: 'wasm' });
    expect(info.fixes).toContain('second-order-gradients');
  });
  it('MLP critic with LeakyReLU', () => {
    const r = gpGradientError(mlp({ inputDim: 5, hidden: [8, 8], outputDim: 1, seed: 3, name: 'c1' }), [6, 5]);
    expect(r.relError).toBeLessThan(5e-3);
    expect(r.n).toBeGreaterThanOrEqual(12);
  });
  it('MLP critic with tanh and layer norm', () => {
    const r = gpGradientError(mlp({ inputDim: 5, hidden: [8], outputDim: 1, activation: 'tanh', layerNorm: true, seed: 4, name: 'c2' }), [6, 5]);
    expect(r.relError).toBeLessThan(5e-3);
    expect(r.n).toBeGreaterThanOrEqual(12);
  });
  it('LSTM sequence critic', () => {
    const r = gpGradientError(sequenceCritic({ inputDim: 2, units: [6], cell: 'lstm', seed: 5, name: 'c3' }), [3, 4, 2]);
    expect(r.relError).toBeLessThan(5e-3);
    expect(r.n).toBeGreaterThanOrEqual(12);
  });
  it('GRU sequence critic', () => {
    const r = gpGradientError(sequenceCritic({ inputDim: 2, units: [6], cell: 'gru', seed: 6, name: 'c4' }), [3, 4, 2]);
    expect(r.relError).toBeLessThan(5e-3);
    expect(r.n).toBeGreaterThanOrEqual(12);
  });
});
