/**
 * Supports (counts) of `itemsets` in `baskets`, by vertical bitmaps: one bit per basket for each item. Itemsets
 * are visited in prefix order, so each costs one AND of its prefix's bitmap with one item's.
 */
export function countSupports(baskets: Int32Array[], itemsets: readonly { items: readonly number[] }[]): Int32Array {
  const out = new Int32Array(itemsets.length);
  if (itemsets.length === 0) return out;
  const words = (baskets.length + 31) >>> 5;
  const bitmaps = new Map<number, Uint32Array>();
  for (let t = 0; t < baskets.length; t++) {
    const b = baskets[t];
    for (let k = 0; k < b.length; k++) {
      let bm = bitmaps.get(b[k]);
      if (bm === undefined) bitmaps.set(b[k], (bm = new Uint32Array(words)));
      bm[t >>> 5] |= 1 << (t & 31);
    }
  }
  const empty = new Uint32Array(words);
  const sorted = itemsets.map((s) => [...s.items].sort((a, b) => a - b));
  const order = sorted.map((_, i) => i).sort((x, y) => compareLex(sorted[x], sorted[y]));
  const stack: Uint32Array[] = [];
  let stackItems: number[] = [];
  for (const idx of order) {
    const items = sorted[idx];
    if (items.length === 0) {
      out[idx] = baskets.length;
      continue;
    }
    let keep = 0;
    while (keep < stackItems.length && keep < items.length && stackItems[keep] === items[keep]) keep++;
    stackItems = stackItems.slice(0, keep);
    for (let d = keep; d < items.length; d++) {
      const bm = bitmaps.get(items[d]) ?? empty;
      let cur = stack[d];
      if (cur === undefined) stack[d] = cur = new Uint32Array(words);
      if (d === 0) cur.set(bm);
      else {
        const prev = stack[d - 1];
        for (let w = 0; w < words; w++) cur[w] = prev[w] & bm[w];
      }
      stackItems.push(items[d]);
    }
    const top = stack[items.length - 1];
    let c = 0;
    for (let w = 0; w < words; w++) c += popcount(top[w]);
    out[idx] = c;
  }
  return out;
}

function compareLex(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

export function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
