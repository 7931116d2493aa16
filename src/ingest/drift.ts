// Current drift windows of every model with a baseline: exact counts in the baseline's frozen
// bins (O(1) lookup), sliding over the model's drift_window (default 1 hour) in 12 steps.
import { readFileSync } from 'node:fs';
import type { ModelSpec } from '../config/index.js';
import { BinIndex } from '../stats/bins.js';
import { evaluateCategorical, evaluateNumericOuter, type DriftResult } from '../stats/evaluate.js';
import { BASELINE_FORMAT, type Baseline, type FeatureProfile, type NumericProfile } from '../stats/profile.js';
import type { BaselinePerformance } from '../stats/performance.js';
import { SlidingCounts } from '../stats/window.js';
import { M, type MetricDef } from '../catalog/metrics.js';
import type { Aggregates } from './aggregates.js';
import { ksFloor, psiFloor } from '../stats/floor.js';
import { RollingFeature, type RollingState } from '../stats/rolling.js';

/** A window slides in this many steps: a 1h window moves every 5 minutes. */
export const WINDOW_STEPS = 12;

/** Where one feature's values are counted; add is the per-record hot path. */
export interface DriftSink {
  add(value: unknown, ts: number): void;
}

interface Tracked extends DriftSink {
  readonly profile: FeatureProfile;
  readonly window: SlidingCounts;
}

/** Told when a value was older than its window and not counted (a late or replayed record). */
type Late = () => void;

/**
 * Numeric values land in the baseline's fine bins, with one bin below the reference minimum and
 * one above its maximum (reference mass 0): a shift outside the reference range shows in every
 * statistic instead of hiding in the outermost bins.
 */
class NumericTracked implements Tracked {
  private readonly min: number;
  private readonly max: number;
  private readonly over: number;

  constructor(readonly profile: NumericProfile, readonly window: SlidingCounts, private readonly index: BinIndex, private readonly late: Late) {
    this.min = profile.min ?? -Infinity;
    this.max = profile.max ?? Infinity;
    this.over = index.bins + 1;
  }

  add(value: unknown, ts: number): void {
    if (typeof value !== 'number' || value - value !== 0) return;
    const bin = value < this.min ? 0 : value > this.max ? this.over : 1 + this.index.binOf(value);
    if (!this.window.add(bin, ts, value)) this.late();
  }
}

class CategoricalTracked implements Tracked {
  constructor(readonly profile: FeatureProfile, readonly window: SlidingCounts, private readonly at: ReadonlyMap<string, number>, private readonly other: number, private readonly late: Late) {}

  add(value: unknown, ts: number): void {
    // Unseen categories are counted in the extra "other" bin, not dropped.
    if (!this.window.add(this.at.get(typeof value === 'string' ? value : JSON.stringify(value) ?? '') ?? this.other, ts)) this.late();
  }
}

export function loadBaseline(path: string): Baseline {
  const b = JSON.parse(readFileSync(path, 'utf8')) as Baseline;
  if (b.format !== BASELINE_FORMAT) throw new Error(`${path}: not a modelwatch baseline (format ${String(b.format)})`);
  return b;
}

function tracker(profile: FeatureProfile, windowSeconds: number, late: Late): Tracked {
  const step = Math.max(1, Math.round(windowSeconds / WINDOW_STEPS));
  if (profile.type === 'numeric') {
    const index = new BinIndex(Float64Array.from(profile.edges));
    return new NumericTracked(profile, new SlidingCounts(index.bins + 2, step, WINDOW_STEPS), index, late);
  }
  const other = profile.categories.length;
  return new CategoricalTracked(profile, new SlidingCounts(other + 1, step, WINDOW_STEPS, 0), new Map(profile.categories.map((c, i) => [c, i])), other, late);
}

export class DriftWindows {
  private readonly tracked = new Map<string, Map<string, Tracked>>();

  /** Models whose baseline could not be loaded, with why (reported, never fatal). */
  readonly problems: { model: string; error: string }[] = [];
  /** Quality of each model on its labelled baseline reference, where the baseline has one. */
  readonly performance = new Map<string, BaselinePerformance>();
  /** Models compared with their own past (rolling_reference) instead of a baseline. */
  private readonly rolling = new Map<string, Map<string, RollingFeature>>();

  private readonly alpha = new Map<string, number>();

  constructor(models: readonly ModelSpec[], load: (path: string) => Baseline = loadBaseline, onLate: (model: string, feature: string) => void = () => undefined) {
    for (const m of models) {
      this.alpha.set(m.name, m.thresholds.driftFalseAlarmRate);
      if (!m.baseline && m.rollingReferenceSeconds) {
        const outputs: [string, 'numeric' | 'categorical'][] = [['score', 'numeric'], ['prediction', m.task === 'regression' ? 'numeric' : 'categorical']];
        this.rolling.set(m.name, new Map([...m.features.map((f) => [f.name, f.type] as [string, 'numeric' | 'categorical']), ...outputs]
          .map(([name, type]) => [name, new RollingFeature(type, m.rollingReferenceSeconds as number, m.driftWindowSeconds, WINDOW_STEPS)])));
      }
      if (!m.baseline) continue;
      try {
        const b = load(m.baseline);
        if (b.performance) this.performance.set(m.name, b.performance);
        this.tracked.set(m.name, new Map(Object.entries(b.features).map(([name, p]) => [name, tracker(p, m.driftWindowSeconds, () => onLate(m.name, name))])));
      } catch (e) {
        this.problems.push({ model: m.name, error: (e as Error).message });
      }
    }
  }

