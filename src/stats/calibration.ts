// Confidence calibration and confidence-based performance estimation (CBPE, as NannyML names
// it): the accuracy a window of predictions should have, from the confidence of each prediction
// and a map from confidence to the observed chance of being right, before any label arrives.
//
// Cells: 10 equal-width confidence bins on [0, 1] ([k/10, (k+1)/10), the last one closed),
// times whether the prediction was the positive class (binary classifiers), so that precision
// and recall of the positive class can be estimated as well. Confidence is the model's
// probability for the class it predicted.
export const BINS = 10;
export const CELLS = BINS * 2;

/** The bin of a confidence in [0, 1]; -1 for anything else. */
export function bin(confidence: number): number {
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) return -1;
  return Math.min(BINS - 1, Math.floor(confidence * BINS));
}

export const cell = (confidence: number, positive: boolean): number => {
  const b = bin(confidence);
  return b < 0 ? -1 : b + (positive ? BINS : 0);
};

/** Labelled predictions per cell: how many, how many were right, and their summed confidence. */
export interface Calibration { readonly n: number[]; readonly correct: number[]; readonly confidence: number[] }
/** Predictions per cell (labelled or not) and their summed confidence. */
export interface ConfidenceCounts { readonly n: number[]; readonly confidence: number[] }

export const emptyCalibration = (): Calibration => ({ n: zeros(), correct: zeros(), confidence: zeros() });
export const emptyCounts = (): ConfidenceCounts => ({ n: zeros(), confidence: zeros() });
function zeros(): number[] { return new Array<number>(CELLS).fill(0); }

/** Adds one labelled prediction to its cell. */
export function addPair(c: Calibration, at: number, correct: boolean, confidence: number): void {
  c.n[at] = (c.n[at] as number) + 1;
  if (correct) c.correct[at] = (c.correct[at] as number) + 1;
  c.confidence[at] = (c.confidence[at] as number) + confidence;
}

/** Adds one prediction (labelled or not) to its cell. */
export function addPrediction(c: ConfidenceCounts, at: number, confidence: number): void {
  c.n[at] = (c.n[at] as number) + 1;
  c.confidence[at] = (c.confidence[at] as number) + confidence;
}

export function addCalibration(into: Calibration, c: Calibration): void {
  for (let i = 0; i < CELLS; i++) {
    into.n[i] = (into.n[i] as number) + (c.n[i] as number);
    into.correct[i] = (into.correct[i] as number) + (c.correct[i] as number);
    into.confidence[i] = (into.confidence[i] as number) + (c.confidence[i] as number);
  }
}

export function addCounts(into: ConfidenceCounts, c: ConfidenceCounts): void {
  for (let i = 0; i < CELLS; i++) {
    into.n[i] = (into.n[i] as number) + (c.n[i] as number);
    into.confidence[i] = (into.confidence[i] as number) + (c.confidence[i] as number);
  }
}

export const calibrationSize = (c: Calibration): number => c.n.reduce((a, b) => a + b, 0);

/**
 * Expected calibration error over the 10 bins (positive and negative predictions pooled):
 * Σ_b (n_b / N) · |accuracy_b − mean confidence_b|. NaN without labelled predictions.
 */
export function ece(c: Calibration): number {
  let total = 0;
  let sum = 0;
  for (let b = 0; b < BINS; b++) {
    const n = (c.n[b] as number) + (c.n[b + BINS] as number);
    if (!n) continue;
    const right = (c.correct[b] as number) + (c.correct[b + BINS] as number);
    const conf = (c.confidence[b] as number) + (c.confidence[b + BINS] as number);
    total += n;
    sum += Math.abs(right - conf);
  }
  return total ? sum / total : NaN;
}

export interface Estimate { readonly accuracy: number; readonly precision: number; readonly recall: number; readonly predictions: number }

/**
 * Estimated performance of a window of predictions. Each cell's chance of being right comes
 * from the calibration map where it holds labelled predictions, otherwise from the mean
 * confidence of the window's predictions in that cell (the scores are taken as calibrated).
 * Precision and recall are of the positive class (cells BINS..2·BINS−1); NaN without one.
 */
export function estimate(window: ConfidenceCounts, map: Calibration | null, binary: boolean): Estimate {
  let n = 0;
  let right = 0;
  let tp = 0;
  let predictedPositive = 0;
  let fn = 0;
  for (let i = 0; i < CELLS; i++) {
    const k = window.n[i] as number;
    if (!k) continue;
    const labelled = map ? (map.n[i] as number) : 0;
    const p = labelled ? (map as Calibration).correct[i] as number / labelled : (window.confidence[i] as number) / k;
    n += k;
    right += k * p;
    if (i >= BINS) { tp += k * p; predictedPositive += k; } else fn += k * (1 - p);
  }
  if (!n) return { accuracy: NaN, precision: NaN, recall: NaN, predictions: 0 };
  return {
    accuracy: right / n,
    precision: binary && predictedPositive ? tp / predictedPositive : NaN,
    recall: binary && tp + fn > 0 ? tp / (tp + fn) : NaN,
    predictions: n,
  };
}
