import type { Rng } from './rng.js';

/**
 * Gamma(shape, scale 1) by Marsaglia & Tsang (2000); for shape < 1 the boost Gamma(a) = Gamma(a+1) * U^(1/a).
 * Needed for Student-t innovations (chi-square mixing) drawn from the seeded fingan Rng.
 */
export function gammaSample(rng: Rng, shape: number): number {
  if (shape <= 0) return 0;
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rng.next();
    return gammaSample(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}
