import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Cell, Table } from '../data/table.js';
import { rowCount } from '../data/table.js';
import { UsageError } from '../errors.js';
import { rocAuc } from '../stats/classification-metrics.js';

export interface ModelScanArgs {
  /** The rows the model was fitted on. */
  train: Table;
  /** Rows from the same population the model never saw. */
  holdout: Table;
  /** Columns to scan (default: every column of `train`). */
  columns?: string[];
  /**
   * Row fingerprints an attacker would look for (e.g. a truncated SHA-256 of the row): a training row whose
   * fingerprint appears anywhere in the directory is counted in `fingerprintsFound` and flagged as a member.
   */
  fingerprint?: (table: Table, i: number) => string;
}

export interface ColumnScan {
  column: string;
  /** Distinct values seen only in train / only in holdout. */
  trainOnly: number;
  holdoutOnly: number;
  /** How many of those appear verbatim in the directory. */
  trainOnlyFound: number;
  holdoutOnlyFound: number;
}

export interface ModelScanResult {
  /** Files scanned, relative to the directory. */
  files: string[];
  /** Distinct numbers and quoted strings read from the files. */
  tokens: number;
  columns: ColumnScan[];
  /** Share of the values seen only in training that the directory holds verbatim, over all columns. */
  trainOnlyFoundRate: number;
  /** The same share for values seen only in the holdout: what chance coincidence gives. */
  holdoutOnlyFoundRate: number;
  /** Training rows whose fingerprint appears in the directory (0 without `fingerprint`). */
  fingerprintsFound: number;
  /**
   * ROC-AUC of a membership attack with the directory alone: a row's score is how many of its cells the directory
   * holds verbatim (plus a fingerprint match); train rows are members, holdout rows are not. 0.5 is chance.
   */
  membershipAuc: number;
}

/** Every regular file under dir (sorted, relative paths). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/g;
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;

/** Key of a cell in the token sets: numbers by value, text by content, booleans and nulls never (too common). */
function cellToken(v: Cell): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? `n:${v}` : null;
  if (typeof v === 'string') return v.length ? `s:${v}` : null;
  return null;
}

/**
 * Search every file of a model directory for training data: each value that occurs only in the training rows (not
 * in the holdout) is looked up verbatim among the numbers and quoted strings of the text files and the float32s of
 * the binary ones, and compared with the rate for values that occur only in the holdout. A directory that keeps
 * training values (a quantile table that is the sorted column, stored rows) shows a train-only rate far above the
 * holdout-only rate and a membership AUC above 0.5; a safe one shows both rates alike and an AUC near 0.5.
 */
export function scanModelDirectory(dir: string, args: ModelScanArgs): ModelScanResult {
  let files: string[];
  try {
    files = filesUnder(dir);
  } catch (e) {
    throw new UsageError(`cannot read model directory ${dir}: ${(e as Error).message}`, { file: dir });
  }
  const tokens = new Set<string>();
  const texts: string[] = [];
  for (const f of files) {
    const buf = readFileSync(f);
    const text = buf.toString('utf8');
    if (!text.includes('\u0000') && !text.includes('\uFFFD')) {
      texts.push(text);
      for (const m of text.matchAll(NUMBER)) tokens.add(`n:${Number(m[0])}`);
      for (const m of text.matchAll(QUOTED)) {
        let s: string;
        try {
          s = JSON.parse(`"${m[1]}"`) as string;
        } catch {
          s = m[1];
        }
        tokens.add(`s:${s}`);
        const n = Number(s);
        if (s.trim() !== '' && Number.isFinite(n)) tokens.add(`n:${n}`);
      }
    } else {
      const f32 = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + (buf.byteLength - (buf.byteLength % 4))));
      for (const v of f32) if (Number.isFinite(v)) tokens.add(`n:${v}`);
    }
  }
  const columns = args.columns ?? Object.keys(args.train);
  const perColumn: ColumnScan[] = [];
  const found = (v: Cell) => {
    const k = cellToken(v);
    return k !== null && tokens.has(k);
  };
  for (const c of columns) {
    const tr = new Set((args.train[c] ?? []).map(cellToken).filter((k): k is string => k !== null));
    const ho = new Set((args.holdout[c] ?? []).map(cellToken).filter((k): k is string => k !== null));
    const s: ColumnScan = { column: c, trainOnly: 0, holdoutOnly: 0, trainOnlyFound: 0, holdoutOnlyFound: 0 };
    for (const k of tr) {
      if (ho.has(k)) continue;
      s.trainOnly++;
      if (tokens.has(k)) s.trainOnlyFound++;
    }
    for (const k of ho) {
      if (tr.has(k)) continue;
      s.holdoutOnly++;
      if (tokens.has(k)) s.holdoutOnlyFound++;
    }
    perColumn.push(s);
  }
  const sum = (f: (s: ColumnScan) => number) => perColumn.reduce((t, s) => t + f(s), 0);
  const allText = texts.join('\n');
  let fingerprintsFound = 0;
  const score = (t: Table, i: number, member: boolean) => {
    let sc = 0;
    for (const c of columns) if (found(t[c][i])) sc++;
    if (args.fingerprint && allText.includes(args.fingerprint(t, i))) {
      sc += columns.length + 1;
      if (member) fingerprintsFound++;
    }
    return sc;
  };
  const nt = rowCount(args.train);
  const nh = rowCount(args.holdout);
  const y: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < nt; i++) {
    y.push(1);
    scores.push(score(args.train, i, true));
  }
  for (let i = 0; i < nh; i++) {
    y.push(0);
    scores.push(score(args.holdout, i, false));
  }
  return {
    files: files.map((f) => relative(dir, f)),
    tokens: tokens.size,
    columns: perColumn,
    trainOnlyFoundRate:
      sum((s) => s.trainOnlyFound) /
      Math.max(
        1,
        sum((s) => s.trainOnly),
      ),
    holdoutOnlyFoundRate:
      sum((s) => s.holdoutOnlyFound) /
      Math.max(
        1,
        sum((s) => s.holdoutOnly),
      ),
    fingerprintsFound,
    membershipAuc: nt && nh ? rocAuc(y, scores) : 0.5,
  };
}