  /** The window of one feature, resolved once for the per-record hot path; null without a reference. */
  sink(model: string, feature: string): DriftSink | null {
    return this.rolling.get(model)?.get(feature) ?? this.tracked.get(model)?.get(feature) ?? null;
  }

  /** Noise floors per feature, at the last window size they were computed for (rounded down). */
  private readonly floors = new Map<string, { n: number; psi: number }>();

  evaluate(nowSeconds: number): { model: string; feature: string; result: DriftResult; floor: { psi: number; ks: number } }[] {
    const out: { model: string; feature: string; result: DriftResult; floor: { psi: number; ks: number } }[] = [];
    const push = (model: string, feature: string, result: DriftResult) => out.push({ model, feature, result, floor: this.floor(model, feature, result) });
    for (const [model, features] of this.tracked) {
      for (const [feature, t] of features) {
        const merged = t.window.merged(nowSeconds);
        push(model, feature, t.profile.type === 'numeric' ? evaluateNumericOuter(t.profile, merged) : evaluateCategorical(t.profile, merged.counts));
      }
    }
    for (const [model, features] of this.rolling) {
      for (const [feature, r] of features) {
        const result = r.evaluate(nowSeconds);
        if (result) push(model, feature, result);
      }
    }
    return out;
  }

  /**
   * The PSI and KS noise floors of a result (stats/floor.ts). The window size is rounded down to
   * two significant digits first: the floor falls as the window grows, so this errs on the quiet
   * side, and a floor is computed once per size class, not on every poll.
   */
  private floor(model: string, feature: string, r: DriftResult): { psi: number; ks: number } {
    const alpha = this.alpha.get(model) ?? 0.01;
    const n = r.windowSamples;
    if (!(n > 0)) return { psi: NaN, ks: NaN };
    const scale = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
    const rounded = Math.floor(n / scale) * scale;
    const key = `${model}\u0000${feature}`;
    let psi = this.floors.get(key);
    // Rolling references change with every window: their floor is not cached.
    if (!psi || psi.n !== rounded || this.rolling.has(model)) {
      psi = { n: rounded, psi: psiFloor(r.psiReference, rounded, alpha, r.psiUnseen) };
      this.floors.set(key, psi);
    }
    return { psi: psi.psi, ks: Number.isNaN(r.ks) ? NaN : ksFloor(rounded, r.referenceSamples, alpha) };
  }

  toJSON(): { windows: Record<string, Record<string, ReturnType<SlidingCounts['toJSON']>>>; rolling: Record<string, Record<string, RollingState>> } {
    return {
      windows: Object.fromEntries([...this.tracked].map(([m, fs]) => [m, Object.fromEntries([...fs].map(([f, t]) => [f, t.window.toJSON()]))])),
      rolling: Object.fromEntries([...this.rolling].map(([m, fs]) => [m, Object.fromEntries([...fs].map(([f, r]) => [f, r.toJSON()]))])),
    };
  }

  restore(json: ReturnType<DriftWindows['toJSON']>): void {
    for (const [m, fs] of Object.entries(json.windows ?? {})) for (const [f, w] of Object.entries(fs)) this.tracked.get(m)?.get(f)?.window.restore(w);
    for (const [m, fs] of Object.entries(json.rolling ?? {})) for (const [f, r] of Object.entries(fs)) this.rolling.get(m)?.get(f)?.restore(r);
  }
}

/** Drift gauges of every window: statistics, sample counts and noise floors. */
export function publishDrift(drift: DriftWindows, aggregates: Aggregates, now: number): void {
  for (const { model, feature, result: r, floor } of drift.evaluate(now)) {
    const labels = { model, feature };
    aggregates.set(M.driftWindowSamples, labels, r.windowSamples);
    aggregates.set(M.driftReferenceSamples, labels, r.referenceSamples);
    // A statistic that cannot be computed (an empty window) is removed, never left at its last value.
    const empty = r.windowSamples === 0;
    const set = (def: MetricDef, at: Record<string, string>, v: number) => { if (!empty && Number.isFinite(v)) aggregates.set(def, at, v); else aggregates.unset(def, at); };
    set(M.driftPsi, labels, r.psi);
    set(M.driftKs, labels, r.ks);
    set(M.driftKsUpper, labels, r.ksUpper);
    set(M.driftKsPValue, labels, r.ksP);
    set(M.driftJs, labels, r.js);
    set(M.driftChiSquare, labels, r.chiSquare);
    set(M.driftChiSquarePValue, labels, r.chiSquareP);
    set(M.driftNoiseFloor, { ...labels, statistic: 'psi' }, floor.psi);
    set(M.driftNoiseFloor, { ...labels, statistic: 'ks' }, floor.ks);
  }
}
