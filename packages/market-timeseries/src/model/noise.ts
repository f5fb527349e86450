import type { Rng } from '@fingan/gan-core';
import { gammaSample } from '@fingan/gan-core/random';

/**
 * Generator noise: `rows` vectors of `dim` values, each a multivariate Student-t with `nu` degrees of freedom
 * (standard normals divided by one shared sqrt(chi2_nu / nu) per vector), or Gaussian when `nu` is null.
 * Heavy-tailed noise lets a small generator produce heavy-tailed innovations by passing its input through instead
 * of having to stretch Gaussian noise with steep weights; the shared mixing variable makes the assets' extremes
 * arrive on the same step (tail dependence), as crashes do.
 */
export function fillNoise(rng: Rng, out: Float32Array, dim: number, nu: number | null): Float32Array {
  rng.fillNormal(out);
  if (nu === null) return out;
  const rows = out.length / dim;
  for (let i = 0; i < rows; i++) {
    const s = Math.sqrt(nu / (2 * gammaSample(rng, nu / 2)));
    for (let j = i * dim; j < (i + 1) * dim; j++) out[j] *= s;
  }
  return out;
}
