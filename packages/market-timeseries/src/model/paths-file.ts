import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { InvalidDataError, TableStreamWriter, checkInputFile, readTable, UsageError, type Cell } from '@fingan/gan-core';
import type { ReturnPanel } from '../metrics/return-panel.js';
import { writePathsCsv, type PathChunk } from './simulate.js';

/**
 * Simulated price paths in long format, `path,step,asset,price` (path from 0, step from 1), as CSV or Parquet:
 * what `fingan market simulate` writes and `fingan market evaluate` reads.
 */
export interface PathsData {
  assets: string[];
  paths: number;
  steps: number;
  /** Prices [paths, steps, nAssets], asset fastest. */
  prices: Float32Array;
}

const COLUMNS = ['path', 'step', 'asset', 'price'] as const;

function extensionOf(file: string, flag: string): '.csv' | '.parquet' {
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.parquet') throw new UsageError(`${file}: unknown file extension '${ext || '(none)'}' (use .csv or .parquet)`, { flag });
  return ext;
}

/** Check the output file name before any work is done (so a bad name fails fast and writes nothing). */
export function checkPathsFileName(file: string, flag = '--out'): void {
  extensionOf(file, flag);
}

/**
 * Write a stream of simulated chunks, chunk by chunk in bounded memory, as CSV or Parquet (path and step Int64,
 * asset String, price Float64, the price rounded to 7 significant digits as in the CSV). Either way the file appears
 * atomically.
 */
