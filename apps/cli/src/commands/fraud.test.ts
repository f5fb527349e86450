import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createRng, readTable } from '@fingan/gan-core';
import { main } from '../main.js';
import { argv, runCli as run } from '../test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-fraud-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) }, out, err };
}

/** A transactions CSV: `nNeg` 'ok' rows then `nPos` 'fraud' rows; positives spend more. */
function csv(name: string, nNeg: number, nPos: number, opts: { seed?: number; edit?: (rows: string[][]) => void; header?: string[] } = {}): string {
  const rng = createRng(opts.seed ?? 1);
  const header = opts.header ?? ['amount', 'n_items', 'channel', 'label'];
  const rows: string[][] = [];
  for (let i = 0; i < nNeg + nPos; i++) {
    const pos = i >= nNeg;
    const amount = (Math.round(Math.exp(rng.normal(pos ? 6 : 4, 1)) * 100) / 100).toFixed(2);
    rows.push([amount, String(rng.int(pos ? 9 : 4)), ['web', 'pos', 'atm'][rng.int(3)], pos ? 'fraud' : 'ok']);
  }
  opts.edit?.(rows);
  const path = join(dir, name);
  writeFileSync(path, [header.join(','), ...rows.map((r) => r.slice(0, header.length).join(','))].join('\n') + '\n');
  return path;
}

const train = csv('train.csv', 180, 20);
const test_ = csv('test.csv', 180, 20, { seed: 2 });

