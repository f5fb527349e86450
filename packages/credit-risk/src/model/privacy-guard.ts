import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError, rowCount, writeFileAtomic, type Cell, type Table } from '@fingan/gan-core';
import { rowKey } from '../metrics/privacy.js';

export const PRIVACY_GUARD_FORMAT = 'fingan.privacy-guard';
export const PRIVACY_GUARD_VERSION = 1;

/**
 * The exact-copy guard's reference, kept OUT of the model directory: a keyed hash (HMAC-SHA256 with a random
 * 32-byte key, truncated to 64 bits) of every training row. It stays with the data owner: with it, anyone can test
 * whether a given row was in the training data, so it must never travel with the model. Sampling never needs it;
 * without it the exact-copy guard is off.
 */
export const privacyGuardSchema = z.object({
  format: z.literal(PRIVACY_GUARD_FORMAT),
  version: z.literal(PRIVACY_GUARD_VERSION),
  /** The model this guard belongs to (the `modelId` in its state.json). */
  modelId: z.string().regex(/^[0-9a-f]{32}$/),
  /** Columns in hashing order. */
  columns: z.array(z.string().min(1)).min(1),
  /** The HMAC key, hex. */
  key: z.string().regex(/^[0-9a-f]{64}$/),
  /** One truncated HMAC per distinct training row, hex. */
  rows: z.array(z.string().regex(/^[0-9a-f]{16}$/)),
});
export type PrivacyGuardState = z.infer<typeof privacyGuardSchema>;


export class PrivacyGuard {
  private readonly rows: Set<string>;

  private readonly keyBytes: Buffer;

  private constructor(readonly state: PrivacyGuardState, rows?: Set<string>) {
    this.rows = rows ?? new Set(state.rows);
    this.keyBytes = Buffer.from(state.key, 'hex');
  }

  /** Hash every row of the training table under a fresh random key. */
  static fromTable(table: Table, columns: string[], modelId: string): PrivacyGuard {
    const keyBytes = randomBytes(32);
    const n = rowCount(table);
    const rows = new Set<string>();
    for (let i = 0; i < n; i++) rows.add(keyedHash(keyBytes, rowKey(table, columns, i)));
    const state: PrivacyGuardState = { format: PRIVACY_GUARD_FORMAT, version: PRIVACY_GUARD_VERSION, modelId, columns: [...columns], key: keyBytes.toString('hex'), rows: [...rows] };
    return new PrivacyGuard(state, rows); // one set of hashes, not a second copy of a large book's
  }

  /** Read and validate a guard file; a missing, malformed or foreign file is a UsageError naming `option`. */
  static read(file: string, option = 'privacyGuard'): PrivacyGuard {
    if (!existsSync(file)) throw new UsageError(`privacy guard file ${file} does not exist`, { option });
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`${file} is not a privacy guard file (not JSON: ${(e as Error).message})`, { option });
    }
    const parsed = privacyGuardSchema.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new UsageError(`${file} is not a fingan privacy guard file (${i.path.join('.') || 'top level'}: ${i.message})`, { option });
    }
    return new PrivacyGuard(parsed.data);
  }

  /** Write the guard (atomically). The file gives away membership: keep it with the data, never with the model. */
  write(file: string): void {
    writeFileAtomic(file, JSON.stringify(this.state) + '\n');
  }

  get modelId(): string {
    return this.state.modelId;
  }

  get size(): number {
    return this.rows.size;
  }

  /** Refuse a guard made for another model or another column layout (UsageError naming `option`). */
  checkFor(modelId: string, columns: string[], option = 'privacyGuard', file?: string): void {
    if (modelId !== this.state.modelId) {
      throw new UsageError(`the privacy guard${file ? ` ${file}` : ''} belongs to another model (model id ${this.state.modelId}, this model is ${modelId})`, { option });
    }
    if (columns.length !== this.state.columns.length || columns.some((c, i) => c !== this.state.columns[i])) {
      throw new UsageError(`the privacy guard${file ? ` ${file}` : ''} was made for columns ${this.state.columns.join(', ')}, not ${columns.join(', ')}`, { option });
    }
  }

  /** Whether row i of `table` equals a training row on every guarded column. */
  isTrainingRow(table: Table, i: number): boolean {
    return this.rows.has(keyedHash(this.keyBytes, rowKey(table, this.state.columns, i)));
  }
}

function keyedHash(key: Buffer, rowKeyText: string): string {
  return createHmac('sha256', key).update(rowKeyText).digest('hex').slice(0, 16);
}

/** Categories seen in fewer training rows than this are flagged at fit: the model directory lists every category. */
export const MIN_CATEGORY_ROWS = 5;

/**
 * One warning per categorical column that has categories seen in fewer than MIN_CATEGORY_ROWS training rows: the
 * model directory stores every category verbatim (the generator outputs them), so a category held by one applicant
 * tells whoever holds the directory that such an applicant was in the book. Merge them before fitting if that matters.
 */
export function rareCategoryWarnings(table: Table, categoricalColumns: string[], minRows = MIN_CATEGORY_ROWS): string[] {
  const out: string[] = [];
  for (const c of categoricalColumns) {
    const counts = new Map<string, { v: Cell; n: number }>();
    for (const v of table[c] ?? []) {
      if (v === null) continue;
      const k = `${typeof v}:${String(v)}`;
      const e = counts.get(k);
      if (e) e.n++;
      else counts.set(k, { v, n: 1 });
    }
    const rare = [...counts.values()].filter((e) => e.n < minRows).sort((a, b) => a.n - b.n);
    if (rare.length) {
      const list = rare.slice(0, 5).map((e) => `'${String(e.v)}' (${e.n})`).join(', ');
      out.push(
        `column '${c}': ${rare.length} categor${rare.length === 1 ? 'y' : 'ies'} seen in fewer than ${minRows} rows, stored verbatim in the model directory: ${list}${rare.length > 5 ? ', ...' : ''}; merge rare categories before fitting if their presence is sensitive`,
      );
    }
  }
  return out;
}
