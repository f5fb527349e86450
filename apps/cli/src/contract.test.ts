// Every domain model implements gan-core's Synthesizer contract (#13): checked here, where all four packages meet.
import { describe, expect, it } from 'vitest';
import type { Synthesizer, SynthesizerClass } from '@fingan/gan-core';
import { CreditSynthesizer } from '@fingan/credit-risk';
import { FraudGanSynthesizer } from '@fingan/fraud-detection';
import { MarketSynthesizer } from '@fingan/market-timeseries';
import { BasketGan } from '@fingan/data-mining';

// Each class declares `implements Synthesizer<...>` (checked by the build); here, at run time, that each one has the
// instance methods and the static load, so a user who learned one package can call the others the same way.
const classes: [string, SynthesizerClass<Synthesizer<never, unknown, never, never>>][] = [
  ['CreditSynthesizer', CreditSynthesizer],
  ['FraudGanSynthesizer', FraudGanSynthesizer],
  ['MarketSynthesizer', MarketSynthesizer],
  ['BasketGan', BasketGan],
];

describe('the Synthesizer contract', () => {
  it.each(classes)('%s has fit, sample, save, dispose, trainingRecord and a static load', (_name, cls) => {
    const proto = (cls as unknown as { prototype: object }).prototype;
    for (const m of ['fit', 'sample', 'save', 'dispose']) expect(typeof (proto as Record<string, unknown>)[m]).toBe('function');
    expect(Object.getOwnPropertyDescriptor(proto, 'trainingRecord')?.get).toBeTypeOf('function');
    expect(typeof cls.load).toBe('function');
  });
});
