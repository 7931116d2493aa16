// The quality window: joined (prediction, label) pairs of the current UTC hour and the 23 before
// it, by label arrival time, per model and version. Classifiers keep pair counts and calibration
// cells, regression models running error sums: a window costs the same whatever its traffic.
import type { ModelSpec } from '../config/index.js';
import { M } from '../catalog/metrics.js';
import { OVERFLOW_VALUE } from '../catalog/labels.js';
import { classRecall, confusion, pairKey, quality, splitPair } from '../stats/classification.js';
import { addCalibration, addPair as addCell, cell, ece, emptyCalibration, type Calibration } from '../stats/calibration.js';
import { addPair, addSums, emptySums, regression, type RegressionSums } from '../stats/regression.js';
import type { Aggregates } from './aggregates.js';

export const STEP = 3600;
export const STEPS = 24;

export interface Step { id: number; pairs: Record<string, number>; cal: Calibration | null; reg: RegressionSums | null }

const hour = (ts: number) => Math.floor(ts / STEP);
/** Whether an hour step is inside the window that ends with the hour of `now`. */
export const live = (id: number, now: number) => id > hour(now) - STEPS && id <= hour(now);

export class QualityWindow {
  private windows = new Map<string, Step[]>();
  /** Version series published last time, so a window that empties loses its gauges. */
  private published = new Set<string>();

  constructor(private readonly models: ReadonlyMap<string, ModelSpec>, private readonly agg: Aggregates) {}

  private step(model: string, version: string, ts: number, now: number): Step | null {
    const id = hour(ts);
    // Joined and counted, but older than the window: it never displaces a newer step.
    if (!live(id, now)) return null;
    const key = `${model}\u0000${version}`;
    const steps = this.windows.get(key) ?? [];
    let s = steps.find((x) => x.id === id);
    if (!s) {
      s = { id, pairs: {}, cal: null, reg: null };
      steps.push(s);
      steps.sort((a, b) => a.id - b.id);
      while (steps.length && !live((steps[0] as Step).id, now)) steps.shift();
      this.windows.set(key, steps);
    }
    return s;
  }

  addClass(model: string, version: string, predicted: string, actual: string, confidence: number, ts: number, now: number): void {
    const s = this.step(model, version, ts, now);
    if (!s) return;
    const k = pairKey(predicted, actual);
    s.pairs[k] = (s.pairs[k] ?? 0) + 1;
    const positive = this.models.get(model)?.positiveClass;
    const c = cell(confidence, positive !== null && predicted === positive);
    if (c >= 0) addCell((s.cal ??= emptyCalibration()), c, predicted === actual, confidence);
  }

  addValue(model: string, version: string, predicted: number, actual: number, ts: number, now: number): void {
    const s = this.step(model, version, ts, now);
    if (s) addPair((s.reg ??= emptySums()), predicted, actual);
  }

  /** Calibration cells of a model's labelled predictions in the window, all versions together. */
  calibration(model: string, now: number): Calibration {
    const out = emptyCalibration();
    for (const [key, steps] of this.windows) {
      if (key.slice(0, key.indexOf('\u0000')) !== model) continue;
      for (const s of steps) if (s.cal && live(s.id, now)) addCalibration(out, s.cal);
    }
    return out;
  }

  publish(now: number): void {
    const current = new Set<string>();
    for (const [key, steps] of this.windows) {
      const kept = steps.filter((s) => live(s.id, now));
      if (!kept.length) { this.windows.delete(key); continue; }
      if (kept.length !== steps.length) this.windows.set(key, kept);
      const [model, version] = key.split('\u0000') as [string, string];
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
    return Object.fromEntries(this.windows);
  }

  restore(json: Record<string, Partial<Step>[]>): void {
    this.windows = new Map(Object.entries(json).map(([k, steps]) => [k, steps.map((s) => ({ id: Number(s.id), pairs: s.pairs ?? {}, cal: s.cal ?? null, reg: s.reg ?? null }))]));
    // Their gauges came back with the aggregates: they must go when these windows empty.
    this.published = new Set(this.windows.keys());
  }
}

/** Classes with their own recall series: the configured ones and the alerted one. */
export function recallClasses(m: ModelSpec): string[] {
  return [...new Set([...m.classes, ...(m.recallClass !== null ? [m.recallClass] : [])])];
}
