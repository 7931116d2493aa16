// The model's own quality on labelled reference data (a baseline built from data with a label
// column): what live quality is compared with, and the calibration map for estimates.
import { pairKey, quality } from './classification.js';
import { addPair as addCell, calibrationSize, cell, ece, emptyCalibration, type Calibration } from './calibration.js';
import { addPair, emptySums, regression } from './regression.js';

export interface BaselinePerformance {
  /** Labelled records the statistics come from. */
  readonly labelled: number;
  /** accuracy (classification) or mae, rmse, mean_error, smape (regression); calibration_error with confidences. */
  readonly statistics: Record<string, number>;
  /** Labelled predictions per confidence cell (classification with a confidence); null otherwise. */
  readonly calibration: Calibration | null;
}

export class PerformanceBuilder {
  private readonly pairs = new Map<string, number>();
  private readonly sums = emptySums();
  private readonly cal = emptyCalibration();

  constructor(private readonly task: 'classification' | 'regression', private readonly positive: string | null) {}

  /** One labelled reference record; values already read as numbers or text. */
  add(predicted: string | number, actual: string | number, confidence: number): void {
    if (this.task === 'regression') {
      if (typeof predicted === 'number' && typeof actual === 'number' && Number.isFinite(predicted) && Number.isFinite(actual)) addPair(this.sums, predicted, actual);
      return;
    }
    const p = String(predicted);
    const a = String(actual);
    this.pairs.set(pairKey(p, a), (this.pairs.get(pairKey(p, a)) ?? 0) + 1);
    const c = cell(confidence, this.positive !== null && p === this.positive);
    if (c >= 0) addCell(this.cal, c, p === a, confidence);
  }

  build(): BaselinePerformance | null {
    if (this.task === 'regression') {
      const q = regression(this.sums);
      return q.labelled ? { labelled: q.labelled, statistics: { mae: q.mae, rmse: q.rmse, mean_error: q.meanError, smape: q.smape }, calibration: null } : null;
    }
    const q = quality(this.pairs, this.positive);
    if (!q.labelled) return null;
    const calibrated = calibrationSize(this.cal) > 0;
    return { labelled: q.labelled, statistics: { accuracy: q.accuracy, ...(calibrated ? { calibration_error: ece(this.cal) } : {}) }, calibration: calibrated ? this.cal : null };
  }
}
