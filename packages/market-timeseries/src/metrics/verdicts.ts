import type { Evaluation } from './evaluate.js';
import { assetPooled, type ReturnPanel } from './return-panel.js';

/**
 * A verdict per stylized fact and model against stated targets: what a quant team checks before trusting paths.
 * The targets (fingan's, stated with each verdict):
 * - heavy tails: excess kurtosis within 50 % of the real value, for every asset;
 * - extreme moves: the 99.9 % quantile of |r| within 0.7-1.5 x the real one, for every asset;
 * - no linear predictability: lag-1 autocorrelation of r within 0.05 of the real one, for every asset;
 * - volatility clustering: ACF(|r|) error at least 10 % below the reference model's (by default the plain GARCH(1,1),
 *   Gaussian innovations, 'garch-normal'; GARCH(1,1)-t, 'garch', is shown beside it as the stronger reference);
 * - return distribution: Wasserstein-1 at least 10 % below the reference model's (the same two references);
 * - indistinguishable windows: discriminative score <= 0.10;
 * - cross-asset correlation: mean absolute error of the pairwise correlations <= 0.10.
 */
export interface FactVerdict {
  fact: string;
  target: string;
  /** Per model: the value that decided, in words, and whether the target is met (null: not applicable). */
  models: Record<string, ModelVerdict>;
}

export interface ModelVerdict {
  value: string;
  pass: boolean | null;
  /** Relative targets only: the same 10 % test against the stronger reference (shown, not part of the verdict). */
  stronger?: { model: string; value: number; pass: boolean };
}

export interface VerdictOptions {
  /**
   * The model the relative targets compare with (default 'garch-normal', the plain GARCH(1,1); without it in the
   * evaluation those targets are not applicable).
   */
  reference?: string;
  /** A stronger reference shown beside it (default 'garch', GARCH(1,1)-t; ignored when absent from the evaluation). */
  strongerReference?: string;
}

export const DEFAULT_VERDICT_REFERENCE = 'garch-normal';
export const DEFAULT_STRONGER_REFERENCE = 'garch';

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

function absQuantile(x: Float64Array, q: number): number {
  const a = Float64Array.from(x, Math.abs).sort();
  const i = Math.min(a.length - 1, Math.max(0, Math.ceil(q * a.length) - 1));
  return a[i];
}

export function stylizedFactVerdicts(
  evaluation: Evaluation,
  real: ReturnPanel,
  models: { name: string; returns: ReturnPanel }[],
  options: VerdictOptions = {},
): FactVerdict[] {
  const reference = options.reference ?? DEFAULT_VERDICT_REFERENCE;
  const strongerName = options.strongerReference ?? DEFAULT_STRONGER_REFERENCE;
  const rows = new Map(evaluation.rows.map((r) => [r.model, r]));
  const ref = rows.get(reference);
  const stronger = strongerName !== reference ? rows.get(strongerName) : undefined;
  const also = stronger ? ` (${strongerName}'s shown beside it)` : '';
  const assets = real.assets;
  const realFacts = evaluation.real.perAsset;
  const realQ = assets.map((_, a) => absQuantile(assetPooled(real, a), 0.999));
  const verdicts: FactVerdict[] = [
    { fact: 'heavy tails', target: 'excess kurtosis within 50% of the real value, every asset', models: {} },
    { fact: 'extreme moves', target: '99.9% quantile of |r| within 0.7-1.5x the real one, every asset', models: {} },
    { fact: 'no linear predictability', target: 'lag-1 autocorrelation of r within 0.05 of the real one, every asset', models: {} },
    { fact: 'volatility clustering', target: `ACF(|r|) error at least 10% below ${reference}'s${also}`, models: {} },
    { fact: 'return distribution', target: `Wasserstein-1 at least 10% below ${reference}'s${also}`, models: {} },
    { fact: 'indistinguishable windows', target: 'discriminative score <= 0.10', models: {} },
    { fact: 'cross-asset correlation', target: 'mean absolute correlation error <= 0.10', models: {} },
  ];
  for (const m of models) {
    const c = evaluation.comparisons[m.name];
    const row = rows.get(m.name);
    if (!c || !row) continue;
    const sim = c.simulated.perAsset;
    // Worst asset first: the verdict is about every asset.
    const kurt = assets.map((_, a) => Math.abs(sim[a].excessKurtosis - realFacts[a].excessKurtosis) / Math.max(Math.abs(realFacts[a].excessKurtosis), 1e-9));
    const worstKurt = Math.max(...kurt);
    const ka = kurt.indexOf(worstKurt);
    verdicts[0].models[m.name] = {
      value: `worst ${assets[ka]}: ${fmt(sim[ka].excessKurtosis, 2)} vs ${fmt(realFacts[ka].excessKurtosis, 2)}`,
      pass: worstKurt <= 0.5,
    };
    const ratios = assets.map((_, a) => absQuantile(assetPooled(m.returns, a), 0.999) / realQ[a]);
    const qa = ratios.reduce((w, r, a) => (Math.abs(Math.log(r)) > Math.abs(Math.log(ratios[w])) ? a : w), 0);
    verdicts[1].models[m.name] = { value: `worst ${assets[qa]}: ${fmt(ratios[qa], 2)}x`, pass: ratios.every((r) => r >= 0.7 && r <= 1.5) };
    const lag1 = assets.map((_, a) => Math.abs((sim[a].acf[0] ?? 0) - (realFacts[a].acf[0] ?? 0)));
    const la = lag1.indexOf(Math.max(...lag1));
    verdicts[2].models[m.name] = { value: `worst ${assets[la]}: ${fmt(sim[la].acf[0])} vs ${fmt(realFacts[la].acf[0])}`, pass: lag1[la] <= 0.05 };
    const relative = (v: number, r: number | undefined, s: number | undefined): ModelVerdict => {
      const beside = s !== undefined && m.name !== strongerName ? { model: strongerName, value: s, pass: v <= 0.9 * s } : undefined;
      const shown = beside ? `; ${strongerName} ${fmt(s!, 5)}${beside.pass ? ', 10% below it' : ''}` : '';
      if (m.name === reference || r === undefined) return { value: `${fmt(v, 5)}${shown}`, pass: null, ...(beside ? { stronger: beside } : {}) };
      return { value: `${fmt(v, 5)} vs ${fmt(r, 5)}${shown}`, pass: v <= 0.9 * r, ...(beside ? { stronger: beside } : {}) };
    };
    verdicts[3].models[m.name] = relative(row.acfAbsMae, ref?.acfAbsMae, stronger?.acfAbsMae);
    verdicts[4].models[m.name] = relative(row.wasserstein, ref?.wasserstein, stronger?.wasserstein);
    verdicts[5].models[m.name] =
      row.discriminativeScore === null ? { value: 'not computed', pass: null } : { value: fmt(row.discriminativeScore), pass: row.discriminativeScore <= 0.1 };
    verdicts[6].models[m.name] = assets.length < 2 ? { value: 'one asset', pass: null } : { value: fmt(row.corrMatrixError), pass: row.corrMatrixError <= 0.1 };
  }
  return verdicts;
}
