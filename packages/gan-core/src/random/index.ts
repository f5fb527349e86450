// @fingan/gan-core/random: the seeded generator (sfc32, ziggurat normals) and samplers built on it.
export * from './rng.js';
export { gammaSample } from './gamma.js';
