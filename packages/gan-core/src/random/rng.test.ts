import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const a = new Rng(42),
      b = new Rng(42),
      c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.uint32());
    const xb = Array.from({ length: 5 }, () => b.uint32());
    const xc = Array.from({ length: 5 }, () => c.uint32());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });
  it('gives standard normals with the right moments', () => {
    const r = new Rng(1);
    const x = r.fillNormal(new Float64Array(200_001));
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const v = x.reduce((s, t) => s + (t - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(v - 1)).toBeLessThan(0.01);
    expect(x.filter((t) => t > 1.959964).length / x.length).toBeCloseTo(0.025, 2);
  });
  it('gives uniforms in [0,1) with mean 1/2', () => {
    const r = new Rng(7);
    const u = r.fillUniform(new Float64Array(100_000));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, t) => s + t, 0) / u.length).toBeCloseTo(0.5, 2);
  });
  it('restores a saved state exactly', () => {
    const r = new Rng(3);
    r.normal();
    const st = r.getState();
    const seq = [r.normal(), r.next(), r.int(10)];
    expect([r.setState(st).normal(), r.next(), r.int(10)]).toEqual(seq);
  });
  it('draws weighted indices in proportion', () => {
    const r = new Rng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.weightedIndex([1, 0, 3])]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(2.8);
    expect(counts[2] / counts[0]).toBeLessThan(3.2);
  });
  it('permutation is a permutation', () => {
    const p = Array.from(new Rng(9).permutation(100)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('Rng.fillNormal (ziggurat)', () => {
  it('matches the normal distribution in the body and the tails', () => {
    const x = new Rng(11).fillNormal(new Float64Array(1_000_000));
    const share = (f: (v: number) => boolean) => x.filter(f).length / x.length;
    // Standard normal probabilities: P(|Z|<1)=0.6827, P(Z>2)=0.02275, P(Z>3.5)=2.326e-4 (beyond the base layer).
    expect(share((v) => Math.abs(v) < 1)).toBeCloseTo(0.6827, 2);
    expect(share((v) => v > 2)).toBeCloseTo(0.02275, 3);
    expect(share((v) => v < -2)).toBeCloseTo(0.02275, 3);
    expect(share((v) => Math.abs(v) > 3.5) / 2).toBeGreaterThan(1.6e-4);
    expect(share((v) => Math.abs(v) > 3.5) / 2).toBeLessThan(3.1e-4);
    const m4 = x.reduce((s, v) => s + v ** 4, 0) / x.length;
    expect(m4).toBeCloseTo(3, 1);
  });
  it('has no lag-1 correlation and is reproducible', () => {
    const x = new Rng(12).fillNormal(new Float64Array(200_000));
    let c = 0;
    for (let i = 1; i < x.length; i++) c += x[i] * x[i - 1];
    expect(Math.abs(c / x.length)).toBeLessThan(0.01);
    expect(Array.from(new Rng(12).fillNormal(new Float32Array(10)))).toEqual(Array.from(new Float32Array(x.subarray(0, 10))));
  });
});
