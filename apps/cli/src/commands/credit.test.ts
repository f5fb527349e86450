import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { TabularSynthesizer, initBackend, readTable } from '@fingan/gan-core';
import { main } from '../main.js';
import { runCli as run } from '../test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-credit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = readFileSync(new URL('../../../../data/credit_scoring_modeldata.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n');

/** The first `n` rows of the bundled credit book, optionally edited (rows as arrays of raw CSV fields). */
function book(name: string, n: number, edit?: (rows: string[][], header: string[]) => void): string {
  const header = LINES[0].split(',');
  const rows = LINES.slice(1, n + 1).map((l) => l.split(','));
  edit?.(rows, header);
  const path = join(dir, name);
  writeFileSync(path, [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
  return path;
}

const train = book('train.csv', 300);
const holdout = join(dir, 'holdout.csv');
writeFileSync(holdout, [LINES[0], ...LINES.slice(301, 501)].join('\n') + '\n');
const model = join(dir, 'model');
const guard = join(dir, 'model.guard.json');

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  // Two generator steps: enough to check the commands, not the quality.
  const r = await run([
    'credit',
    'fit',
    '--data',
    train,
    '--target',
    'Status',
    '--out',
    model,
    '--epochs',
    '1',
    '--seed',
    '3',
    '--rule',
    'Seniority<=Age',
    '--privacy-guard',
    guard,
  ]);
  if (r.code !== 0) throw new Error(r.err);
});

