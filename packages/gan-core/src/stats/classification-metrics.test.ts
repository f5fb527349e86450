import { describe, expect, it } from 'vitest';
import { accuracy, bestF1, prAuc, precisionRecallCurve, recallAtPrecision, rocAuc, rocCurve } from './classification-metrics.js';

// A small example with tied scores (0.8 twice, 0.6 three times). Hand/numpy reference:
//   thresholds 0.9 0.8 0.6 0.4 0.3 0.2 0.1
//   precision  1   2/3 1/2 4/7 1/2 5/9 1/2
//   recall     .2  .4  .6  .8  .8  1   1
//   AP = .2*(1 + 2/3 + 1/2 + 4/7 + 5/9) = 0.6587301587301587
//   AUC by pair counting (ties = 1/2) = 15.5 / 25 = 0.62
const y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0];
const s = [0.9, 0.8, 0.8, 0.6, 0.6, 0.6, 0.4, 0.3, 0.2, 0.1];

describe('classification metrics', () => {
  it('computes ROC AUC with ties as Mann-Whitney', () => {
    expect(rocAuc(y, s)).toBeCloseTo(0.62, 14);
    // no ties: 11 of 16 pairs ordered correctly
    expect(rocAuc([1, 0, 1, 1, 0, 0, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.4, 0.3])).toBeCloseTo(11 / 16, 14);
    expect(rocAuc([0, 1], [0.2, 0.7])).toBe(1);
    expect(rocAuc([0, 1, 0, 1], [1, 1, 1, 1])).toBe(0.5);
  });

  it('builds the ROC curve from (0,0) to (1,1) whose trapezoid area is the AUC', () => {
    const { fpr, tpr, thresholds } = rocCurve(y, s);
    expect(thresholds[0]).toBe(Infinity);
    expect(Array.from(thresholds.slice(1))).toEqual([0.9, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1]);
    expect([fpr[0], tpr[0]]).toEqual([0, 0]);
    expect([fpr[fpr.length - 1], tpr[tpr.length - 1]]).toEqual([1, 1]);
    let area = 0;
    for (let i = 1; i < fpr.length; i++) area += ((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1])) / 2;
    expect(area).toBeCloseTo(0.62, 14);
  });

  it('builds the PR curve and average precision', () => {
    const { precision, recall, thresholds } = precisionRecallCurve(y, s);
    expect(Array.from(thresholds)).toEqual([0.9, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1]);
    [1, 2 / 3, 1 / 2, 4 / 7, 1 / 2, 5 / 9, 1 / 2].forEach((v, i) => expect(precision[i]).toBeCloseTo(v, 14));
    [0.2, 0.4, 0.6, 0.8, 0.8, 1, 1].forEach((v, i) => expect(recall[i]).toBeCloseTo(v, 14));
    expect(prAuc(y, s)).toBeCloseTo(0.6587301587301587, 14);
  });

  it('finds recall at a precision floor and the best F1', () => {
    expect(recallAtPrecision(y, s, 0.6)).toBeCloseTo(0.4, 14);
    expect(recallAtPrecision(y, s, 0.55)).toBeCloseTo(1, 14); // 5/9 >= 0.55 at threshold 0.2
    expect(recallAtPrecision(y, s, 1)).toBeCloseTo(0.2, 14);
    expect(recallAtPrecision([1, 0], [0.1, 0.9], 1)).toBe(0);
    // F1 per threshold: 1/3, 1/2, 6/11, 2/3, 8/13, 5/7, 2/3 -> best 5/7 at 0.2
    const b = bestF1(y, s);
    expect(b.f1).toBeCloseTo(5 / 7, 14);
    expect(b.threshold).toBe(0.2);
  });

  it('computes accuracy', () => {
    expect(accuracy([1, 0, 1, 1], [1, 1, 1, 0])).toBe(0.5);
  });

  it('throws when only one class is present or labels are not 0/1', () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow('rocAuc needs both classes');
    expect(() => prAuc([0, 0], [0.2, 0.3])).toThrow(RangeError);
    expect(() => rocAuc([1, 2], [0.2, 0.3])).toThrow('yTrue[1] must be 0 or 1');
    expect(() => rocAuc([1, 0], [0.2, NaN])).toThrow('scores[1] is not a finite number');
  });
});
