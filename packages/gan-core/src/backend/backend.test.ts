import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';

describe('initBackend', () => {
  it('rejects an unknown backend naming the flag', async () => {
    await expect(initBackend({ backend: 'quantum' })).rejects.toThrow(/unknown backend 'quantum'/);
    process.env.FINGAN_BACKEND = 'gpu9';
    await expect(initBackend()).rejects.toMatchObject({ at: { flag: 'FINGAN_BACKEND' } });
    delete process.env.FINGAN_BACKEND;
  });
  it('falls back from auto to wasm with SIMD when tfjs-node is absent, and reports it', async () => {
    const info = await initBackend();
    expect(['tensorflow', 'wasm']).toContain(info.name);
    if (info.name === 'wasm') {
      expect(info.simd).toBe(true);
      expect(info.notes.join(' ')).toMatch(/tfjs-node/);
      expect(info.fixes).toEqual(['second-order-gradients', 'fast-tile-gradient', 'wasm-transposed-matmul']);
    }
    expect(tf.getBackend()).toBe(info.name);
  });
  it('honours FINGAN_BACKEND=cpu', async () => {
    process.env.FINGAN_BACKEND = 'cpu';
    const info = await initBackend();
    delete process.env.FINGAN_BACKEND;
    expect(info).toMatchObject({ name: 'cpu', requested: 'cpu' });
    await initBackend({ backend: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
  });
});
