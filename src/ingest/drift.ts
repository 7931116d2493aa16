// Current drift windows of every model with a baseline: exact counts in the baseline's frozen
// bins (O(1) lookup), sliding over the model's drift_window (default 1 hour) in 12 steps.
import { readFileSync } from 'node:fs';
import type { ModelSpec } from '../config/index.js';
import { BinIndex } from '../stats/bins.js';
import { evaluateCategorical, evaluateNumeric, type DriftResult } from '../stats/evaluate.js';
import { BASELINE_FORMAT, type Baseline, type FeatureProfile } from '../stats/profile.js';
import type { BaselinePerformance } from '../stats/performance.js';
import { SlidingCounts } from '../stats/window.js';
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

class NumericTracked implements Tracked {
  constructor(readonly profile: FeatureProfile, readonly window: SlidingCounts, private readonly index: BinIndex) {}

  add(value: unknown, ts: number): void {
    if (typeof value === 'number' && value - value === 0) this.window.add(this.index.binOf(value), ts, value);
  }
}

class CategoricalTracked implements Tracked {
  constructor(readonly profile: FeatureProfile, readonly window: SlidingCounts, private readonly at: ReadonlyMap<string, number>, private readonly other: number) {}

  add(value: unknown, ts: number): void {
    // Unseen categories are counted in the extra "other" bin, not dropped.
    this.window.add(this.at.get(typeof value === 'string' ? value : JSON.stringify(value) ?? '') ?? this.other, ts);
  }
}

export function loadBaseline(path: string): Baseline {
  const b = JSON.parse(readFileSync(path, 'utf8')) as Baseline;
  if (b.format !== BASELINE_FORMAT) throw new Error(`${path}: not a modelwatch baseline (format ${String(b.format)})`);
  return b;
}

function tracker(profile: FeatureProfile, windowSeconds: number): Tracked {
  const step = Math.max(1, Math.round(windowSeconds / WINDOW_STEPS));
  if (profile.type === 'numeric') {
    const index = new BinIndex(Float64Array.from(profile.edges));
    return new NumericTracked(profile, new SlidingCounts(index.bins, step, WINDOW_STEPS), index);
  }
  const other = profile.categories.length;
  return new CategoricalTracked(profile, new SlidingCounts(other + 1, step, WINDOW_STEPS, 0), new Map(profile.categories.map((c, i) => [c, i])), other);
}

export class DriftWindows {
  private readonly tracked = new Map<string, Map<string, Tracked>>();

  /** Models whose baseline could not be loaded, with why (reported, never fatal). */
  readonly problems: { model: string; error: string }[] = [];
  /** Quality of each model on its labelled baseline reference, where the baseline has one. */
  readonly performance = new Map<string, BaselinePerformance>();
  /** Models compared with their own past (rolling_reference) instead of a baseline. */
  private readonly rolling = new Map<string, Map<string, RollingFeature>>();

  constructor(models: readonly ModelSpec[], load: (path: string) => Baseline = loadBaseline) {
    for (const m of models) {
      if (!m.baseline && m.rollingReferenceSeconds) {
        const outputs: [string, 'numeric' | 'categorical'][] = [['score', 'numeric'], ['prediction', m.task === 'regression' ? 'numeric' : 'categorical']];
        this.rolling.set(m.name, new Map([...m.features.map((f) => [f.name, f.type] as [string, 'numeric' | 'categorical']), ...outputs]
          .map(([name, type]) => [name, new RollingFeature(type, m.rollingReferenceSeconds as number, m.driftWindowSeconds, WINDOW_STEPS)])));
      }
      if (!m.baseline) continue;
      try {
        const b = load(m.baseline);
        if (b.performance) this.performance.set(m.name, b.performance);
        this.tracked.set(m.name, new Map(Object.entries(b.features).map(([name, p]) => [name, tracker(p, m.driftWindowSeconds)])));
      } catch (e) {
        this.problems.push({ model: m.name, error: (e as Error).message });
      }
    }
  }

  /** The window of one feature, resolved once for the per-record hot path; null without a reference. */
  sink(model: string, feature: string): DriftSink | null {
    return this.rolling.get(model)?.get(feature) ?? this.tracked.get(model)?.get(feature) ?? null;
  }

  evaluate(nowSeconds: number): { model: string; feature: string; result: DriftResult }[] {
    const out: { model: string; feature: string; result: DriftResult }[] = [];
    for (const [model, features] of this.tracked) {
      for (const [feature, t] of features) {
        const merged = t.window.merged(nowSeconds);
        const result = t.profile.type === 'numeric' ? evaluateNumeric(t.profile, merged) : evaluateCategorical(t.profile, merged.counts);
        out.push({ model, feature, result });
      }
    }
    for (const [model, features] of this.rolling) {
      for (const [feature, r] of features) {
        const result = r.evaluate(nowSeconds);
        if (result) out.push({ model, feature, result });
      }
    }
    return out;
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