describe('fingan credit fit / sample / evaluate', () => {
  test('fit writes a credit-risk model directory with the schema and rules', () => {
    const manifest = JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ package: '@fingan/credit-risk', kind: 'credit-synthesizer', seed: 3 });
    const state = JSON.parse(readFileSync(join(model, 'state.json'), 'utf8'));
    expect(state.extra.schema.target).toBe('Status');
    expect(state.extra.schema.rules.map((r: { column: string }) => r.column)).toEqual(['Amount', 'Price', 'Age', 'Age', 'Amount', 'Seniority']);
    // No training row and no fingerprint of one: the exact-copy guard's hashes are in the separate guard file.
    expect(state.extra.trainingRows).toBeUndefined();
    const g = JSON.parse(readFileSync(guard, 'utf8'));
    expect(g).toMatchObject({ format: 'fingan.privacy-guard', modelId: state.extra.modelId });
    expect(g.rows.length).toBeGreaterThan(290); // distinct training rows
    expect(g.rows.length).toBeLessThanOrEqual(300);
  });

  test('sample runs the exact-copy guard only with --privacy-guard, and says when it is off', async () => {
    const csv = join(dir, 'guarded.csv');
    const sample = async (extra: string[]) => {
      // Log lines go to process.stderr.
      const err: string[] = [];
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
      const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        const code = await main(['credit', 'sample', '--model', model, '--rows', '20', '--out', csv, ...extra], {
          out: () => undefined,
          err: (s) => void err.push(s),
        });
        return { code, err: err.join('') };
      } finally {
        spy.mockRestore();
        stdout.mockRestore();
      }
    };
    const on = await sample(['--privacy-guard', guard]);
    expect(on.code).toBe(0);
    expect(on.err).toMatch(/wrote 20 rows/);
    expect(on.err).not.toContain('exact-copy guard is off');
    const off = await sample(['--force']); // the same --out again
    expect(off.code).toBe(0);
    expect(off.err).toContain('the exact-copy guard is off (no --privacy-guard FILE)');
  });

  test('sample writes csv and parquet, honours conditions, and reports what it dropped', async () => {
    const csv = join(dir, 'syn.csv');
    const r = await run(['credit', 'sample', '--model', model, '--rows', '250', '--out', csv, '--seed', '1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readTable(csv).table.Status).toHaveLength(250);
    const pq = join(dir, 'bad.parquet');
    const b = await run(['credit', 'sample', '--model', model, '--rows', '40', '--out', pq, '--condition', 'Status=bad', '--condition', 'Age>=30']);
    expect(b.code).toBe(0);
    const t = readTable(pq).table;
    expect(t.Status.every((v) => v === 'bad')).toBe(true);
    expect(t.Age.every((v) => (v as number) >= 30)).toBe(true);
    expect(t.Seniority.every((v, i) => (v as number) <= (t.Age[i] as number))).toBe(true);
  });

  test('evaluate writes metrics.json (every required number) and report.html', async () => {
    const syn = join(dir, 'syn-eval.csv');
    expect((await run(['credit', 'sample', '--model', model, '--rows', '300', '--out', syn])).code).toBe(0);
    const out = join(dir, 'eval');
    const r = await run(['credit', 'evaluate', '--train', train, '--test', holdout, '--synthetic', syn, '--target', 'Status', '--out', out, '--model', model]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    for (const k of [
      'columnShapes',
      'pairTrends',
      'tstrAuc',
      'trtrAuc',
      'exactCopies',
      'dcrSyntheticMedian',
      'dcrHoldoutMedian',
      'membershipAuc',
      'membershipAdvantage',
    ])
      expect(typeof m[k]).toBe('number');
    // --model adds the scan of the model directory for training data.
    expect(Object.keys(m.modelDirectory).sort()).toEqual(['holdoutOnlyFoundRate', 'membershipAuc', 'trainOnlyFoundRate']);
    expect(m.modelDirectory.membershipAuc).toBeGreaterThan(0.4);
    expect(m.modelDirectory.membershipAuc).toBeLessThan(0.6);
    expect(m.rows).toEqual({ train: 300, test: 200, synthetic: 300 });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<h2>Training</h2>');
  });
});

describe('bad input: one line, exit 2, nothing written', () => {
  const fitBad: [string, () => string[], RegExp][] = [
    ['missing file', () => ['--data', join(dir, 'nope.csv')], /file .*nope\.csv: file not found/],
    ['empty file', () => (writeFileSync(join(dir, 'empty.csv'), ''), ['--data', join(dir, 'empty.csv')]), /empty\.csv: file is empty/],
    [
      'header only',
      () => (writeFileSync(join(dir, 'header.csv'), LINES[0] + '\n'), ['--data', join(dir, 'header.csv')]),
      /header\.csv: has a header but no data rows/,
    ],
    ['unknown target', () => ['--data', train, '--target', 'Default'], /target column 'Default' is not in .*train\.csv \(columns: Status, Seniority/],
    [
      'target with one class',
      () => ['--data', book('one.csv', 300, (r) => r.forEach((x) => (x[0] = '"good"')))],
      /one\.csv, column 'Status': the target needs exactly two classes \(good\/bad\), found 1/,
    ],
    [
      'all-missing column',
      () => ['--data', book('nodebt.csv', 300, (r) => r.forEach((x) => (x[11] = '')))],
      /nodebt\.csv, column 'Debt': every value is missing/,
    ],
    [
      'constant column',
      () => ['--data', book('const.csv', 300, (r) => r.forEach((x) => (x[2] = '"rent"')))],
      /const\.csv, column 'Home': every row has the same value \(rent\)/,
    ],
    [
      'mixed types',
      () => ['--data', book('mixed.csv', 300, (r) => (r[7][9] = 'n/a'))],
      /mixed\.csv, column 'Income': mixes numbers and text: .* \(first: 'n\/a' in data row 8\)/,
    ],
    [
      'non-UTF-8 bytes',
      () => {
        const p = join(dir, 'latin1.csv');
        writeFileSync(p, Buffer.concat([Buffer.from(`${LINES[0]}\n${LINES[1]}\n`), Buffer.from([0x22, 0x6e, 0xe9, 0x22, 0x0a])]));
        return ['--data', p];
      },
      /latin1\.csv: not valid UTF-8: byte 0xE9/,
    ],
    ['unknown rule column', () => ['--data', train, '--rule', 'Amount<=Value'], /rule Amount<=Value names unknown column 'Value'/],
    ['malformed rule', () => ['--data', train, '--rule', 'Amount=5'], /flag --rule: 'Amount=5' is not a rule/],
    ['non-positive epochs', () => ['--data', train, '--epochs', '0'], /flag --epochs: must be a positive integer/],
    [
      'privacy guard inside the model directory',
      () => ['--data', train, '--privacy-guard', join(dir, 'fit-privacy-guard-inside-the-model-directory', 'g.json')],
      /flag --privacy-guard: .*g\.json is inside the model directory/,
    ],
  ];
  for (const [name, args, message] of fitBad) {
    test(`fit: ${name}`, async () => {
      const out = join(dir, `fit-${name.replace(/\W+/g, '-')}`);
      const argv = args();
      const defaults = [...(argv.includes('--target') ? [] : ['--target', 'Status']), ...(argv.includes('--epochs') ? [] : ['--epochs', '1'])];
      const r = await run(['credit', 'fit', ...defaults, ...argv, '--out', out]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    });
  }

  const other = join(dir, 'fraud-model');
  const corrupted = join(dir, 'corrupted-model');
  const otherGuard = join(dir, 'other.guard.json');
  beforeAll(async () => {
    const g = JSON.parse(readFileSync(guard, 'utf8'));
    writeFileSync(otherGuard, JSON.stringify({ ...g, modelId: 'f'.repeat(32) }));
    const t = new TabularSynthesizer({
      columns: [{ name: 'a', kind: 'continuous' }],
      batchSize: 10,
      pac: 1,
      nCritic: 1,
      generatorDims: [8],
      criticDims: [8],
      calibrate: false,
    });
    await t.fit({ a: Array.from({ length: 20 }, (_, i) => i) }, { epochs: 1 });
    await t.save(other, { package: '@fingan/fraud-detection', packageVersion: '0.1.0' });
    cpSync(model, corrupted, { recursive: true });
    const w = join(corrupted, 'weights.bin');
    writeFileSync(w, readFileSync(w).subarray(0, 64));
  });

  const sampleBad: [string, () => string[], RegExp][] = [
    ['zero rows', () => ['--model', model, '--rows', '0'], /flag --rows: must be a positive integer \(got '0'\)/],
    ['negative rows', () => ['--model', model, '--rows', '-5'], /flag --rows: must be a positive integer \(got '-5'\)/],
    [
      'condition on an unknown column',
      () => ['--model', model, '--rows', '5', '--condition', 'Colour=red'],
      /flag --condition: unknown column 'Colour' in condition Colour=red/,
    ],
    [
      'condition on an unknown value',
      () => ['--model', model, '--rows', '5', '--condition', 'Status=ugly'],
      /flag --condition: column 'Status' has no category 'ugly' \(known: good, bad\)/,
    ],
    ['malformed condition', () => ['--model', model, '--rows', '5', '--condition', 'Status'], /flag --condition: 'Status' is not a condition/],
    [
      'model from another package',
      () => ['--model', other, '--rows', '5'],
      /holds a tabular-synthesizer model from @fingan\/fraud-detection, not a credit-synthesizer from @fingan\/credit-risk/,
    ],
    ['corrupted model', () => ['--model', corrupted, '--rows', '5'], /weights\.bin has 64 bytes, the manifest says \d+ \(truncated or edited\)/],
    ['missing model', () => ['--model', join(dir, 'no-model'), '--rows', '5'], /model directory .*no-model does not exist/],
    [
      "another model's privacy guard",
      () => ['--model', model, '--rows', '5', '--privacy-guard', otherGuard],
      /flag --privacy-guard: the privacy guard .*other\.guard\.json belongs to another model/,
    ],
    [
      'a privacy guard that is not one',
      () => ['--model', model, '--rows', '5', '--privacy-guard', train],
      /flag --privacy-guard: .*train\.csv is not a privacy guard file \(not JSON/,
    ],
    [
      'unknown output format',
      () => ['--model', model, '--rows', '5', '--out', join(dir, 'syn.xlsx')],
      /flag --out: '.*syn\.xlsx' must end in \.csv or \.parquet/,
    ],
  ];
  for (const [name, args, message] of sampleBad) {
    test(`sample: ${name}`, async () => {
      const argv = args();
      const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : join(dir, `sample-${name.replace(/\W+/g, '-')}.csv`);
      const r = await run(['credit', 'sample', ...argv, ...(argv.includes('--out') ? [] : ['--out', out])]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    });
  }

  test("evaluate: a synthetic file without the book's columns", async () => {
    const syn = join(dir, 'narrow.csv');
    writeFileSync(syn, 'Status,Age\n"good",30\n"bad",40\n');
    const out = join(dir, 'eval-bad');
    const r = await run(['credit', 'evaluate', '--train', train, '--test', holdout, '--synthetic', syn, '--target', 'Status', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/narrow\.csv, column 'Seniority': column declared as integer is not in the file/);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});
