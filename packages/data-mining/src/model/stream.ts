/**
 * Streaming synthetic transactions: baskets are generated in blocks of BASKET_BLOCK, block b from its own seed
 * (gan-core batchSeed(seed, b, 0)), turned into long form (transaction id, item, attributes) and written chunk by chunk
 * to .csv or .parquet in bounded memory. A seed's transactions do not depend on how they are chunked.
 */
import { TableStreamWriter, batchSeed, type StreamColumn, type StreamColumnType, type Table } from '@fingan/gan-core';
import type { BasketGan } from './basket-gan.js';

/** Transactions per generator call and per written chunk; part of what a seed's output is. */
export const BASKET_BLOCK = 4096;

function typeOf(values: readonly unknown[]): StreamColumnType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length && present.every((v) => typeof v === 'number')) return present.every((v) => Number.isSafeInteger(v)) ? 'int' : 'float';
  if (present.length && present.every((v) => typeof v === 'boolean')) return 'bool';
  return 'string';
}

/** The long-form columns of a basket model's output, typed from its vocabulary (the same for every chunk). */
export function transactionColumns(gan: BasketGan): StreamColumn[] {
  const enc = gan.encoder;
  const { transactionColumn, itemColumn } = enc.toJSON();
  return [
    { name: transactionColumn, type: 'int' },
    { name: itemColumn, type: typeOf(enc.items) },
    ...enc.attributeColumns.map((a) => ({ name: a, type: typeOf(enc.attributeLevels[a]) })),
  ];
}

/** n synthetic transactions in long form, block by block (transaction ids 1..n). */
export function* streamTransactions(gan: BasketGan, n: number, seed: number): Generator<Table> {
  for (let b = 0; b * BASKET_BLOCK < n; b++) {
    const m = Math.min(BASKET_BLOCK, n - b * BASKET_BLOCK);
    const { baskets, conditions } = gan.sample(m, { seed: batchSeed(seed, b, 0) });
    const attributes = gan.encoder.nConditions ? gan.encoder.decodeConditions(conditions) : undefined;
    yield gan.encoder.toLongForm(baskets, { attributes, ids: Array.from({ length: m }, (_, i) => b * BASKET_BLOCK + i + 1) });
  }
}

/** Write n synthetic transactions to `path` (.csv or .parquet), streamed and atomic; returns the rows written. */
export function writeTransactions(gan: BasketGan, path: string, n: number, seed: number): { rows: number } {
  const writer = TableStreamWriter.open(path, transactionColumns(gan));
  try {
    for (const t of streamTransactions(gan, n, seed)) writer.write(t);
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return { rows: writer.rows };
}
