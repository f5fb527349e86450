/**
 * The input contract: long-form transactions, one row per (transaction, item), in a CSV or Parquet file. Any other
 * column (a basket-level attribute such as a value band) may be named for conditioning.
 */
import { InvalidDataError, readTable, type Table } from '@fingan/gan-core';

export interface TransactionColumns {
  transactionColumn: string;
  itemColumn: string;
}

/** Read a long-form transaction file, checking the two columns exist. */
export function readTransactions(path: string, cols: TransactionColumns): Table {
  const { table } = readTable(path);
  for (const [option, c] of [
    ['transactionColumn', cols.transactionColumn],
    ['itemColumn', cols.itemColumn],
  ] as const) {
    if (!(c in table)) throw new InvalidDataError(`has no column '${c}' (columns: ${Object.keys(table).join(', ')})`, { file: path, option });
  }
  return table;
}
