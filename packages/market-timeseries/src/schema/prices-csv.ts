import { readFileSync } from 'node:fs';
import { InvalidDataError, checkInputFile, type Cell, type Table } from '@fingan/gan-core';
import { pricesFromTable, type PriceSeries, type PriceTableOptions } from './prices.js';

/**
 * Read a price CSV (header row, optional double quotes, empty field = missing) and validate it. A small reader
 * of its own so that duplicate header names are caught (a column-keyed Table would silently merge them).
 */
export function readPricesCsv(path: string, options: Omit<PriceTableOptions, 'file'> = {}): PriceSeries {
  checkInputFile(path); // 'file PATH: file not found', worded as for every other input
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidDataError(`cannot read: ${(e as Error).message}`, { file: path });
  }
  return pricesFromTable(parsePriceCsv(text, path), { ...options, file: path });
}

/** Parse CSV text into a Table; numbers stay strings here and are checked by pricesFromTable. */
export function parsePriceCsv(text: string, file?: string): Table {
  const rows = splitCsv(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  while (rows.length > 0 && rows[rows.length - 1].length === 1 && rows[rows.length - 1][0] === '') rows.pop();
  if (rows.length === 0) throw new InvalidDataError('is empty (no header row)', { file });
  const header = rows[0].map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (h === '') throw new InvalidDataError('header has an empty column name', { file });
    if (seen.has(h)) throw new InvalidDataError(`duplicate column '${h}' in the header`, { file, column: h });
    seen.add(h);
  }
  const table: Table = {};
  for (const h of header) table[h] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.length !== header.length) {
      throw new InvalidDataError(`line ${r + 1} has ${row.length} fields, the header has ${header.length}`, { file });
    }
    for (let c = 0; c < header.length; c++) {
      const cell: Cell = row[c] === '' ? null : row[c];
      table[header[c]].push(cell);
    }
  }
  return table;
}

function splitCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