export async function writePathsFile(file: string, stream: AsyncIterable<PathChunk>, assets: string[]): Promise<{ rows: number }> {
  if (extensionOf(file, '--out') === '.csv') return writePathsCsv(file, stream, assets);
  const writer = TableStreamWriter.open(file, [
    { name: 'path', type: 'int' },
    { name: 'step', type: 'int' },
    { name: 'asset', type: 'string' },
    { name: 'price', type: 'float' },
  ]);
  try {
    const k = assets.length;
    for await (const c of stream) {
      const n = c.paths * c.horizon * k;
      const path = new Array<number>(n);
      const step = new Array<number>(n);
      const asset = new Array<string>(n);
      const price = new Array<number>(n);
      let i = 0;
      for (let p = 0; p < c.paths; p++) {
        for (let t = 0; t < c.horizon; t++) {
          for (let a = 0; a < k; a++, i++) {
            path[i] = c.firstPath + p;
            step[i] = t + 1;
            asset[i] = assets[a];
            price[i] = Number(c.prices[i].toPrecision(7));
          }
        }
      }
      writer.write({ path, step, asset, price });
    }
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return { rows: writer.rows };
}

/** Builds the [paths, steps, assets] cube from rows, checking that every (path, step, asset) appears exactly once. */
class PathsBuilder {
  // Growable typed columns: a 10,000 x 252 x 5 file has 12.6 million rows.
  private pathCol = new Int32Array(1024);
  private stepCol = new Int32Array(1024);
  private assetCol = new Int32Array(1024);
  private priceCol = new Float32Array(1024);
  private n = 0;
  private readonly assetIndex = new Map<string, number>();
  private maxPath = -1;
  private maxStep = 0;

  constructor(private readonly file: string) {}

  add(line: number, pathCell: string, stepCell: string, assetCell: string, priceCell: string): void {
    const path = Number(pathCell);
    const step = Number(stepCell);
    const price = Number(priceCell);
    const at = (column: string) => ({ file: this.file, column });
    if (pathCell.trim() === '' || !Number.isInteger(path) || path < 0)
      throw new InvalidDataError(`row ${line}: path must be an integer >= 0, got '${pathCell}'`, at('path'));
    if (stepCell.trim() === '' || !Number.isInteger(step) || step < 1)
      throw new InvalidDataError(`row ${line}: step must be an integer >= 1, got '${stepCell}'`, at('step'));
    if (assetCell === '') throw new InvalidDataError(`row ${line}: empty asset name`, at('asset'));
    if (priceCell.trim() === '' || !Number.isFinite(price) || price <= 0)
      throw new InvalidDataError(`row ${line}: price must be a positive number, got '${priceCell}'`, at('price'));
    let a = this.assetIndex.get(assetCell);
    if (a === undefined) {
      a = this.assetIndex.size;
      this.assetIndex.set(assetCell, a);
    }
    if (path > this.maxPath) this.maxPath = path;
    if (step > this.maxStep) this.maxStep = step;
    if (this.n === this.pathCol.length) {
      const grow = <T extends Int32Array | Float32Array>(x: T): T => {
        const y = new (x.constructor as new (n: number) => T)(2 * x.length);
        y.set(x);
        return y;
      };
      this.pathCol = grow(this.pathCol);
      this.stepCol = grow(this.stepCol);
      this.assetCol = grow(this.assetCol);
      this.priceCol = grow(this.priceCol);
    }
    this.pathCol[this.n] = path;
    this.stepCol[this.n] = step;
    this.assetCol[this.n] = a;
    this.priceCol[this.n] = price;
    this.n++;
  }

  build(): PathsData {
    if (this.n === 0) throw new InvalidDataError('has no paths (no data rows)', { file: this.file });
    const k = this.assetIndex.size;
    const P = this.maxPath + 1;
    const H = this.maxStep;
    const assets = [...this.assetIndex.keys()];
    if (this.n !== P * H * k) {
      throw new InvalidDataError(
        `has ${this.n} rows, expected ${P} paths x ${H} steps x ${k} assets = ${P * H * k} (every path needs steps 1..${H} of every asset)`,
        {
          file: this.file,
        },
      );
    }
    const prices = new Float32Array(P * H * k);
    const seen = new Uint8Array(P * H * k);
    for (let r = 0; r < this.n; r++) {
      const i = (this.pathCol[r] * H + this.stepCol[r] - 1) * k + this.assetCol[r];
      if (seen[i])
        throw new InvalidDataError(`path ${this.pathCol[r]} step ${this.stepCol[r]} asset ${assets[this.assetCol[r]]} appears twice`, {
          file: this.file,
          column: 'step',
        });
      seen[i] = 1;
      prices[i] = this.priceCol[r];
    }
    return { assets, paths: P, steps: H, prices };
  }
}

function headerIndex(header: string[], file: string): number[] {
  return COLUMNS.map((c) => {
    const i = header.indexOf(c);
    if (i < 0)
      throw new InvalidDataError(`is not a paths file: no '${c}' column (expected path,step,asset,price; got ${header.join(',')})`, { file, column: c });
    return i;
  });
}

/** Split one CSV line (double quotes with "" escapes). */
function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** Read and validate a paths file (streamed for CSV). */
export async function readPathsFile(file: string): Promise<PathsData> {
  const ext = extensionOf(file, '--synthetic');
  checkInputFile(file);
  const builder = new PathsBuilder(file);
  if (ext === '.parquet') {
    const { table } = readTable(file);
    const header = Object.keys(table);
    const [ip, is, ia, ipr] = headerIndex(header, file).map((i) => table[header[i]]);
    const str = (v: Cell) => (v === null ? '' : String(v));
    for (let r = 0; r < ip.length; r++) builder.add(r + 1, str(ip[r]), str(is[r]), str(ia[r]), str(ipr[r]));
    return builder.build();
  }
  let idx: number[] | null = null;
  let line = 0;
  let rest = '';
  const handle = (text: string) => {
    if (text.endsWith('\r')) text = text.slice(0, -1);
    line++;
    if (idx === null) {
      idx = headerIndex(
        splitLine(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).map((h) => h.trim()),
        file,
      );
      return;
    }
    if (text === '') return;
    const f = splitLine(text);
    builder.add(line - 1, f[idx[0]] ?? '', f[idx[1]] ?? '', f[idx[2]] ?? '', f[idx[3]] ?? '');
  };
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop() as string;
    for (const p of parts) handle(p);
  }
  if (rest !== '') handle(rest);
  if (idx === null) throw new InvalidDataError('is empty (no header row)', { file });
  return builder.build();
}

/** Log returns of the paths, [paths, steps - 1, assets]: the first price of each path has no predecessor. */
export function pathsToReturns(d: PathsData, assets: string[] = d.assets): ReturnPanel {
  const k = d.assets.length;
  const order = assets.map((a) => d.assets.indexOf(a));
  const steps = d.steps - 1;
  const data = new Float64Array(d.paths * steps * k);
  for (let p = 0; p < d.paths; p++) {
    for (let t = 0; t < steps; t++) {
      for (let j = 0; j < k; j++) {
        const a = order[j];
        data[(p * steps + t) * k + j] = Math.log(d.prices[(p * d.steps + t + 1) * k + a] / d.prices[(p * d.steps + t) * k + a]);
      }
    }
  }
  return { data, paths: d.paths, steps, assets: [...assets] };
}
