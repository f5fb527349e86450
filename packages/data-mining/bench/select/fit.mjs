// Selection runs (training part only): fit on an inner split of the demo's 70% and save the model.
// Usage: node packages/data-mining/bench/select/fit.mjs OUTDIR SEED STEPS [json args]
// Prototype env knobs: LRDECAY=f (learning rates fall linearly to 0 over the last fraction f of the steps),
// EMA=b (generator weights averaged with decay b over the second half, put in place at the end).
import { initBackend, readTable, tf } from '@fingan/gan-core';
import { BasketEncoder, BasketGan, splitBaskets } from '@fingan/data-mining';
await initBackend({ backend: 'wasm' });
const [out, seed, steps, extra] = process.argv.slice(2);
const { table } = readTable('data/supermarket_baskets_long.csv');
const encoder = BasketEncoder.fit(table, { transactionColumn: 'tid', itemColumn: 'item' });
const { train } = splitBaskets(encoder.toBaskets(table), 0.7, 0);
const inner = splitBaskets(train, 0.7, 1);
const gan = new BasketGan(encoder, { seed: Number(seed), steps: Number(steps), ...(extra ? JSON.parse(extra) : {}) });
const opts = [];
const adam0 = tf.train.adam;
tf.train.adam = (...a) => {
  const o = adam0(...a);
  opts.push([o, o.learningRate]);
  return o;
};
const decay = Number(process.env.LRDECAY ?? 0);
const ema = Number(process.env.EMA ?? 0);
let avg = null;
const onEvent = (e) => {
  if (e.type === 'step') {
    if (decay > 0) {
      const start = (1 - decay) * e.totalSteps;
      const f = e.step <= start ? 1 : Math.max(0, (e.totalSteps - e.step) / (e.totalSteps - start));
      for (const [o, lr] of opts) o.learningRate = lr * f;
    }
    if (ema > 0 && e.step >= e.totalSteps / 2) {
      const w = gan.generator.getWeights();
      if (!avg) avg = w.map((t) => t.clone());
      else
        avg = avg.map((a, i) => {
          const n = tf.tidy(() => tf.add(tf.mul(a, ema), tf.mul(w[i], 1 - ema)));
          a.dispose();
          return n;
        });
    }
  }
  if (e.type === 'stop' && avg) gan.generator.setWeights(avg);
};
const t0 = Date.now();
await gan.fit(encoder.encode(inner.train), { onEvent });
await gan.save(out);
console.log(JSON.stringify({ out, seed, steps, decay, ema, sharpness: gan.sharpness, s: (Date.now() - t0) / 1000 }));
