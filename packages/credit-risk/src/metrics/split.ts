import { Rng, UsageError, rowCount, takeRows, type Cell, type Table } from '@fingan/gan-core';

/**
 * Seeded train/test split, stratified by `stratify` (the target) so both parts keep the bad rate: each class is
 * shuffled and its first round(share x size) rows go to the test part. Row order inside each part follows the file.
 */
export function splitTrainTest(table: Table, opts: { testShare?: number; seed?: number; stratify?: string } = {}): { train: Table; test: Table } {
  const share = opts.testShare ?? 0.3;
  if (!(share > 0 && share < 1)) throw new UsageError(`testShare must be in (0, 1), got ${share}`);
  const n = rowCount(table);
  const rng = new Rng(opts.seed ?? 0);
  const groups = new Map<string, number[]>();
  const col: Cell[] | undefined = opts.stratify ? table[opts.stratify] : undefined;
  for (let i = 0; i < n; i++) {
    const key = col ? `${typeof col[i]}:${String(col[i])}` : '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  const isTest = new Uint8Array(n);
  for (const key of [...groups.keys()].sort()) {
    const rows = groups.get(key)!;
    rng.shuffle(rows);
    const k = Math.round(share * rows.length);
    for (let j = 0; j < k; j++) isTest[rows[j]] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (isTest[i] ? test : train).push(i);
  return { train: takeRows(table, train), test: takeRows(table, test) };
}
