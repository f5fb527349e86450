import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initBackend, mlp, saveModelDir } from '@fingan/gan-core';
import { main } from '../main.js';
import { runCli as run } from '../test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-mining-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

// The first 400 baskets of the bundled supermarket data (long form).
const LINES = readFileSync(new URL('../../../../data/supermarket_baskets_long.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const small = csv('small.csv', [LINES[0], ...LINES.slice(1).filter((l) => Number(l.split(',')[0]) <= 400)].join('\n') + '\n');
const cols = ['--transaction-column', 'tid', '--item-column', 'item'];
const model = join(dir, 'model');

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  // A few steps: enough to check the commands, not the quality (that is the benchmark's job).
  // One pass over 400 baskets in batches of 256: 2 generator steps.
  const r = await run(['mining', 'fit', '--data', small, ...cols, '--out', model, '--epochs', '1', '--seed', '1']);
  if (r.code !== 0) throw new Error(r.err);
});

describe('fingan mining', () => {
  test('fit, sample, rules and evaluate work end to end', async () => {
    expect(JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8'))).toMatchObject({
      package: '@fingan/data-mining',
      kind: 'basket-gan',
      seed: 1,
      training: { steps: 2, plannedSteps: 2, stoppedBy: 'completed', reproducible: true },
    });
    const synth = join(dir, 'synth.csv');
    expect((await run(['mining', 'sample', '--model', model, '--transactions', '50', '--out', synth, '--seed', '2'])).code).toBe(0);
    const lines = readFileSync(synth, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('tid,item');
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(50);
    const again = join(dir, 'synth2.csv');
    await run(['mining', 'sample', '--model', model, '--transactions', '50', '--out', again, '--seed', '2']);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(synth, 'utf8'));

    const rules = join(dir, 'rules.csv');
    expect((await run(['mining', 'rules', '--data', small, ...cols, '--min-support', '0.3', '--min-confidence', '0.8', '--out', rules])).code).toBe(0);
    const rl = readFileSync(rules, 'utf8').trim().split('\n');
    expect(rl[0]).toBe('antecedent,consequent,support,confidence,lift');
    expect(rl.length).toBeGreaterThan(1);
    const first = rl[1].split(',');
    expect(Number(first[3])).toBeGreaterThanOrEqual(0.8);

    const ev = join(dir, 'eval');
    const r = await run(['mining', 'evaluate', '--real', small, '--synthetic', synth, ...cols, '--min-support', '0.3', '--out', ev]);
    expect(r.code, r.err).toBe(0);
    const m = JSON.parse(readFileSync(join(ev, 'metrics.json'), 'utf8'));
    for (const k of ['itemsetPrecision', 'itemsetRecall', 'supportMedianRelError', 'ruleJaccardTop50', 'exactBasketCopyRate', 'exactBasketCopyRateBaseline']) {
      expect(typeof m[k], k).toBe('number');
    }
    expect(readFileSync(join(ev, 'report.html'), 'utf8')).toMatch(/<svg/);
  });

  test.each([
    [
      'a missing column',
      () => ['mining', 'fit', '--data', small, '--transaction-column', 'basket', '--item-column', 'item', '--out', join(dir, 'm1')],
      /flag --transaction-column, file .*small\.csv: has no column 'basket' \(columns: tid, item\)/,
      join(dir, 'm1'),
    ],
    [
      'empty baskets (header only)',
      () => ['mining', 'fit', '--data', csv('empty.csv', 'tid,item\n'), ...cols, '--out', join(dir, 'm2')],
      /empty\.csv.*(header only|no data rows)/,
      join(dir, 'm2'),
    ],
    [
      'min-support 0',
      () => ['mining', 'rules', '--data', small, ...cols, '--min-support', '0', '--min-confidence', '0.5', '--out', join(dir, 'r1.csv')],
      /^fingan: error: flag --min-support: must be a fraction in \(0, 1\] \(got '0'\)\n$/,
      join(dir, 'r1.csv'),
    ],
    [
      'min-support above 1',
      () => ['mining', 'evaluate', '--real', small, '--synthetic', small, ...cols, '--min-support', '1.5', '--out', join(dir, 'e1')],
      /^fingan: error: flag --min-support: must be a fraction in \(0, 1\] \(got '1\.5'\)\n$/,
      join(dir, 'e1'),
    ],
    [
      'a single transaction',
      () => ['mining', 'fit', '--data', csv('one.csv', 'tid,item\n1,bread\n1,milk\n'), ...cols, '--out', join(dir, 'm3')],
      /single transaction|at least 2/,
      join(dir, 'm3'),
    ],
    [
      'items that are not strings or numbers',
      () => ['mining', 'fit', '--data', csv('bool.csv', 'tid,item\n1,true\n2,false\n3,true\n'), ...cols, '--out', join(dir, 'm4')],
      /column 'item'.*(true|boolean)/,
      join(dir, 'm4'),
    ],
    [
      'rows 0',
      () => ['mining', 'sample', '--model', model, '--transactions', '0', '--out', join(dir, 's0.csv')],
      /^fingan: error: flag --transactions: must be a positive integer \(got '0'\)\n$/,
      join(dir, 's0.csv'),
    ],
    [
      'both epochs and steps',
      () => ['mining', 'fit', '--data', small, ...cols, '--epochs', '1', '--steps', '2', '--out', join(dir, 'm5')],
      /^fingan: error: flag --steps: give --epochs or --steps, not both\n$/,
      join(dir, 'm5'),
    ],
  ])('%s: exit 2, one line, nothing written', async (_name, argv, msg, output) => {
    const r = await run(argv());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(output)).toBe(false);
  });

  test('segments: recovers planted segments with k chosen by silhouette, same seed same bytes', async () => {
    // Three planted segments of 20 baskets: segment g buys items g0..g5 (each with probability 0.8, seeded).
    let state = 7;
    const rand = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const rows = ['basket,product'];
    const truth = new Map<string, number>();
    for (let t = 0; t < 60; t++) {
      const g = t % 3;
      const id = `b${t}`;
      truth.set(id, g);
      let any = false;
      for (let i = 0; i < 6; i++) {
        if (rand() < 0.8 || (i === 5 && !any)) {
          rows.push(`${id},${'abc'[g]}${i}`);
          any = true;
        }
      }
    }
    const data = csv('planted.csv', rows.join('\n') + '\n');
    const out = join(dir, 'segments.json');
    const argv = [
      'mining',
      'segments',
      '--data',
      data,
      '--transaction-column',
      'basket',
      '--item-column',
      'product',
      '--k-min',
      '2',
      '--k-max',
      '5',
      '--out',
      out,
      '--seed',
      '4',
    ];
    const r = await run(argv);
    expect(r.code, r.err).toBe(0);
    const seg = JSON.parse(readFileSync(out, 'utf8'));
    expect(seg.k).toBe(3);
    expect(seg.criterion).toBe('silhouette');
    expect(seg.silhouetteByK.map((x: { k: number }) => x.k)).toEqual([2, 3, 4, 5]);
    expect(seg.nBaskets).toBe(60);
    expect(seg.segments.map((s: { size: number }) => s.size)).toEqual([20, 20, 20]);
    expect(seg.assignments).toHaveLength(60);
    // One segment per planted group, and each profile is made of its group's items only.
    const byGroup = new Map<number, Set<number>>();
    for (const a of seg.assignments) byGroup.set(truth.get(a.transaction)!, (byGroup.get(truth.get(a.transaction)!) ?? new Set()).add(a.segment));
    expect([...byGroup.values()].map((s) => s.size)).toEqual([1, 1, 1]);
    for (const s of seg.segments) expect(new Set(s.profile.map((p: { item: string }) => p.item[0])).size).toBe(1);
    const again = join(dir, 'segments-again.json');
    await run([...argv.slice(0, -4), '--out', again, '--seed', '4']);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));

    const fixed = join(dir, 'segments-k4.json');
    expect((await run(['mining', 'segments', '--data', small, ...cols, '--k', '4', '--out', fixed])).code).toBe(0);
    const f = JSON.parse(readFileSync(fixed, 'utf8'));
    expect([f.k, f.criterion, f.nBaskets, f.silhouetteByK]).toEqual([4, 'fixed', 400, []]);
    expect(f.segments.reduce((s: number, x: { size: number }) => s + x.size, 0)).toBe(400);
  });

  test.each([
    [
      'k below 2',
      () => ['mining', 'segments', '--data', small, ...cols, '--k', '1', '--out', join(dir, 'g1.json')],
      /^fingan: error: flag --k: must be an integer >= 2 \(got '1'\)\n$/,
      join(dir, 'g1.json'),
    ],
    [
      'k above the number of baskets',
      () => ['mining', 'segments', '--data', csv('three.csv', 'tid,item\n1,a\n2,b\n3,a\n3,b\n'), ...cols, '--k', '4', '--out', join(dir, 'g2.json')],
      /^fingan: error: flag --k: k = 4 exceeds the number of baskets \(3\)\n$/,
      join(dir, 'g2.json'),
    ],
    [
      'k-min above the number of baskets',
      () => ['mining', 'segments', '--data', csv('three.csv', 'tid,item\n1,a\n2,b\n3,a\n3,b\n'), ...cols, '--k-min', '4', '--out', join(dir, 'g3.json')],
      /^fingan: error: flag --k-min: the smallest k \(4\) exceeds the number of baskets \(3\)\n$/,
      join(dir, 'g3.json'),
    ],
    [
      'k-max below k-min',
      () => ['mining', 'segments', '--data', small, ...cols, '--k-min', '5', '--k-max', '3', '--out', join(dir, 'g4.json')],
      /^fingan: error: flag --k-max: must be at least --k-min \(5\), got 3\n$/,
      join(dir, 'g4.json'),
    ],
    [
      'both k and a range',
      () => ['mining', 'segments', '--data', small, ...cols, '--k', '3', '--k-max', '5', '--out', join(dir, 'g5.json')],
      /^fingan: error: flag --k: give --k or --k-min\/--k-max, not both\n$/,
      join(dir, 'g5.json'),
    ],
    [
      'empty data (header only)',
      () => ['mining', 'segments', '--data', csv('empty2.csv', 'tid,item\n'), ...cols, '--out', join(dir, 'g6.json')],
      /empty2\.csv.*(header only|no data rows)/,
      join(dir, 'g6.json'),
    ],
    [
      'no items',
      () => ['mining', 'segments', '--data', csv('noitems.csv', 'tid,item\n1,\n2,\n3,\n'), ...cols, '--out', join(dir, 'g7.json')],
      /^fingan: error: .*column 'item' row 0: .*empty cell\n$/,
      join(dir, 'g7.json'),
    ],
    [
      'an output that is not .json',
      () => ['mining', 'segments', '--data', small, ...cols, '--out', join(dir, 'g8.csv')],
      /^fingan: error: flag --out: '.*g8\.csv' must end in \.json\n$/,
      join(dir, 'g8.csv'),
    ],
  ])('segments, %s: exit 2, one line, nothing written', async (_name, argv, msg, output) => {
    const r = await run(argv());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(existsSync(output)).toBe(false);
  });

  test('the same seed gives the same model files, byte for byte, and --help states the default length', async () => {
    const again = join(dir, 'model-again');
    expect((await run(['mining', 'fit', '--data', small, ...cols, '--out', again, '--epochs', '1', '--seed', '1'])).code).toBe(0);
    for (const f of ['manifest.json', 'model.json', 'weights.bin', 'state.json'])
      expect(readFileSync(join(again, f)).equals(readFileSync(join(model, f))), f).toBe(true);
    const out: string[] = [];
    await main(['mining', 'fit', '--help'], { out: (s) => void out.push(s), err: () => undefined });
    expect(out.join('')).toMatch(/--epochs N +full passes over the training baskets \(default: 1200 generator steps\)/);
    expect(out.join('')).toMatch(/--time-budget SECONDS +opt in: .*marked not reproducible/);
  });

  test('a model directory from another package is refused', async () => {
    const foreign = join(dir, 'foreign');
    await saveModelDir(foreign, {
      package: '@fingan/credit-risk',
      packageVersion: '0.1.0',
      kind: 'tabular-synthesizer',
      networks: { generator: mlp({ inputDim: 2, hidden: [2], outputDim: 1, name: 'fg' }) },
      state: {},
      seed: 0,
      trainingConfig: {},
      training: { steps: 0, plannedSteps: 0, stoppedBy: 'completed', reproducible: true },
      lossHistory: [],
    });
    const out = join(dir, 'never.csv');
    const r = await run(['mining', 'sample', '--model', foreign, '--transactions', '5', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds a tabular-synthesizer model from @fingan\/credit-risk, not a basket-gan from @fingan\/data-mining/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).some((f) => f.includes('.tmp'))).toBe(false);
  });
});
