// Baseline profiles, built in two streaming passes with memory bounded by the number of features:
// pass 1 keeps a fixed-size reservoir sample per numeric feature (approximate quantile edges are
// fine because the bins are then frozen) and exact category counts; pass 2 counts every value
// exactly into the frozen bins, so every statistic uses true reference masses.
import { BinIndex, quantileEdges } from './bins.js';
import type { BaselinePerformance } from './performance.js';

export const BASELINE_FORMAT = 'modelwatch-baseline/1';

export interface NumericProfile {
  readonly type: 'numeric';
  readonly edges: number[];
  readonly counts: number[];
  readonly count: number;
  readonly nulls: number;
  readonly min: number | null;
  readonly max: number | null;
  /** The raw reference values when there are few enough, for exact KS on small windows. */
  readonly sample: number[] | null;
}

export interface CategoricalProfile {
  readonly type: 'categorical';
  /** Reference categories (top-K by frequency); the last count is "other". */
  readonly categories: string[];
  readonly counts: number[];
  readonly count: number;
  readonly nulls: number;
}

export type FeatureProfile = NumericProfile | CategoricalProfile;

export interface Baseline {
  readonly format: typeof BASELINE_FORMAT;
  readonly model: string;
  readonly records: number;
  readonly features: Record<string, FeatureProfile>;
  /** Mapped columns (features, prediction, score) absent from every reference record: they get no drift. */
  readonly missing?: readonly string[];
  /** Quality on the reference data, when it carries labels. */
  readonly performance?: BaselinePerformance;
}

export interface ProfileOptions {
  readonly fineBins?: number;
  readonly reservoir?: number;
  readonly topCategories?: number;
  readonly exactSampleLimit?: number;
  readonly seed?: number;
}

/** Standard normal draws from a uniform source (Box-Muller), for seeded simulations. */
export const normalFrom = (random: () => number) => (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** A small deterministic PRNG (mulberry32), so the same input gives the same baseline. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const toNumber = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
};

class NumericBuilder {
  private readonly reservoir: Float64Array;
  private seen = 0;
  private nulls = 0;
  private min = Infinity;
  private max = -Infinity;
  private index: BinIndex | null = null;
  private counts: Float64Array | null = null;

  constructor(private readonly o: Required<ProfileOptions>, private readonly random: () => number) {
    this.reservoir = new Float64Array(o.reservoir);
  }

  first(v: unknown): void {
    const x = toNumber(v);
    if (x === null) { this.nulls++; return; }
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    if (this.seen < this.reservoir.length) this.reservoir[this.seen] = x;
    else {
      const j = Math.floor(this.random() * (this.seen + 1));
      if (j < this.reservoir.length) this.reservoir[j] = x;
    }
    this.seen++;
  }

  freeze(): void {
    const sample = this.reservoir.slice(0, Math.min(this.seen, this.reservoir.length)).sort();
    this.index = new BinIndex(quantileEdges(sample, this.o.fineBins));
    this.counts = new Float64Array(this.index.bins);
  }

  second(v: unknown): void {
    const x = toNumber(v);
    if (x === null) return;
    const counts = this.counts as Float64Array;
    const bin = (this.index as BinIndex).binOf(x);
    counts[bin] = (counts[bin] as number) + 1;
  }

  profile(): NumericProfile {
    const exact = this.seen <= Math.min(this.o.exactSampleLimit, this.reservoir.length);
    return {
      type: 'numeric', edges: [...(this.index?.edges ?? [])], counts: [...(this.counts ?? [])], count: this.seen, nulls: this.nulls,
      min: this.seen ? this.min : null, max: this.seen ? this.max : null,
      sample: exact ? [...this.reservoir.slice(0, this.seen)] : null,
    };
  }
}

class CategoricalBuilder {
  private readonly counts = new Map<string, number>();
  private overflow = 0;
  private nulls = 0;
  private seen = 0;

  constructor(private readonly o: Required<ProfileOptions>) {}

  first(v: unknown): void {
    if (v === null || v === undefined || v === '') { this.nulls++; return; }
    const key = String(v);
    this.seen++;
    const n = this.counts.get(key);
    // Distinct values are bounded: past a generous cap, new values only count as "other".
    if (n !== undefined) this.counts.set(key, n + 1);
    else if (this.counts.size < this.o.topCategories * 100) this.counts.set(key, 1);
    else this.overflow++;
  }

  freeze(): void {}
  second(): void {}

  profile(): CategoricalProfile {
    const ranked = [...this.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const top = ranked.slice(0, this.o.topCategories).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const other = ranked.slice(this.o.topCategories).reduce((s, [, n]) => s + n, this.overflow);
    return { type: 'categorical', categories: top.map(([k]) => k), counts: [...top.map(([, n]) => n), other], count: this.seen, nulls: this.nulls };
  }
}

export class ProfileBuilder {
  private readonly builders = new Map<string, NumericBuilder | CategoricalBuilder>();
  private records = 0;
  private frozen = false;

  constructor(private readonly model: string, features: readonly { name: string; type: 'numeric' | 'categorical' }[], options: ProfileOptions = {}) {
    const o: Required<ProfileOptions> = { fineBins: 1000, reservoir: 100_000, topCategories: 1000, exactSampleLimit: 5000, seed: 1, ...options };
    const random = prng(o.seed);
    for (const f of features) this.builders.set(f.name, f.type === 'numeric' ? new NumericBuilder(o, random) : new CategoricalBuilder(o));
  }

  /** Pass 1: one record's values by feature name. */
  first(values: Readonly<Record<string, unknown>>): void {
    this.records++;
    for (const [name, b] of this.builders) b.first(values[name]);
  }

  /** Freezes the bins; pass 2 may start. */
  freeze(): void {
    for (const b of this.builders.values()) b.freeze();
    this.frozen = true;
  }

  /** Pass 2: the same records again, counted exactly into the frozen bins. */
  second(values: Readonly<Record<string, unknown>>): void {
    if (!this.frozen) throw new Error('freeze() before the second pass');
    for (const [name, b] of this.builders) b.second(values[name]);
  }

  profile(): Baseline {
    return { format: BASELINE_FORMAT, model: this.model, records: this.records, features: Object.fromEntries([...this.builders].map(([n, b]) => [n, b.profile()])) };
  }
}
