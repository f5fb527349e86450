import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRng, initBackend, readTable } from '@fingan/gan-core';
import { argv, runCli as run } from './test-util.js';

const dir = mkdtempSync(join(tmpdir(), 'fingan-dp-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = readFileSync(new URL('../../../data/credit_scoring_modeldata.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const credit = join(dir, 'credit.csv');
writeFileSync(credit, LINES.slice(0, 401).join('\n') + '\n');

/** Transactions: 'ok' rows then 'fraud' rows; positives spend more. */
const fraud = join(dir, 'fraud.csv');
{
  const rng = createRng(1);
  const rows = ['amount,n_items,channel,label'];
  for (let i = 0; i < 400; i++) {
    const pos = i >= 340;
    rows.push(`${Math.exp(rng.normal(pos ? 6 : 4, 1)).toFixed(2)},${rng.int(pos ? 9 : 4)},${['web', 'pos', 'atm'][rng.int(3)]},${pos ? 'fraud' : 'ok'}`);
  }
  writeFileSync(fraud, rows.join('\n') + '\n');
}

/** `credit fit` with these flags: exit 2, one line matching `message`, and nothing written. */
function creditFitRefuses(what: string, flags: string[], message: RegExp): void {
  test(`credit fit: ${what} is exit 2 with one line naming the flag, and writes nothing`, async () => {
    const out = join(dir, `bad-${what.replace(/\W+/g, '-')}`);
    const r = await run(['credit', 'fit', '--data', credit, '--target', 'Status', '--out', out, '--steps', '1', ...flags]);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd()).toMatch(message);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('--epsilon / --delta (credit fit, fraud augment --method gan)', () => {
  test('credit fit --epsilon writes a model whose manifest states the guarantee', async () => {
    const out = join(dir, 'model');
    const r = await run(['credit', 'fit', '--data', credit, '--target', 'Status', '--out', out, '--steps', '2', '--epsilon', '5', '--seed', '1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.privacy).toMatchObject({ epsilon: 5, delta: 1e-5, sampling: 'poisson' });
    expect(manifest.privacy.epsilonSpent).toBeLessThanOrEqual(5);
  });

  test('credit fit --epsilon with declared bounds and categories: the model keeps them (a rare category is not dropped)', async () => {
    const out = join(dir, 'model-declared');
    const home = 'Home=owner|rent|parents|priv|other|ignore';
    const r = await run(
      argv('credit fit', { data: credit, target: 'Status', out, steps: '2', epsilon: '5', seed: '1', bounds: 'Age=18:80', categories: home }),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const state = readFileSync(join(out, 'state.json'), 'utf8');
    // 3 of the 400 rows are 'ignore': far below the noisy-count threshold, so only the declaration keeps it.
    expect(LINES.slice(1, 401).filter((l) => l.includes('"ignore"'))).toHaveLength(3);
    expect(state).toContain('"ignore"');
    expect(readFileSync(join(dir, 'model', 'state.json'), 'utf8')).not.toContain('"ignore"');
    expect(state).toContain('"name":"Age","kind":"integer","min":18,"max":80');
  });

  const badDeclared: [string, string[], RegExp][] = [
    ['categories without epsilon', ['--categories', 'Home=owner|rent'], /^fingan: error: flag --categories: needs --epsilon/],
    ['categories of the target', ['--epsilon', '5', '--categories', 'Status=good|bad'], /^fingan: error: flag --categories: .*column 'Status' is the target/],
    ['categories of a numeric column', ['--epsilon', '5', '--categories', 'Age=1|2'], /^fingan: error: flag --categories: .*column 'Age' is integer/],
    ['bounds of a missing column', ['--bounds', 'Nope=1:2'], /^fingan: error: flag --bounds: .*column 'Nope', which is not in/],
    [
      'bounds of a text column',
      ['--epsilon', '5', '--bounds', 'Home=1:2'],
      /^fingan: error: flag --bounds: .*column 'Home', which is categorical, not numeric/,
    ],
    ['bounds the wrong way round', ['--bounds', 'Age=80:18'], /^fingan: error: flag --bounds: .*lower bound 80 must be below the upper bound 18/],
    ['bounds that are not numbers', ['--bounds', 'Age=x:1'], /^fingan: error: flag --bounds: 'Age=x:1' is not COL=LO:HI/],
  ];
  for (const [what, flags, message] of badDeclared) creditFitRefuses(what, flags, message);

  test('fraud augment --method gan --epsilon adds rows', async () => {
    const out = join(dir, 'aug.csv');
    const r = await run(argv('fraud augment', { data: fraud, label: 'label', positive: 'fraud', method: 'gan', ratio: '0.5', out, steps: '2', epsilon: '5' }));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const t = readTable(out).table;
    expect(t.label.filter((v) => v === 'fraud').length).toBe(170);
  });

  const bad: [string, string[], RegExp][] = [
    ['epsilon 0', ['--epsilon', '0'], /^fingan: error: flag --epsilon: must be positive \(got '0'\)$/],
    ['negative epsilon', ['--epsilon', '-1'], /^fingan: error: flag --epsilon: must be positive/],
    ['non-numeric epsilon', ['--epsilon', 'abc'], /^fingan: error: flag --epsilon: expects a number, got 'abc'$/],
    ['delta at 1/rows', ['--epsilon', '1', '--delta', '0.0025'], /^fingan: error: flag --delta.*below 1\/rows = 0\.00250 \(the table has 400 rows\)/],
    ['delta without epsilon', ['--delta', '1e-6'], /^fingan: error: flag --delta: needs --epsilon \(differential privacy is off without it\)$/],
  ];
  for (const [what, flags, message] of bad) {
    creditFitRefuses(what, flags, message);
    test(`fraud augment: ${what} is exit 2 with one line naming the flag`, async () => {
      const out = join(dir, `bad-${what.replace(/\W+/g, '-')}.csv`);
      const r = await run(argv('fraud augment', { data: fraud, label: 'label', positive: 'fraud', method: 'gan', ratio: '0.5', out, steps: '1' }, ...flags));
      expect(r.code).toBe(2);
      expect(r.err.trimEnd()).toMatch(message);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    });
  }

  test('--epsilon is refused with --privacy-guard and with a non-GAN method', async () => {
    const a = await run(argv('credit fit', { data: credit, target: 'Status', out: join(dir, 'g'), epsilon: '1', 'privacy-guard': join(dir, 'g.json') }));
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^fingan: error: flag --privacy-guard: a differentially private fit has no exact-copy guard/);
    const b = await run(
      argv('fraud augment', { data: fraud, label: 'label', positive: 'fraud', method: 'smote', ratio: '0.5', out: join(dir, 's.csv'), epsilon: '1' }),
    );
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/^fingan: error: flag --epsilon: differential privacy is for --method gan/);
  });
});
