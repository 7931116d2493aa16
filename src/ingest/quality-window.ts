// The quality window: joined (prediction, label) pairs of the current step and the 23 before it
// (a step is the model's quality_window / 24: an hour by default), by label arrival time, per
// model and version. Classifiers keep pair counts and calibration
// cells, regression models running error sums: a window costs the same whatever its traffic.
import type { ModelSpec } from '../config/index.js';
import { M } from '../catalog/metrics.js';
import { OVERFLOW_VALUE } from '../catalog/labels.js';
import { classRecall, confusion, pairKey, quality, splitPair } from '../stats/classification.js';
import { addCalibration, addPair as addCell, cell, ece, emptyCalibration, type Calibration } from '../stats/calibration.js';
import { addPair, addSums, emptySums, regression, type RegressionSums } from '../stats/regression.js';
import type { Aggregates } from './aggregates.js';

export const STEPS = 24;

export interface Step { id: number; pairs: Record<string, number>; cal: Calibration | null; reg: RegressionSums | null }

/** Seconds per step of a model's quality window. */
export const stepSeconds = (m: ModelSpec) => m.qualityWindowSeconds / STEPS;
const stepId = (ts: number, step: number) => Math.floor(ts / step);
/** Whether a step is inside the window that ends with the step of `now`. */
export const live = (id: number, now: number, step: number) => id > stepId(now, step) - STEPS && id <= stepId(now, step);

/**
 * The step of `ts` in steps kept oldest first, created with `make` when missing; null for a time
 * older than the window, which is counted elsewhere but never displaces a newer step.
 */
export function windowStep<S extends { readonly id: number }>(steps: S[], ts: number, now: number, step: number, make: (id: number) => S): S | null {
  const id = stepId(ts, step);
  if (!live(id, now, step)) return null;
  // Records arrive in time order, mostly: the newest step first.
  const newest = steps[steps.length - 1];
  if (newest?.id === id) return newest;
  let s = steps.find((x) => x.id === id);
  if (!s) {
    s = make(id);
    steps.push(s);
    steps.sort((a, b) => a.id - b.id);
    while (steps.length && !live((steps[0] as S).id, now, step)) steps.shift();
  }
  return s;
}

/** One model and version's steps, oldest first; handed out once and kept (never replaced). */
export interface Series { readonly model: string; readonly version: string; readonly positive: string | null; readonly regression: boolean; readonly step: number; readonly steps: Step[] }

export class QualityWindow {
  private windows = new Map<string, Series>();
  /** Version series published last time, so a window that empties loses its gauges. */
  private published = new Set<string>();

  constructor(private readonly models: ReadonlyMap<string, ModelSpec>, private readonly agg: Aggregates) {}

  /** The series of a model and version, created on first use. */
  series(model: string, version: string): Series {
    const key = `${model}\u0000${version}`;
    let s = this.windows.get(key);
    if (!s) {
      const spec = this.models.get(model);
      s = { model, version, positive: spec?.positiveClass ?? null, regression: spec?.task === 'regression', step: spec ? stepSeconds(spec) : 3600, steps: [] };
      this.windows.set(key, s);
    }
    return s;
  }

  private step(series: Series, ts: number, now: number): Step | null {
    return windowStep(series.steps, ts, now, series.step, (id) => ({ id, pairs: {}, cal: null, reg: null }));
  }

  /** Pair keys by predicted and actual class, built once: the join is per label, classes are few. */
  private readonly keys = new Map<string, Map<string, string>>();

  private pairKey(predicted: string, actual: string): string {
    let byActual = this.keys.get(predicted);
    if (!byActual) {
      // Bounded like the classes a model really emits; a model emitting free text gets no cache.
      if (this.keys.size >= 1000) return pairKey(predicted, actual);
      this.keys.set(predicted, (byActual = new Map()));
    }
    let k = byActual.get(actual);
    if (k === undefined) {
      k = pairKey(predicted, actual);
      if (byActual.size < 1000) byActual.set(actual, k);
    }
    return k;
  }

  addClass(series: Series, predicted: string, actual: string, confidence: number, ts: number, now: number): void {
    const s = this.step(series, ts, now);
    if (!s) return;
    const k = this.pairKey(predicted, actual);
    s.pairs[k] = (s.pairs[k] ?? 0) + 1;
    const c = cell(confidence, series.positive !== null && predicted === series.positive);
    if (c >= 0) addCell((s.cal ??= emptyCalibration()), c, predicted === actual, confidence);
  }

  addValue(series: Series, predicted: number, actual: number, ts: number, now: number): void {
    const s = this.step(series, ts, now);
    if (s) addPair((s.reg ??= emptySums()), predicted, actual);
  }

