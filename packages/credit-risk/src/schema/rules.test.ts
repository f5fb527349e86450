import { describe, expect, it } from 'vitest';
import { checkRules, describeRule, parseRule, ruleHolds } from './rules.js';

describe('rules', () => {
  it('parses bounds and relations', () => {
    expect(parseRule('Amount>0')).toEqual({ column: 'Amount', op: '>', value: 0 });
    expect(parseRule('Age >= 18')).toEqual({ column: 'Age', op: '>=', value: 18 });
    expect(parseRule('Age<=100')).toEqual({ column: 'Age', op: '<=', value: 100 });
    expect(parseRule('Rate<-0.5')).toEqual({ column: 'Rate', op: '<', value: -0.5 });
    expect(parseRule('Amount<=Price')).toEqual({ column: 'Amount', op: '<=', other: 'Price' });
    expect(describeRule(parseRule('Amount <= Price'))).toBe('Amount<=Price');
    for (const bad of ['Amount', '<=5', 'Amount<=', 'Amount=5', 'A<=B<=C']) expect(() => parseRule(bad)).toThrow(/is not a rule/);
  });

  it('holds vacuously when a cell is missing', () => {
    const t = { Amount: [100, 200, null, 300], Price: [150, 150, 100, null] };
    const r = parseRule('Amount<=Price');
    expect([0, 1, 2, 3].map((i) => ruleHolds(r, t, i))).toEqual([true, false, true, true]);
    const b = parseRule('Amount>150');
    expect([0, 1, 2, 3].map((i) => ruleHolds(b, t, i))).toEqual([false, true, true, true]);
  });

  it('names unknown and non-numeric columns', () => {
    const numeric = (c: string) => ({ Amount: true, Home: false })[c as 'Amount' | 'Home'];
    expect(() => checkRules([parseRule('Amount<=Price')], numeric)).toThrow(/rule Amount<=Price names unknown column 'Price'/);
    expect(() => checkRules([parseRule('Home>1')], numeric)).toThrow(/names column 'Home', which is not numeric/);
    expect(() => checkRules([parseRule('Amount>1')], numeric)).not.toThrow();
  });
});