describe('fingan fraud augment', () => {
  test('smote: 180 negatives, 20 positives, ratio 0.5 -> floor(0.5 * 180 - 20) = 70 rows added and marked', async () => {
    const out = join(dir, 'aug-smote.csv');
    const r = await run(argv('fraud augment', { data: train, label: 'label', positive: 'fraud', method: 'smote', ratio: '0.5', out, seed: '3' }));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const { table } = readTable(out);
    expect(table.label).toHaveLength(270);
    expect(table.label.filter((v) => v === 'fraud')).toHaveLength(90);
    expect(table._synthetic.filter((v) => v === true)).toHaveLength(70);
    expect(Object.keys(table)).toEqual(['amount', 'n_items', 'channel', 'label', '_synthetic']);
    // The input rows come first, unchanged.
    expect(readFileSync(out, 'utf8').split('\n')[1]).toBe(`${readFileSync(train, 'utf8').split('\n')[1]},false`);
  });

  test('gan (1 epoch, so it runs in a unit test) writes a parquet file without the mark column when asked', async () => {
    const out = join(dir, 'aug-gan.parquet');
    const r = await run(
      argv('fraud augment', { data: train, label: 'label', positive: 'fraud', method: 'gan', ratio: '0.2', epochs: '1', 'mark-synthetic': 'false', out }),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const { table } = readTable(out);
    // floor(0.2 * 180 - 20) = 16 new positives.
    expect(table.label).toHaveLength(216);
    expect(table.label.slice(200).every((v) => v === 'fraud')).toBe(true);
    expect(Object.keys(table)).toEqual(['amount', 'n_items', 'channel', 'label']);
  });

  test('gan+smote (1 epoch): 8 GAN rows then 8 SMOTE rows; --epsilon is refused for it', async () => {
    const out = join(dir, 'aug-mix.csv');
    const r = await run(argv('fraud augment', { data: train, label: 'label', positive: 'fraud', method: 'gan+smote', ratio: '0.2', epochs: '1', out }));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const { table } = readTable(out);
    expect(table.label).toHaveLength(216);
    expect(table._synthetic.filter((v) => v === true)).toHaveLength(16);
    const dp = await run(
      argv('fraud augment', { data: train, label: 'label', positive: 'fraud', method: 'gan+smote', ratio: '0.2', epsilon: '1', out: join(dir, 'dp.csv') }),
    );
    expect(dp.code).toBe(2);
    expect(dp.err).toMatch(/flag --epsilon: differential privacy is for --method gan; gan\+smote/);
  });
});

describe('fingan fraud fit / sample: the GAN as a model directory', () => {
  const model = join(dir, 'fraud-gan');
  const fit = (extra: string[] = [], out = model) =>
    run(['fraud', 'fit', '--data', train, '--label', 'label', '--positive', 'fraud', '--steps', '3', '--out', out, '--seed', '5', ...extra]);
  const sample = (out: string, extra: string[] = []) => run(['fraud', 'sample', '--model', model, '--rows', '12', '--out', out, ...extra]);

  test('fit writes a model directory; sample draws positives from it, the same for the same seed, filtered or not', async () => {
    // 3 steps on every row, then 2 on the positives alone.
    const r = await fit(['--fine-tune-steps', '2']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8')).training).toMatchObject({ steps: 5, plannedSteps: 5, stoppedBy: 'completed' });
    // The one-line JSON summary is the command's result: printed through main's output even under --quiet.
    expect(JSON.parse(r.out)).toEqual({ command: 'fraud fit', out: model, steps: 5, stoppedBy: 'completed' });
    expect(readdirSync(model).sort()).toEqual(['manifest.json', 'model.json', 'state.json', 'weights.bin']);
    // No training amount (every one is distinct and has cents) is in the directory's text files.
    const state = readFileSync(join(model, 'state.json'), 'utf8');
    const amounts = readFileSync(train, 'utf8')
      .split('\n')
      .slice(1, -1)
      .map((l) => l.split(',')[0]);
    expect(amounts.filter((a) => state.includes(`:${a},`) || state.includes(`[${a},`) || state.includes(`,${a}]`))).toHaveLength(0);
    const [a, b, f] = [join(dir, 'pos-a.csv'), join(dir, 'pos-b.csv'), join(dir, 'pos-f.csv')];
    expect((await sample(a, ['--seed', '7'])).code).toBe(0);
    expect((await sample(b, ['--seed', '7'])).code).toBe(0);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
    const { table } = readTable(a);
    expect(Object.keys(table)).toEqual(['amount', 'n_items', 'channel', 'label']);
    expect(table.label).toEqual(new Array(12).fill('fraud'));
    const filtered = await sample(f, ['--seed', '7', '--filter-with', train, '--candidates', '3']);
    expect(filtered.err).toBe('');
    expect(JSON.parse(filtered.out)).toEqual({ command: 'fraud sample', out: f, rows: 12, filtered: true });
    expect(readTable(f).table.label).toHaveLength(12);
    expect(readFileSync(f, 'utf8')).not.toBe(readFileSync(a, 'utf8'));
  });

  test('bad input: no model, a filter table without the label, an existing model directory, a DP model with a filter', async () => {
    const missing = await run(['fraud', 'sample', '--model', join(dir, 'no-model'), '--rows', '3', '--out', join(dir, 'x.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^fingan: error: .*no-model/);
    const noLabel = csv('nolabel.csv', 10, 0, { header: ['amount', 'n_items', 'channel'] });
    const r = await sample(join(dir, 'never-f.csv'), ['--filter-with', noLabel]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^fingan: error: file .*nolabel\.csv: label column 'label' is not in the data\n$/);
    expect(existsSync(join(dir, 'never-f.csv'))).toBe(false);
    const again = await fit();
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/--force/);
    const negative = await fit(['--fine-tune-steps', '-1'], join(dir, 'never-ft'));
    expect(negative.code).toBe(2);
    expect(negative.err).toMatch(/--fine-tune-steps.*must be an integer >= 0/);
    const dpTuned = await fit(['--epsilon', '5', '--fine-tune-steps', '2'], join(dir, 'never-ft'));
    expect(dpTuned.code).toBe(2);
    expect(dpTuned.err).toMatch(/flag --fine-tune-steps: gan option 'fineTuneSteps' trains on the positive rows outside the DP guarantee/);
    expect(existsSync(join(dir, 'never-ft'))).toBe(false);
    const dpModel = join(dir, 'fraud-gan-dp');
    const noDates = await fit(['--epsilon', '5'], dpModel);
    expect(noDates.err).toBe('');
    const dp = await run(['fraud', 'sample', '--model', dpModel, '--rows', '3', '--out', join(dir, 'never-dp.csv'), '--filter-with', train]);
    expect(dp.code).toBe(2);
    expect(dp.err).toMatch(/flag --filter-with: a differentially private model cannot filter its rows/);
  });
});

describe('fingan fraud evaluate', () => {
  test('writes metrics.json (prAuc, rocAuc, recallAtPrecision90 as mean and sd per method) and report.html', async () => {
    const out = join(dir, 'eval');
    const r = await run(
      argv('fraud evaluate', {
        train: train,
        test: test_,
        label: 'label',
        positive: 'fraud',
        methods: 'none,class-weights,smote,adasyn,random',
        seeds: '5',
        out,
      }),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(Object.keys(m.methods)).toEqual(['none', 'class-weights', 'smote', 'adasyn', 'random']);
    // The recommendation names a compared method with its evidence; random oversampling copies real rows, flagged.
    expect(Object.keys(m.methods)).toContain(m.recommendation.method);
    expect(m.recommendation.evidence).toHaveLength(5);
    expect(m.methods.random.copies).toEqual(m.methods.random.added);
    expect(m.recommendation.warnings.some((w: string) => w.startsWith('random produced 800 synthetic rows identical to real training rows'))).toBe(true);
    expect(m.seeds).toEqual([0, 1, 2, 3, 4]);
    expect(m.test).toEqual({ rows: 200, positives: 20, prevalence: 0.1 });
    for (const method of ['none', 'smote', 'random']) {
      for (const k of ['prAuc', 'rocAuc', 'recallAtPrecision90']) {
        const s = m.methods[method][k];
        expect(s.values).toHaveLength(5);
        expect(s.mean).toBeCloseTo(s.values.reduce((a: number, b: number) => a + b, 0) / 5, 12);
        expect(s.sd).toBeGreaterThanOrEqual(0);
      }
    }
    // Positives spend e^2 ~ 7x more: any detector ranks them well above chance.
    expect(m.methods.none.rocAuc.mean).toBeGreaterThan(0.8);
    // Ratio 1 by default: floor(1 * 180 - 20) = 160 rows added per seed.
    expect(m.methods.smote.added).toEqual([160, 160, 160, 160, 160]);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
  });
});

describe('fingan fraud: bad input is one line naming the flag, file or column, exit 2, nothing written', () => {
  const out = join(dir, 'never.csv');
  const outDir = join(dir, 'never-dir');
  const aug = (data: string, extra: string[] = []) => {
    const base = { '--data': data, '--label': 'label', '--positive': 'fraud', '--method': 'smote', '--ratio': '0.5', '--out': out };
    const flags = { ...base, ...Object.fromEntries(extra.reduce<string[][]>((a, v, i) => (i % 2 ? a : [...a, [v, extra[i + 1]]]), [])) };
    return ['fraud', 'augment', ...Object.entries(flags).flat()];
  };
  test('an unknown detector', async () => {
    const r = await run(argv('fraud evaluate', { train, test: test_, label: 'label', positive: 'fraud', detector: 'svm', out: outDir }));
    expect(r.code).toBe(2);
    expect(r.err).toBe("fingan: error: flag --detector: expects gbt or logistic, got 'svm'\n");
    expect(existsSync(outDir)).toBe(false);
  });

  const evalArgs = (testFile: string) => [
    'fraud',
    'evaluate',
    '--train',
    train,
    '--test',
    testFile,
    '--label',
    'label',
    '--positive',
    'fraud',
    '--methods',
    'none,smote',
    '--out',
    outDir,
  ];

  test.each([
    [
      'label column missing',
      () => aug(train, ['--label', 'Class']),
      /file .*train\.csv.*label column 'Class' is not in the data \(columns: amount, n_items, channel, label\)/,
    ],
    [
      'positive value absent',
      () => aug(train, ['--positive', 'chargeback']),
      /positive value 'chargeback' does not occur in label column 'label' \(values seen: ok, fraud\)/,
    ],
    ['no negatives', () => aug(csv('allpos.csv', 0, 10)), /file .*allpos\.csv.*label column 'label' has no negative rows/],
    [
      'one positive',
      () => aug(csv('onepos.csv', 50, 1)),
      /has only 1 positive row \('fraud'\); SMOTE needs k\+1 positives for k neighbours, so at least 2 \(k=1\) and 6 for the default k=5/,
    ],
    [
      'fewer than k+1 positives',
      () => aug(csv('threepos.csv', 50, 3)),
      /^fingan: error: flag --k, file .*threepos\.csv: SMOTE with k=5 neighbours needs k\+1 = 6 positives, but label column 'label' has 3; lower k to at most 2$/,
    ],
    [
      'ratio at or below the current ratio',
      () => aug(train, ['--ratio', '0.1']),
      /^fingan: error: flag --ratio: ratio 0.1 is not above the current positives\/negatives ratio 0.1111 \(20\/180\)/,
    ],
    ['ratio above 1', () => aug(train, ['--ratio', '1.5']), /^fingan: error: flag --ratio: must be at most 1 .*\(got '1.5'\)$/],
    [
      'non-numeric data in a column declared numeric',
      () => aug(csv('na.csv', 50, 10, { edit: (rows) => (rows[3][0] = 'n/a') }), ['--kind', 'amount=amount']),
      /file .*na\.csv, column 'amount': declared continuous but 1 of 60 values are not numbers \(first: 'n\/a' in data row 4\)/,
    ],
    ['unknown kind', () => aug(train, ['--kind', 'amount=money']), /^fingan: error: flag --kind: 'amount=money' is not COL=KIND/],
    [
      'text in a numeric column (one input policy with credit: refused, not read as a category)',
      () => aug(csv('text.csv', 50, 10, { edit: (rows) => (rows[3][0] = 'abc') })),
      /^fingan: error: file .*text\.csv, column 'amount': 59 of 60 non-empty values are numbers but 1 is not \(first: 'abc' in data row 4\); a numeric column must hold numbers or empty cells/,
    ],
    [
      'NaN in a numeric column',
      () => aug(csv('nan.csv', 50, 10, { edit: (rows) => (rows[5][0] = 'NaN') })),
      /^fingan: error: file .*nan\.csv, column 'amount': 59 of 60 non-empty values are numbers but 1 is not \(first: 'NaN' in data row 6\)/,
    ],
    [
      '--resume without a GAN',
      () => aug(train, ['--resume', 'true']),
      /^fingan: error: flag --resume: only a GAN fit has a checkpoint to resume \(--method gan\)$/,
    ],
    [
      'unknown method',
      () => aug(train, ['--method', 'tomek']),
      /^fingan: error: flag --method: must be one of smote, smotenc, adasyn, borderline, random, gan/,
    ],
    [
      'output that is not a table',
      () => aug(train, ['--out', join(dir, 'never.txt')]),
      /^fingan: error: flag --out: '.*never\.txt' must end in \.csv or \.parquet$/,
    ],
    ['data file missing', () => aug(join(dir, 'nope.csv')), /^fingan: error: file .*nope\.csv: file not found$/],
    [
      'test columns differ from train',
      () => evalArgs(csv('test-other.csv', 50, 10, { header: ['amount', 'n_items', 'channel', 'Class'] })),
      /^fingan: error: file .*test-other\.csv, column 'label': columns differ from .*train\.csv \(missing: label; extra: Class\)$/,
    ],
    ['evaluate: fewer than 5 seeds', () => [...evalArgs(test_), '--seeds', '2'], /^fingan: error: flag --seeds: must be at least 5/],
    [
      'evaluate: unknown method',
      () => evalArgs(test_).map((a) => (a === 'none,smote' ? 'none,tomek' : a)),
      /^fingan: error: flag --methods: 'tomek' is not a method/,
    ],
    [
      'evaluate: prevalence above the data',
      () => [...evalArgs(test_), '--prevalence', '0.5'],
      /^fingan: error: flag --prevalence: prevalence must be in \(0, 0\.1000\]/,
    ],
  ])('%s', async (_name, args, message) => {
    const before = readdirSync(dir).sort();
    const r = await run(args());
    expect(r.code).toBe(2);
    expect(r.err.trimEnd()).toMatch(message);
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(outDir)).toBe(false);
    // Only the input file the case wrote itself may be new; no temporary or partial outputs.
    expect(readdirSync(dir).filter((f) => !before.includes(f) && !f.endsWith('.csv'))).toEqual([]);
  });

  test('the commands are registered and documented', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out.join('')).toMatch(/fraud augment\s+add synthetic rare-class rows[\s\S]*fraud evaluate\s+does oversampling help/);
    const h = capture();
    expect(await main(['fraud', 'evaluate', '--help'], h.io)).toBe(0);
    expect(h.out.join('')).toMatch(/--prevalence P\s+thin training positives/);
  });
});
