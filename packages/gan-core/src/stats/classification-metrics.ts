import { rank } from './correlation.js';
import { assertFinite, assertSameLength } from './validate.js';

/**
 * Metrics for binary scores: labels are 0/1 (1 = positive), scores are any finite numbers where higher means "more
 * likely positive". Every curve point means "predict positive when score >= threshold", thresholds at the distinct
 * scores in descending order, so tied scores are never split (the same convention as scikit-learn).
 */

function checkBinary(yTrue: ArrayLike<number>, scores: ArrayLike<number>): { pos: number; neg: number } {
  assertSameLength(yTrue, scores, 'yTrue and scores');
  assertFinite(scores, 'scores');
  let pos = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const v = yTrue[i];
    if (v !== 0 && v !== 1) throw new RangeError(`yTrue[${i}] must be 0 or 1, got ${v}`);
    pos += v;
  }
  return { pos, neg: yTrue.length - pos };
}

function requireBothClasses(c: { pos: number; neg: number }, what: string): void {
  if (c.pos === 0 || c.neg === 0) {
    throw new RangeError(`${what} needs both classes in yTrue (got ${c.pos} positives, ${c.neg} negatives)`);
  }
}

/** Cumulative true/false positives at each distinct score, highest score first. */
function cumulativeCounts(yTrue: ArrayLike<number>, scores: ArrayLike<number>): { tps: Float64Array; fps: Float64Array; thresholds: Float64Array } {
  const n = scores.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b] - scores[a]);
  const tps: number[] = [],
    fps: number[] = [],
    thr: number[] = [];
  let tp = 0,
    fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (yTrue[i] === 1) tp++;
    else fp++;
    if (k === n - 1 || scores[order[k + 1]] !== scores[i]) {
      tps.push(tp);
      fps.push(fp);
      thr.push(scores[i]);
    }
  }
  return { tps: Float64Array.from(tps), fps: Float64Array.from(fps), thresholds: Float64Array.from(thr) };
}

/**
 * Area under the ROC curve as the Mann-Whitney probability that a random positive outscores a random negative,
 * ties counting one half (average ranks). Throws RangeError if only one class is present.
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const c = checkBinary(yTrue, scores);
  requireBothClasses(c, 'rocAuc');
  const r = rank(scores);
  let sumPos = 0;
  for (let i = 0; i < r.length; i++) if (yTrue[i] === 1) sumPos += r[i];
  return (sumPos - (c.pos * (c.pos + 1)) / 2) / (c.pos * c.neg);
}

/** ROC curve. The first point is (0, 0) at threshold +Infinity, so the curve runs from (0,0) to (1,1). */
export function rocCurve(yTrue: ArrayLike<number>, scores: ArrayLike<number>): { fpr: Float64Array; tpr: Float64Array; thresholds: Float64Array } {
  const c = checkBinary(yTrue, scores);
  requireBothClasses(c, 'rocCurve');
  const { tps, fps, thresholds } = cumulativeCounts(yTrue, scores);
  const k = thresholds.length;
  const fpr = new Float64Array(k + 1),
    tpr = new Float64Array(k + 1),
    thr = new Float64Array(k + 1);
  thr[0] = Infinity;
  for (let i = 0; i < k; i++) {
    fpr[i + 1] = fps[i] / c.neg;
    tpr[i + 1] = tps[i] / c.pos;
    thr[i + 1] = thresholds[i];
  }
  return { fpr, tpr, thresholds: thr };
}

/**
 * Precision and recall at each distinct score (descending thresholds, so recall rises along the arrays). Unlike
 * scikit-learn no artificial (recall 0, precision 1) end point is appended: entry i belongs to thresholds[i].
 */
export function precisionRecallCurve(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
): { precision: Float64Array; recall: Float64Array; thresholds: Float64Array } {
  const c = checkBinary(yTrue, scores);
  requireBothClasses(c, 'precisionRecallCurve');
  const { tps, fps, thresholds } = cumulativeCounts(yTrue, scores);
  const k = thresholds.length;
  const precision = new Float64Array(k),
    recall = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    precision[i] = tps[i] / (tps[i] + fps[i]);
    recall[i] = tps[i] / c.pos;
  }
  return { precision, recall, thresholds };
}

/**
 * Average precision, sum_n (R_n - R_{n-1}) P_n over descending thresholds with R_0 = 0 (scikit-learn's
 * average_precision_score): a step-wise area under the PR curve without the optimistic linear interpolation.
 */
export function prAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(yTrue, scores);
  let ap = 0,
    prevR = 0;
  for (let i = 0; i < recall.length; i++) {
    ap += (recall[i] - prevR) * precision[i];
    prevR = recall[i];
  }
  return ap;
}

/** Largest recall reachable at a threshold whose precision is at least `minPrecision`; 0 if no threshold reaches it. */
export function recallAtPrecision(yTrue: ArrayLike<number>, scores: ArrayLike<number>, minPrecision: number): number {
  if (!(minPrecision >= 0 && minPrecision <= 1)) throw new RangeError(`minPrecision must be in [0, 1], got ${minPrecision}`);
  const { precision, recall } = precisionRecallCurve(yTrue, scores);
  let best = 0;
  for (let i = 0; i < recall.length; i++) if (precision[i] >= minPrecision && recall[i] > best) best = recall[i];
  return best;
}

/** Highest F1 over thresholds, and the threshold (predict positive when score >= threshold) that reaches it. */
export function bestF1(yTrue: ArrayLike<number>, scores: ArrayLike<number>): { f1: number; threshold: number } {
  const c = checkBinary(yTrue, scores);
  if (c.pos === 0) throw new RangeError('bestF1 needs at least one positive in yTrue');
  const { tps, fps, thresholds } = cumulativeCounts(yTrue, scores);
  let f1 = 0,
    threshold = Infinity;
  for (let i = 0; i < thresholds.length; i++) {
    // F1 = 2TP / (2TP + FP + FN), FN = pos - TP.
    const f = (2 * tps[i]) / (tps[i] + fps[i] + c.pos);
    if (f > f1) {
      f1 = f;
      threshold = thresholds[i];
    }
  }
  return { f1, threshold };
}

/** Share of positions where the predicted label equals the true one (labels compared exactly). */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  assertSameLength(yTrue, yPred, 'yTrue and yPred');
  if (yTrue.length === 0) throw new RangeError('yTrue is empty');
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}
