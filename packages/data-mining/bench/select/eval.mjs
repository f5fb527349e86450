// Selection runs (training part only): evaluate a saved model's samples against the inner validation split.
// Usage: node packages/data-mining/bench/select/eval.mjs MODELDIR [json overrides of private sampling fields] [mult]
import { initBackend, readTable } from '@fingan/gan-core';
import { BasketEncoder, BasketGan, fpGrowth, sampleWithoutCopies, splitBaskets } from '@fingan/data-mining';
await initBackend({ backend: 'wasm' });
const [dir, over, mult] = process.argv.slice(2);
const { table } = readTable('data/supermarket_baskets_long.csv');
const encoder = BasketEncoder.fit(table, { transactionColumn: 'tid', itemColumn: 'item' });
const { train } = splitBaskets(encoder.toBaskets(table), 0.7, 0);
const inner = splitBaskets(train, 0.7, 1);
const sorted = (bs) => bs.map((b) => Int32Array.from(b).sort());
const fitB = sorted(inner.train.baskets),
  val = sorted(inner.holdout.baskets);

function bits(baskets, nItems) {
  const w = Math.ceil(baskets.length / 32);
  const B = Array.from({ length: nItems }, () => new Uint32Array(w));
  baskets.forEach((b, i) => {
    for (const j of b) B[j][i >> 5] |= 1 << (i & 31);
  });
  return { B, w, n: baskets.length };
}
const pop = (x) => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0xf0f0f0f) * 0x1010101) >>> 24;
};
function support(bs, items) {
  let c = 0;
  for (let k = 0; k < bs.w; k++) {
    let v = 0xffffffff;
    for (const j of items) v &= bs.B[j][k];
    c += pop(v >>> 0);
  }
  return c / bs.n;
}
export function compare(real, synth, minSupport = 0.05) {
  const nItems = encoder.nItems;
  const R = fpGrowth(real, { minSupport, maxLength: 4 }),
    S = fpGrowth(synth, { minSupport, maxLength: 4 });
  const key = (s) => s.items.join(',');
  const rk = new Set(R.map(key));
  const sb = bits(synth, nItems);
  const out = {};
  for (const L of [2, 3, 4]) {
    const r = R.filter((s) => s.items.length === L),
      s = S.filter((x) => x.items.length === L);
    const c = s.filter((x) => rk.has(key(x))).length;
    const logs = r.map((x) => Math.log(Math.max(support(sb, x.items), 1e-6) / x.support)).sort((a, b) => a - b);
    out[`l${L}`] = [+(c / s.length).toFixed(3), +(c / r.length).toFixed(3), +logs[logs.length >> 1].toFixed(3)];
  }
  const rel = R.map((x) => Math.abs(support(sb, x.items) - x.support) / x.support).sort((a, b) => a - b);
  out.err = +rel[rel.length >> 1].toFixed(4);
  const c = S.filter((x) => rk.has(key(x))).length;
  out.all = [+(c / S.length).toFixed(3), +(c / R.length).toFixed(3)];
  return out;
}
if (dir === 'ref') {
  console.log(JSON.stringify({ ref: 'fit-train vs val', ...compare(val, fitB) }));
} else {
  const gan = await BasketGan.load(dir);
  const o = over ? JSON.parse(over) : {};
  if (o.groups) {
    gan.args = { ...gan.args, sharpnessGroups: o.groups };
    gan.calibrateSharpness(encoder.encode(inner.train));
    delete o.groups;
  }
  if (o.supportCal) {
    // Prototype: one scale by bisection so that the median log ratio of the supports of the fit split's frequent
    // itemsets (lengths 2..4, at support o.supportCal) is 0 in the sample.
    const F = fpGrowth(fitB, { minSupport: o.supportCal, maxLength: 4 }).filter((x) => x.items.length >= 2);
    const gap = (s) => {
      gan.logitScale = s;
      const sb = bits(sorted(gan.sample(fitB.length, { seed: gan.args.seed + 7 }).baskets), encoder.nItems);
      const logs = F.map((x) => Math.log(Math.max(support(sb, x.items), 1e-6) / x.support)).sort((a, b) => a - b);
      return logs[logs.length >> 1];
    };
    let [lo, hi] = [0.25, 4];
    for (let it = 0; it < 12; it++) {
      const mid = Math.sqrt(lo * hi);
      if (gap(mid) < 0) lo = mid;
      else hi = mid;
    }
    gan.logitScale = Math.sqrt(lo * hi);
    delete o.supportCal;
  }
  Object.assign(gan, o);
  const n = Math.round(fitB.length * Number(mult ?? 1));
  const { baskets, copiesDropped } = sampleWithoutCopies(gan, n, 1, fitB);
  const synth = sorted(baskets);
  console.log(
    JSON.stringify({
      dir,
      over,
      mult,
      scale: gan.sharpness,
      bySize: gan.sharpnessBySize.map((x) => [x.maxSize, +x.scale.toFixed(3)]),
      copiesDropped,
      val: compare(val, synth),
      inSample: compare(fitB, synth),
    }),
  );
}
