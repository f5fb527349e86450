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
  /** One truncated HMAC (the first 16 hex digits) per distinct training row, in ascending order (any order is read). */
  rows: z.array(z.string().regex(/^[0-9a-f]{16}$/)),
});
export type PrivacyGuardState = z.infer<typeof privacyGuardSchema>;

export class PrivacyGuard {
  /** The distinct truncated HMACs, ascending: 8 bytes a row outside the JS heap, searched by bisection. */
  private readonly hashes: BigUint64Array;

  private readonly keyBytes: Buffer;

  private constructor(
    private readonly meta: Omit<PrivacyGuardState, 'rows'>,
    hashes: BigUint64Array,
  ) {
    this.hashes = hashes;
    this.keyBytes = Buffer.from(meta.key, 'hex');
  }

  /** Hash every row of the training table under a fresh random key. */
  static fromTable(table: Table, columns: string[], modelId: string): PrivacyGuard {
    return PrivacyGuard.hashRows(table, columns).forModel(modelId);
  }

  /**
   * Hash every row of the training table under a fresh random key, before the model (and so its id) exists: a fit
   * hashes the rows before training, so that it need not hold the table through training. `forModel(id)` makes the
   * guard.
   */
  static hashRows(table: Table, columns: string[]): { forModel: (modelId: string) => PrivacyGuard } {
    const keyBytes = randomBytes(32);
    const n = rowCount(table);
    const all = new BigUint64Array(n);
    for (let i = 0; i < n; i++) all[i] = keyedHash(keyBytes, rowKey(table, columns, i));
    const hashes = distinctSorted(all);
    const key = keyBytes.toString('hex');
    const meta: Omit<PrivacyGuardState, 'rows' | 'modelId'> = { format: PRIVACY_GUARD_FORMAT, version: PRIVACY_GUARD_VERSION, columns: [...columns], key };
    return { forModel: (modelId) => new PrivacyGuard({ ...meta, modelId }, hashes) };
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
    const { rows, ...meta } = parsed.data;
    return new PrivacyGuard(meta, distinctSorted(BigUint64Array.from(rows, (h) => BigInt(`0x${h}`))));
  }

  /** The guard file's content (its rows ascending). */
  get state(): PrivacyGuardState {
    return { ...this.meta, rows: Array.from(this.hashes, (h) => h.toString(16).padStart(16, '0')) };
  }

  /** Write the guard (atomically). The file gives away membership: keep it with the data, never with the model. */
  write(file: string): void {
    writeFileAtomic(file, JSON.stringify(this.state) + '\n');
  }

  get modelId(): string {
    return this.meta.modelId;
  }

  get size(): number {
    return this.hashes.length;
  }

  /** Refuse a guard made for another model or another column layout (UsageError naming `option`). */
  checkFor(modelId: string, columns: string[], option = 'privacyGuard', file?: string): void {
    if (modelId !== this.meta.modelId) {
      throw new UsageError(`the privacy guard${file ? ` ${file}` : ''} belongs to another model (model id ${this.meta.modelId}, this model is ${modelId})`, {
        option,
      });
    }
    if (columns.length !== this.meta.columns.length || columns.some((c, i) => c !== this.meta.columns[i])) {
      throw new UsageError(`the privacy guard${file ? ` ${file}` : ''} was made for columns ${this.meta.columns.join(', ')}, not ${columns.join(', ')}`, {
        option,
      });
    }
  }

  /** Whether row i of `table` equals a training row on every guarded column. */
  isTrainingRow(table: Table, i: number): boolean {
    const h = keyedHash(this.keyBytes, rowKey(table, this.meta.columns, i));
    const a = this.hashes;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid] < h) lo = mid + 1;
      else hi = mid;
    }
    return lo < a.length && a[lo] === h;
  }
}

/** HMAC-SHA256 of the row's key text, truncated to its first 64 bits. */
function keyedHash(key: Buffer, rowKeyText: string): bigint {
  return createHmac('sha256', key).update(rowKeyText).digest().readBigUInt64BE(0);
}

/** The distinct values, ascending (sorts `a` in place; returns a view of it). */
function distinctSorted(a: BigUint64Array): BigUint64Array {
  a.sort();
  let m = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[m - 1]) a[m++] = a[i];
  return a.subarray(0, m);
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
      const list = rare
        .slice(0, 5)
        .map((e) => `'${String(e.v)}' (${e.n})`)
        .join(', ');
      out.push(
        `column '${c}': ${rare.length} categor${rare.length === 1 ? 'y' : 'ies'} seen in fewer than ${minRows} rows, stored verbatim in the model directory: ${list}${rare.length > 5 ? ', ...' : ''}; merge rare categories before fitting if their presence is sensitive`,
      );
    }
  }
  return out;
}
