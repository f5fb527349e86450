import { expect, it } from 'vitest';
import { parseRule } from '../schema/rules.js';
import type { LoanBookSchema } from '../schema/schema.js';
import { ruleAdherence } from './rule-adherence.js';

it('shares per rule and per bound, and of rows meeting all', () => {
  const schema: LoanBookSchema = {
    target: 'y',
    positive: 'bad',
    columns: [
      { name: 'y', kind: 'categorical' },
      { name: 'Amount', kind: 'integer', min: 100, max: 1000 },
      { name: 'Price', kind: 'integer' },
    ],
    rules: [parseRule('Amount<=Price')],
  };
  const t = { y: ['good', 'bad', 'good', 'bad'], Amount: [100, 900, 1200, 50], Price: [200, 800, 1500, null] };
  const r = ruleAdherence(t, schema);
  // Amount<=Price fails in row 1 only (row 3 has no price); the bound fails in rows 2 (1200) and 3 (50).
  expect(r.rules).toEqual([
    { rule: 'Amount<=Price', share: 0.75 },
    { rule: '100<=Amount<=1000', share: 0.5 },
  ]);
  expect(r.share).toBe(0.25);
});
