import { describe, expect, it } from 'vitest';
import type { BasketGan } from './model/basket-gan.js';
import { sampleWithoutCopies, splitBaskets } from './pipeline.js';

describe('sampleWithoutCopies (privacy guard)', () => {
  it('drops exact copies of training baskets and tops up', () => {
    // A stand-in generator: the first draw repeats a training basket twice, later draws are new.
    let calls = 0;
    const fake = {
      sample: (n: number) => {
        calls++;
        const first = [Int32Array.from([1, 2]), Int32Array.from([3]), Int32Array.from([1, 2]), Int32Array.from([4, 5])];
        return { baskets: calls === 1 ? first.slice(0, n) : Array.from({ length: n }, (_, i) => Int32Array.from([10 + i])), conditions: new Float32Array() };
      },
    } as unknown as BasketGan;
    const { baskets, copiesDropped } = sampleWithoutCopies(fake, 4, 0, [Int32Array.from([1, 2])]);
    expect(copiesDropped).toBe(2);
    expect(baskets.map((b) => Array.from(b))).toEqual([[3], [4, 5], [10], [11]]);
  });
  it('gives up clearly when the generator only copies', () => {
    const copier = {
      sample: (n: number) => ({ baskets: Array.from({ length: n }, () => Int32Array.from([7])), conditions: new Float32Array() }),
    } as unknown as BasketGan;
    expect(() => sampleWithoutCopies(copier, 3, 0, [Int32Array.from([7])])).toThrow(/keeps reproducing training baskets: 60 copies dropped, 0 of 3 kept/);
  });
});

describe('splitBaskets', () => {
  it('splits by a seeded permutation, disjoint and complete', () => {
    const data = {
      ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      baskets: Array.from({ length: 10 }, (_, i) => Int32Array.from([i])),
      attributes: { band: Array.from({ length: 10 }, (_, i) => (i % 2 ? 'a' : 'b')) },
    };
    const { train, holdout } = splitBaskets(data, 0.7, 3);
    expect(train.ids).toHaveLength(7);
    expect(holdout.ids).toHaveLength(3);
    expect([...train.ids, ...holdout.ids].sort((a, b) => Number(a) - Number(b))).toEqual(data.ids);
    expect(train.attributes.band).toEqual(train.ids.map((id) => ((Number(id) - 1) % 2 ? 'a' : 'b')));
    expect(splitBaskets(data, 0.7, 3)).toEqual({ train, holdout });
  });
});
