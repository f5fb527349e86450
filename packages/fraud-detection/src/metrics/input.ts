/** What a detector metric is computed from: the test rows' true labels (1 = positive) and the detector's scores. */
export interface DetectorScores {
  yTrue: ArrayLike<number>;
  scores: ArrayLike<number>;
}
