/**
 * `fingan demo fraud`: does oversampling the rare class help a detector, on real data? The bundled rare-class set is
 * LendingClub loan data (Q1 2016, 5.2% bad loans). These are loan defaults, not fraud: no fraud-labelled data with a
 * usable licence is bundled, and the demo says so in its report. A seeded stratified 70/30 split; the 30% is never
 * augmented or trained on. Every method (none, SMOTE, SMOTE-NC, random, the conditional GAN) is scored over seeds at
 * the data's own prevalence and with training positives thinned to 1%.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readTable, writeFileAtomic, type Logger, type Table } from '@fingan/gan-core';
import { evaluateAugmentation, fraudReportHtml, metricsJson, stratifiedSplit, type EvaluationResult, type MetricsJson } from '@fingan/fraud-detection';

export const DATA_FILE = fileURLToPath(new URL('../../../data/lending_club_2016q1.csv', import.meta.url));
export const LABEL = 'Class';
export const POSITIVE = 'bad';
export const DATA_NOTE =
  'LendingClub loans, Q1 2016 (9,857 loans; positive = bad: charged off, defaulted or 21-120 days late, 5.2%). ' +
  'These are loan defaults, not fraud: no real fraud-labelled data is bundled. Conclusions are about this data.';

export interface FraudDemoOptions {
  out: string;
  quick: boolean;
  seed: number;
  log: Logger;
  /** For tests: a smaller setting than quick (first `rows` rows, these methods, seeds, prevalences, GAN options). */
  overrides?: { rows?: number; methods?: string[]; seeds?: number; prevalences?: (number | undefined)[]; gan?: Record<string, unknown> };
}

export interface FraudDemoResult {
  summary: Record<string, unknown>;
  metrics: FraudDemoMetrics;
}

/** metrics.json of the demo: the setting and one evaluation per training prevalence. */
export interface FraudDemoMetrics {
  data: string;
  note: string;
  split: { testShare: number; seed: number; trainRows: number; testRows: number };
  quick: boolean;
  /** GAN options other than the sampler's defaults (null: defaults). */
  gan: Record<string, unknown> | null;
  results: MetricsJson[];
}

/**
 * Quick: 2 seeds and a 2-epoch GAN fine-tuned 5 steps on the positives (a tenth of the default training, about 2
 * minutes on 2 busy cores; a smoke run, the spread over 2 seeds is only indicative and such a GAN is not a trained one).
 * Full: 5 seeds and the GAN sampler's default training (about 2 minutes per fit, 10 fits).
 */
const QUICK = { seeds: 2, gan: { epochs: 2, fineTuneSteps: 5 } };
const FULL = { seeds: 5, gan: undefined };
/** Quick mode compares the four oversamplers of the smoke run; full mode adds class weights, ADASYN and Borderline-SMOTE. */
const QUICK_METHODS = ['smote', 'smotenc', 'random', 'gan', 'gan+smote'];
const FULL_METHODS = ['class-weights', 'smote', 'smotenc', 'adasyn', 'borderline', 'random', 'gan', 'gan+smote'];
const PREVALENCES: (number | undefined)[] = [undefined, 0.01];

export async function runFraudDemo(opts: FraudDemoOptions): Promise<FraudDemoResult> {
  const o = opts.overrides ?? {};
  const setting = opts.quick ? QUICK : FULL;
  const nSeeds = o.seeds ?? setting.seeds;
  const gan = o.gan ?? setting.gan;
  const methods = o.methods ?? (opts.quick ? QUICK_METHODS : FULL_METHODS);
  const prevalences = o.prevalences ?? PREVALENCES;

  let table: Table = readTable(DATA_FILE).table;
  if (o.rows !== undefined) table = Object.fromEntries(Object.entries(table).map(([c, v]) => [c, v.slice(0, o.rows)]));
  const { train, test } = stratifiedSplit(table, LABEL, POSITIVE, 0.3, opts.seed);
  const seeds = Array.from({ length: nSeeds }, (_, i) => opts.seed + 1 + i);
  opts.log.info(`fraud demo: ${train[LABEL].length} training rows, ${test[LABEL].length} test rows; methods none, ${methods.join(', ')}; ${nSeeds} seeds`);

  const results: EvaluationResult[] = [];
  for (const prevalence of prevalences) {
    opts.log.info(`fraud demo: training prevalence ${prevalence === undefined ? 'natural' : `${prevalence * 100}%`}`);
    results.push(
      await evaluateAugmentation({
        train,
        test,
        label: LABEL,
        positive: POSITIVE,
        methods,
        seeds,
        prevalence,
        allowFewerSeeds: nSeeds < 5,
        gan,
        log: (m) => opts.log.info(`  ${m}`),
      }),
    );
  }

  const metrics: FraudDemoMetrics = {
    data: 'data/lending_club_2016q1.csv',
    note: DATA_NOTE,
    split: { testShare: 0.3, seed: opts.seed, trainRows: train[LABEL].length, testRows: test[LABEL].length },
    quick: opts.quick,
    gan: gan ?? null,
    results: results.map(metricsJson),
  };
  writeFileAtomic(join(opts.out, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  writeFileAtomic(
    join(opts.out, 'report.html'),
    fraudReportHtml(results, {
      title: 'Rare-class augmentation on LendingClub loan defaults',
      subtitle: opts.quick ? 'quick run: 2 seeds and a briefly trained GAN; run without --quick for the real comparison' : undefined,
      dataNote: DATA_NOTE,
    }),
  );
  const prAuc = Object.fromEntries(
    metrics.results.map((r) => [
      r.targetPrevalence === null ? 'natural' : `${r.targetPrevalence * 100}%`,
      Object.fromEntries(Object.entries(r.methods).map(([m, v]) => [m, +v!.prAuc.mean.toFixed(4)])),
    ]),
  );
  const recommendation = Object.fromEntries(
    metrics.results.map((r) => [r.targetPrevalence === null ? 'natural' : `${r.targetPrevalence * 100}%`, r.recommendation.method]),
  );
  return { summary: { seeds: nSeeds, prAuc, recommendation }, metrics };
}

/** The DemoSpec `fingan demo` runs (the shape is apps/cli's DemoSpec; this package cannot import the CLI). */
export const fraudDemo = {
  name: 'fraud',
  summary: 'rare-class augmentation (GAN, SMOTE, SMOTE-NC, random) on LendingClub loan defaults, scored over seeds',
  async run(args: { out: string; quick: boolean; seed: number; log: Logger }): Promise<{ summary: Record<string, unknown> }> {
    const { summary } = await runFraudDemo(args);
    return { summary };
  },
};
