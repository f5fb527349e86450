/**
 * Gower distance between table rows: the mean over columns of |x - y| / range for ordered columns (numbers and dates,
 * range of a reference table) and of 0/1 mismatch for the others; a missing cell is 0 away from a missing cell and 1
 * away from a present one. It puts every column on the same 0..1 footing, so one wide column (assets in the 100,000s)
 * does not decide the nearest neighbour alone. The privacy attacks (attacks.ts) measure in this space.
 */
import type { Cell, Table } from '../data/table.js';
import type { ColumnKind } from '../encoders/types.js';

/** Columns measured as numbers (dates as epoch milliseconds); the others as categories. */
export function isOrderedKind(kind: ColumnKind): boolean {
  return kind === 'continuous' || kind === 'integer' || kind === 'datetime';
}

/** A cell as a number (dates as epoch ms); NaN when missing or not a number. */
export function cellNumber(v: Cell, kind: ColumnKind): number {
  if (v === null) return NaN;
  if (kind === 'datetime') return typeof v === 'number' ? v : Date.parse(String(v));
  return typeof v === 'number' ? v : NaN;
}

/** Rows of a table in a GowerSpace: ordered columns scaled by the reference range (NaN = missing), others as codes (-1 = missing). */
export interface GowerRows {
  num: Float64Array[];
  cat: Int32Array[];
  n: number;
}

export class GowerSpace {
  private readonly numeric: { name: string; kind: ColumnKind; min: number; range: number }[] = [];
  private readonly categorical: { name: string; codes: Map<string, number> }[] = [];

  /** `kinds` names the columns measured (others are ignored); ranges come from `reference`. */
  constructor(reference: Table, kinds: Record<string, ColumnKind>) {
    for (const [name, kind] of Object.entries(kinds)) {
      if (isOrderedKind(kind)) {
        let lo = Infinity,
          hi = -Infinity;
        for (const v of reference[name]) {
          const x = cellNumber(v, kind);
          if (Number.isFinite(x)) {
            if (x < lo) lo = x;
            if (x > hi) hi = x;
          }
        }
        this.numeric.push({ name, kind, min: Number.isFinite(lo) ? lo : 0, range: hi > lo ? hi - lo : 1 });
      } else this.categorical.push({ name, codes: new Map() });
    }
  }

  /** Number of columns measured. */
  get columns(): number {
    return this.numeric.length + this.categorical.length;
  }

  encode(t: Table): GowerRows {
    const first = this.numeric[0]?.name ?? this.categorical[0]?.name;
    const n = first === undefined ? 0 : t[first].length;
    const num = this.numeric.map((c) => Float64Array.from(t[c.name], (v) => (cellNumber(v, c.kind) - c.min) / c.range));
    const cat = this.categorical.map((c) =>
      Int32Array.from(t[c.name], (v) => {
        if (v === null) return -1;
        const key = `${typeof v}:${String(v)}`;
        let k = c.codes.get(key);
        if (k === undefined) c.codes.set(key, (k = c.codes.size));
        return k;
      }),
    );
    return { num, cat, n };
  }

  /**
   * For each row of `from`, the mean-over-columns distances to its `k` nearest rows of `to`, ascending
   * ([i * k + j] is row i's (j+1)-th nearest); Infinity where `to` has fewer than k rows.
   */
  kNearest(from: GowerRows, to: GowerRows, k: number): Float64Array {
    return this.kNearestRows(from, to, k).distances;
  }

  /** kNearest with the rows of `to` the distances belong to (-1 where `to` has fewer than k rows; ties: the first row). */
  kNearestRows(from: GowerRows, to: GowerRows, k: number): { distances: Float64Array; rows: Int32Array } {
    const P = Math.max(1, this.columns);
    const distances = new Float64Array(from.n * k).fill(Infinity);
    const rows = new Int32Array(from.n * k).fill(-1);
    const nn = from.num.length,
      nc = from.cat.length;
    const best = new Float64Array(k);
    const at = new Int32Array(k);
    for (let i = 0; i < from.n; i++) {
      best.fill(Infinity);
      at.fill(-1);
      for (let j = 0; j < to.n; j++) {
        const bound = best[k - 1];
        let d = 0;
        for (let c = 0; c < nc && d < bound; c++) if (from.cat[c][i] !== to.cat[c][j]) d += 1;
        for (let c = 0; c < nn && d < bound; c++) {
          const a = from.num[c][i],
            b = to.num[c][j];
          if (a !== a || b !== b) d += a !== a && b !== b ? 0 : 1;
          else d += Math.abs(a - b);
        }
        if (d < bound) {
          let p = k - 1;
          while (p > 0 && best[p - 1] > d) {
            best[p] = best[p - 1];
            at[p] = at[p - 1];
            p--;
          }
          best[p] = d;
          at[p] = j;
        }
      }
      for (let j = 0; j < k; j++) {
        distances[i * k + j] = best[j] / P;
        rows[i * k + j] = at[j];
      }
    }
    return { distances, rows };
  }

  /** For each row of `from`, the distance to its nearest row in `to`. */
  nearest(from: GowerRows, to: GowerRows): Float64Array {
    return this.kNearest(from, to, 1);
  }

  /**
   * For each row of `from`, the nearest-neighbour distance ratio d1 / d2 to its two nearest rows in `to` (1 when d2 is
   * 0: two exact matches). Near 0: the row sits on one particular row of `to` rather than in a crowd.
   */
  nndr(from: GowerRows, to: GowerRows): Float64Array {
    const d = this.kNearest(from, to, 2);
    return Float64Array.from({ length: from.n }, (_, i) => (d[2 * i + 1] > 0 ? d[2 * i] / d[2 * i + 1] : 1));
  }
}
