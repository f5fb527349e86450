import { expect, it } from 'vitest';
import { columnShapes } from './column-shapes.js';

it('KS complement for numbers, TV complement for categories (missing a category), averaged', () => {
  const real = { x: [1, 2, 3, 4], c: ['a', 'a', 'b', null] };
  const syn = { x: [2, 3, 4, 5], c: ['a', 'b', 'b', 'b'] };
  const r = columnShapes(real, syn, { x: 'integer', c: 'categorical' });
  // KS([1,2,3,4], [2,3,4,5]) = 0.25 (after 1 the CDFs are 0.25 apart); TV = (|.5-.25| + |.25-.75| + |.25-0|) / 2 = 0.5.
  expect(r.columns).toEqual([
    { column: 'x', kind: 'integer', metric: 'KSComplement', score: 0.75 },
    { column: 'c', kind: 'categorical', metric: 'TVComplement', score: 0.5 },
  ]);
  expect(r.score).toBe(0.625);
  // Missing numbers are left out of KS; identical tables score 1; dates compare as times.
  expect(columnShapes({ x: [1, null, 3] }, { x: [3, 1, null] }, { x: 'continuous' }).score).toBe(1);
  expect(columnShapes({ d: ['2020-01-01', '2020-01-03'] }, { d: ['2020-01-02', '2020-01-04'] }, { d: 'datetime' }).score).toBe(0.5);
});
