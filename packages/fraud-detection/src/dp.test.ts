import { describe, expect, it } from 'vitest';
import { UsageError } from '@fingan/gan-core';
import { ganSamplerOptions } from './model/gan.js';

describe('GAN sampler differential privacy options', () => {
  it('accepts epsilon and delta, and refuses bad values naming the option', () => {
    expect(ganSamplerOptions({ epsilon: 3, delta: 1e-6 })).toMatchObject({ epsilon: 3, delta: 1e-6 });
    for (const [opts, name] of [
      [{ epsilon: 0 }, 'epsilon'],
      [{ epsilon: -2 }, 'epsilon'],
      [{ epsilon: 'three' }, 'epsilon'],
      [{ epsilon: 1, delta: 1 }, 'delta'],
    ] as const) {
      try {
        ganSamplerOptions(opts as Record<string, unknown>);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        expect((e as UsageError).message).toMatch(new RegExp(`^gan option '${name}' `));
        expect((e as UsageError).at.option).toBe(`gan.${name}`);
      }
    }
  });
});
