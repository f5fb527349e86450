import { expect, it } from 'vitest';
import { Rng, type Table } from '@fingan/gan-core';
import { trainTestAuc, utility } from './utility.js';

/** Bad loans have a lower score and more 'late' records. */
function book(n: number, seed: number): Table {
  const rng = new Rng(seed);
  const y: string[] = [],
    score: number[] = [],
    hist: string[] = [];
  for (let i = 0; i < n; i++) {
    const bad = rng.next() < 0.3;
    y.push(bad ? 'bad' : 'good');
    score.push(rng.normal(bad ? -1 : 1, 1));
    hist.push(rng.next() < (bad ? 0.6 : 0.2) ? 'late' : 'ok');
  }
  return { y, score, hist };
}

it('TSTR equals TRTR when the synthetic rows are the training rows; a flipped label inverts the ranking', () => {
  const train = book(600, 1);
  const test = book(400, 2);
  const opts = { target: 'y', positive: 'bad' };
  const [gbt, lr] = utility(train, test, train, opts);
  expect(gbt.model).toBe('gbt');
  expect(gbt.tstr).toBe(gbt.trtr);
  expect(lr.tstr).toBe(lr.trtr);
  // Two informative features with separations of 2 sd and 0.4 in share: AUC well above chance.
  expect(gbt.trtr).toBeGreaterThan(0.85);
  expect(lr.trtr).toBeGreaterThan(0.85);
  const flipped = { ...train, y: train.y.map((v) => (v === 'bad' ? 'good' : 'bad')) };
  expect(trainTestAuc(flipped, test, 'lr', opts)).toBeLessThan(0.15);
  // One class only: nothing to rank with.
  expect(trainTestAuc({ ...train, y: train.y.map(() => 'good') }, test, 'gbt', opts)).toBe(0.5);
});
