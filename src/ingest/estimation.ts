// Label-free performance estimation (CBPE): every prediction with a confidence lands in the
// estimation window (the quality window's 24 steps, by prediction time) as a count per
// confidence cell; the estimate maps each cell through a calibration fitted on labelled data.
import type { ModelSpec } from '../config/index.js';
import { M } from '../catalog/metrics.js';
import { addCounts, addPrediction, calibrationSize, cell, emptyCounts, estimate, type Calibration, type ConfidenceCounts } from '../stats/calibration.js';
import type { Aggregates } from './aggregates.js';
import { live, stepSeconds, windowStep } from './quality-window.js';

interface Step { id: number; counts: ConfidenceCounts }

export type CalibrationKind = 'production' | 'baseline' | 'raw';

export class EstimationWindow {
  private windows = new Map<string, Step[]>();
  private published = new Set<string>();

  constructor(
    private readonly models: ReadonlyMap<string, ModelSpec>,
    private readonly agg: Aggregates,
    /** Labelled calibration of the baseline reference, where one was built from labelled data. */
    private readonly baseline: (model: string) => Calibration | null,
  ) {}

  /** Whether a model is estimated: classifiers only (confidence is the probability of the predicted class). */
  wants(m: ModelSpec): boolean {
    return m.task === 'classification';
  }

  add(m: ModelSpec, version: string, predicted: string, confidence: number, ts: number, now: number): void {
    const c = cell(confidence, m.positiveClass !== null && predicted === m.positiveClass);
    if (c < 0) return;
    const key = `${m.name}\u0000${version}`;
    let steps = this.windows.get(key);
    if (!steps) this.windows.set(key, (steps = []));
    const s = windowStep(steps, ts, now, stepSeconds(m), (id) => ({ id, counts: emptyCounts() }));
    if (s) addPrediction(s.counts, c, confidence);
  }

  /**
   * Publishes the estimate per version. The calibration map is the model's labelled predictions
   * in the quality window when there are at least accuracy_min_labels of them, else the labelled
   * baseline reference, else none (each cell's mean confidence is taken as its accuracy).
   */
  publish(now: number, production: (model: string) => Calibration): void {
    const maps = new Map<string, { map: Calibration | null; kind: CalibrationKind }>();
    const mapOf = (m: ModelSpec) => {
      let got = maps.get(m.name);
      if (!got) {
        const prod = production(m.name);
        const base = this.baseline(m.name);
        got = calibrationSize(prod) >= m.thresholds.accuracyMinLabels ? { map: prod, kind: 'production' }
          : base && calibrationSize(base) > 0 ? { map: base, kind: 'baseline' } : { map: null, kind: 'raw' };
        maps.set(m.name, got);
        for (const kind of ['production', 'baseline', 'raw'] as const) {
          this.agg.set(M.estimationCalibrationLabels, { model: m.name, kind }, kind === got.kind && got.map ? calibrationSize(got.map) : 0);
        }
      }
      return got;
    };
    const current = new Set<string>();
    for (const [key, steps] of this.windows) {
      const [model, version] = key.split('\u0000') as [string, string];
      const m = this.models.get(model);
      if (!m) continue;
      const kept = steps.filter((s) => live(s.id, now, stepSeconds(m)));
      if (!kept.length) { this.windows.delete(key); continue; }
      if (kept.length !== steps.length) this.windows.set(key, kept);
      current.add(key);
      const counts = emptyCounts();
      for (const s of kept) addCounts(counts, s.counts);
      const e = estimate(counts, mapOf(m).map, m.positiveClass !== null);
      const labels = { model, version };
      this.agg.set(M.estimationWindowPredictions, labels, e.predictions);
      for (const [def, v] of [[M.estimatedAccuracy, e.accuracy], [M.estimatedPrecision, e.precision], [M.estimatedRecall, e.recall]] as const) {
        if (Number.isFinite(v)) this.agg.set(def, labels, v);
        else this.agg.unset(def, labels);
      }
    }
    for (const key of this.published) {
      if (current.has(key)) continue;
      const [model, version] = key.split('\u0000') as [string, string];
      const labels = { model, version };
      this.agg.set(M.estimationWindowPredictions, labels, 0);
      for (const def of [M.estimatedAccuracy, M.estimatedPrecision, M.estimatedRecall]) this.agg.unset(def, labels);
    }
    this.published = current;
  }

  toJSON(): Record<string, Step[]> {
    return Object.fromEntries(this.windows);
  }

  restore(json: Record<string, Step[]> | undefined): void {
    this.windows = new Map(Object.entries(json ?? {}).map(([k, steps]) => [k, steps.map((s) => ({ id: Number(s.id), counts: s.counts }))]));
    this.published = new Set(this.windows.keys());
  }
}
