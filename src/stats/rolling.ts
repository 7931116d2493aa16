// A rolling reference for models without training data: the reference is the same feature one
// `offset` earlier (for example the same hour last week), read from the model's own logs. Bins
// are learned from the first values seen, then frozen; history is kept in steps of at most an
// hour (aligned to them), so memory stays O(bins x (offset + window) / step), never O(records).
import { BinIndex, quantileEdges } from './bins.js';
import { evaluateCategorical, evaluateNumeric, type DriftResult } from './evaluate.js';
import { SlidingCounts } from './window.js';

export const ROLLING_BINS = 100;
export const ROLLING_TOP_CATEGORIES = 100;
const LEARN = 2000;
const HOUR = 3600;

export interface RollingState {
  learned: (number | string)[][] | null;
  edges: number[] | null;
  categories: string[] | null;
  history: ReturnType<SlidingCounts['toJSON']> | null;
  current: ReturnType<SlidingCounts['toJSON']> | null;
}

export class RollingFeature {
  private learned: [number | string, number][] = [];
  private edges: number[] | null = null;
  private categories: string[] | null = null;
  private binOf: ((v: unknown) => number | null) | null = null;
  private history: SlidingCounts | null = null;
  private current: SlidingCounts | null = null;

  constructor(private readonly type: 'numeric' | 'categorical', private readonly offsetSeconds: number, private readonly windowSeconds: number, private readonly windowSteps = 12) {}

  private freeze(): void {
    if (this.type === 'numeric') {
      const values = Float64Array.from(this.learned.map(([v]) => v as number)).sort();
      this.edges = [...quantileEdges(values, ROLLING_BINS)];
    } else {
      const counts = new Map<string, number>();
      for (const [v] of this.learned) counts.set(v as string, (counts.get(v as string) ?? 0) + 1);
      this.categories = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, ROLLING_TOP_CATEGORIES).map(([c]) => c).sort();
    }
    this.build();
    const replay = this.learned;
    this.learned = [];
    for (const [v, ts] of replay) this.count(v, ts);
  }

  private build(): void {
    let bins: number;
    if (this.edges) {
      const index = new BinIndex(Float64Array.from(this.edges));
      bins = index.bins;
      this.binOf = (v) => (typeof v === 'number' && Number.isFinite(v) ? index.binOf(v) : null);
    } else {
      const at = new Map((this.categories ?? []).map((c, i) => [c, i]));
      const other = at.size;
      bins = other + 1;
      this.binOf = (v) => at.get(String(v)) ?? other;
    }
    // History steps of at most an hour, and no longer than the window itself.
    const step = Math.min(HOUR, this.windowSeconds);
    this.history = new SlidingCounts(bins, step, Math.ceil((this.offsetSeconds + this.windowSeconds) / step) + 2, 0);
    this.current = new SlidingCounts(bins, Math.max(1, Math.round(this.windowSeconds / this.windowSteps)), this.windowSteps, 0);
  }

  private count(v: number | string, ts: number): void {
    const bin = this.binOf?.(v);
    if (bin === null || bin === undefined) return;
    this.history?.add(bin, ts);
    this.current?.add(bin, ts);
  }

  add(value: unknown, ts: number): void {
    const v = this.type === 'numeric' ? (typeof value === 'number' && Number.isFinite(value) ? value : null) : String(value);
    if (v === null) return;
    if (this.binOf) return this.count(v, ts);
    this.learned.push([v, ts]);
    if (this.learned.length >= LEARN) this.freeze();
  }

  /** Drift of the current window against the same window one offset ago; null until both exist. */
  evaluate(now: number): DriftResult | null {
    if (!this.history || !this.current) return null;
    const start = now - this.offsetSeconds - this.windowSeconds;
    const reference = this.history.between(start, start + this.windowSeconds);
    const count = reference.reduce((a, b) => a + b, 0);
    const window = this.current.merged(now);
    if (this.edges) {
      return evaluateNumeric({ type: 'numeric', edges: this.edges, counts: [...reference], count, nulls: 0, min: null, max: null, sample: null }, { counts: window.counts, raw: null });
    }
    return evaluateCategorical({ type: 'categorical', categories: this.categories ?? [], counts: [...reference], count, nulls: 0 }, window.counts);
  }

  toJSON(): RollingState {
    return { learned: this.binOf ? null : this.learned, edges: this.edges, categories: this.categories, history: this.history?.toJSON() ?? null, current: this.current?.toJSON() ?? null };
  }

  restore(s: RollingState): void {
    if (s.edges || s.categories) {
      this.edges = s.edges;
      this.categories = s.categories;
      this.build();
      if (s.history) this.history?.restore(s.history);
      if (s.current) this.current?.restore(s.current);
    } else this.learned = (s.learned ?? []) as [number | string, number][];
  }
}
