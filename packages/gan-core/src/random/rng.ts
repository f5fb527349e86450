/**
 * Seeded pseudo-random numbers (sfc32, seeded through splitmix32). Everything random in fingan draws from an `Rng`
 * so that the same seed gives bit-identical results: noise for generators is made here, in JS, and handed to tfjs
 * as data, which keeps it independent of the tfjs backend's own random kernels.
 */
export interface RngState {
  s: [number, number, number, number];
  spare: number | null;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    // splitmix32 expands one seed into four well-mixed words.
    let x = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return mean + sd * v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Fill an array with standard normals: the hot path for generator noise. Ziggurat method (Marsaglia & Tsang
   * 2000, 128 layers) with the layer index drawn from separate bits than the value, which avoids the original's
   * index/value correlation. About 3x faster than Box-Muller here.
   */
  fillNormal<T extends Float32Array | Float64Array>(out: T): T {
    const { kn, wn } = ZIGGURAT;
    for (let i = 0; i < out.length; i++) {
      const iz = this.uint32() & 127;
      const hz = this.uint32() | 0;
      if (Math.abs(hz) < kn[iz]) {
        out[i] = hz * wn[iz];
        continue;
      }
      out[i] = this.zigguratTail(hz, iz);
    }
    return out;
  }

  private zigguratTail(hz: number, iz: number): number {
    const { kn, wn, fn } = ZIGGURAT;
    for (;;) {
      const x = hz * wn[iz];
      if (iz === 0) {
        let t: number, y: number;
        do {
          t = -Math.log(1 - this.next()) / ZIG_R;
          y = -Math.log(1 - this.next());
        } while (y + y < t * t);
        return hz > 0 ? ZIG_R + t : -ZIG_R - t;
      }
      if (fn[iz] + this.next() * (fn[iz - 1] - fn[iz]) < Math.exp(-0.5 * x * x)) return x;
      iz = this.uint32() & 127;
      hz = this.uint32() | 0;
      if (Math.abs(hz) < kn[iz]) return hz * wn[iz];
    }
  }

  /** Fill with uniforms in [0, 1). */
  fillUniform<T extends Float32Array | Float64Array>(out: T): T {
    for (let i = 0; i < out.length; i++) out[i] = this.uint32() / 4294967296;
    return out;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Index drawn with probability proportional to weights (non-negative, not all zero). */
  weightedIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** A new independent generator derived from this one (for sub-tasks that must not shift the parent stream). */
  fork(): Rng {
    return new Rng(this.uint32());
  }

  getState(): RngState {
    return { s: [this.a, this.b, this.c, this.d], spare: this.spare };
  }

  setState(st: RngState): this {
    [this.a, this.b, this.c, this.d] = st.s;
    this.spare = st.spare;
    return this;
  }
}

const ZIG_R = 3.442619855899;

/** Ziggurat tables for the normal distribution (128 layers, 32-bit signed values). */
const ZIGGURAT = (() => {
  const kn = new Float64Array(128);
  const wn = new Float64Array(128);
  const fn = new Float64Array(128);
  const m1 = 2147483648;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  kn[0] = (dn / q) * m1;
  kn[1] = 0;
  wn[0] = q / m1;
  wn[127] = dn / m1;
  fn[0] = 1;
  fn[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = (dn / tn) * m1;
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / m1;
  }
  return { kn, wn, fn };
})();

export function createRng(seed: number): Rng {
  return new Rng(seed);
}
