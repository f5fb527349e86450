import { takeRows, type Rng, type Table } from '@fingan/gan-core';

/**
 * Random oversampling: `n` positives drawn uniformly with replacement (rng.int(P) per row) and copied exactly,
 * nulls included. The baseline every synthetic method has to beat: it adds no new information, only weight.
 * Returns the new rows and, for each, the table row index it copies.
 */
export function randomOversample(table: Table, positives: number[], n: number, rng: Rng): { table: Table; sources: number[] } {
  const sources = new Array<number>(n);
  for (let s = 0; s < n; s++) sources[s] = positives[rng.int(positives.length)];
  return { table: takeRows(table, sources), sources };
}
