// FP-growth at scale: 1,000,000 seeded baskets of about 20 items from 200 items, min support 1%.
// Prints one JSON line. Run after building: `npx tsc -b packages/data-mining && node packages/data-mining/bench/fp-growth.mjs`
// Options: --baskets N --items N --size N --min-support F --seed N
import { loadavg } from 'node:os';
import { createRng } from '@fingan/gan-core';
import { fpGrowth } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const nBaskets = Number(args.baskets ?? 1_000_000);
const nItems = Number(args.items ?? 200);
const meanSize = Number(args.size ?? 20);
const minSupport = Number(args['min-support'] ?? 0.01);
const seed = Number(args.seed ?? 42);

// Zipf-like popularity (exponent 0.8) and 20 "bundles" of 3-5 items bought together, so that the data has
// long frequent itemsets and shared prefixes as real baskets do.
const rng = createRng(seed);
const cdf = new Float64Array(nItems);
let acc = 0;
for (let i = 0; i < nItems; i++) cdf[i] = acc += 1 / Math.pow(i + 1, 0.8);
for (let i = 0; i < nItems; i++) cdf[i] /= acc;
const draw = () => {
  const u = rng.next();
  let lo = 0,
    hi = nItems - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
const bundles = Array.from({ length: 20 }, () => Array.from({ length: 3 + rng.int(3) }, () => rng.int(nItems)));
const t0 = performance.now();
const baskets = new Array(nBaskets);
const buf = new Set();
let totalItems = 0;
for (let b = 0; b < nBaskets; b++) {
  buf.clear();
  const size = Math.min(nItems, Math.max(1, Math.round(meanSize + 5 * rng.normal())));
  if (rng.next() < 0.4) for (const i of bundles[rng.int(bundles.length)]) buf.add(i);
  while (buf.size < size) buf.add(draw());
  const basket = Int32Array.from(buf);
  totalItems += basket.length;
  baskets[b] = basket;
}
const genSeconds = (performance.now() - t0) / 1000;

const c1 = process.cpuUsage();
const t1 = performance.now();
const itemsets = fpGrowth(baskets, { minSupport });
const seconds = (performance.now() - t1) / 1000;
const cpu = process.cpuUsage(c1);
const byLength = {};
for (const s of itemsets) byLength[s.items.length] = (byLength[s.items.length] ?? 0) + 1;
console.log(
  JSON.stringify({
    bench: 'fp-growth',
    baskets: nBaskets,
    items: nItems,
    meanBasketSize: +(totalItems / nBaskets).toFixed(2),
    minSupport,
    itemsets: itemsets.length,
    itemsetsByLength: byLength,
    seconds: +seconds.toFixed(2),
    cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    generateSeconds: +genSeconds.toFixed(2),
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
    // The machine may be shared: wall seconds mean little when the load is above the core count.
    loadAverage1m: +loadavg()[0].toFixed(2),
  }),
);