  /** Calibration cells of a model's labelled predictions in the window, all versions together. */
  calibration(model: string, now: number): Calibration {
    const out = emptyCalibration();
    for (const series of this.windows.values()) {
      if (series.model !== model) continue;
      for (const s of series.steps) if (s.cal && live(s.id, now, series.step)) addCalibration(out, s.cal);
    }
    return out;
  }

  publish(now: number): void {
    const current = new Set<string>();
    for (const [key, series] of this.windows) {
      const steps = series.steps;
      while (steps.length && !live((steps[0] as Step).id, now, series.step)) steps.shift();
      if (!steps.length) continue;
      const { model, version } = series;
      const kept = steps;
      const spec = this.models.get(model);
      if (!spec) continue;
      current.add(key);
      if (spec.task === 'regression') this.publishRegression(model, version, kept);
      else this.publishClasses(spec, version, kept);
    }
    for (const key of this.published) {
      if (current.has(key)) continue;
      const [model, version] = key.split('\u0000') as [string, string];
      this.clear(this.models.get(model), version);
    }
    this.published = current;
  }

  private publishRegression(model: string, version: string, steps: readonly Step[]): void {
    const sums = emptySums();
    for (const s of steps) if (s.reg) addSums(sums, s.reg);
    const q = regression(sums);
    const labels = { model, version };
    this.agg.set(M.qualityWindowLabels, labels, q.labelled);
    for (const [def, v] of [[M.mae, q.mae], [M.rmse, q.rmse], [M.meanError, q.meanError], [M.smape, q.smape]] as const) this.setOrUnset(def, labels, v);
  }

  private publishClasses(m: ModelSpec, version: string, steps: readonly Step[]): void {
    const pairs = new Map<string, number>();
    const cal = emptyCalibration();
    for (const s of steps) {
      for (const [k, n] of Object.entries(s.pairs)) pairs.set(k, (pairs.get(k) ?? 0) + n);
      if (s.cal) addCalibration(cal, s.cal);
    }
    const q = quality(pairs, m.positiveClass);
    const labels = { model: m.name, version };
    this.agg.set(M.qualityWindowLabels, labels, q.labelled);
    for (const [def, v] of [[M.accuracy, q.accuracy], [M.precision, q.precision], [M.recall, q.recall], [M.f1, q.f1], [M.calibrationError, ece(cal)]] as const) this.setOrUnset(def, labels, v);
    for (const c of recallClasses(m)) this.setOrUnset(M.classRecall, { ...labels, class: c }, classRecall(pairs, c));
    if (m.classes.length) {
      for (const [k, n] of confusion(pairs, m.classes, OVERFLOW_VALUE)) {
        const [predicted, actual] = splitPair(k);
        this.agg.set(M.confusion, { ...labels, predicted, actual }, n);
      }
    }
  }

  private setOrUnset(def: Parameters<Aggregates['set']>[0], labels: Record<string, string>, v: number): void {
    if (Number.isFinite(v)) this.agg.set(def, labels, v);
    else this.agg.unset(def, labels);
  }

  /** A version whose window emptied: its statistics are removed, its label count is 0. */
  private clear(m: ModelSpec | undefined, version: string): void {
    if (!m) return;
    const labels = { model: m.name, version };
    this.agg.set(M.qualityWindowLabels, labels, 0);
    for (const def of [M.accuracy, M.precision, M.recall, M.f1, M.calibrationError, M.mae, M.rmse, M.meanError, M.smape]) this.agg.unset(def, labels);
    for (const c of recallClasses(m)) this.agg.unset(M.classRecall, { ...labels, class: c });
    const classes = [...m.classes, OVERFLOW_VALUE];
    for (const p of classes) for (const a of classes) this.agg.unset(M.confusion, { ...labels, predicted: p, actual: a });
  }

  toJSON(): Record<string, Step[]> {
    return Object.fromEntries([...this.windows].filter(([, s]) => s.steps.length).map(([k, s]) => [k, s.steps]));
  }

  restore(json: Record<string, Partial<Step>[]>): void {
    this.windows.clear();
    for (const [k, steps] of Object.entries(json)) {
      const [model, version] = k.split('\u0000') as [string, string];
      this.series(model, version).steps.push(...steps.map((s) => ({ id: Number(s.id), pairs: s.pairs ?? {}, cal: s.cal ?? null, reg: s.reg ?? null })).sort((a, b) => a.id - b.id));
    }
    // Their gauges came back with the aggregates: they must go when these windows empty.
    this.published = new Set(this.windows.keys());
  }
}

/** Classes with their own recall series: the configured ones and the alerted one. */
export function recallClasses(m: ModelSpec): string[] {
  return [...new Set([...m.classes, ...(m.recallClass !== null ? [m.recallClass] : [])])];
}
