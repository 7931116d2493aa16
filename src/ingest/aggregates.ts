// Serializable totals keyed by label values: counters, gauges and histograms (cumulative
// buckets as Prometheus exposes them). The label policy (config values, "other", series cap) is
// applied when a series is created.
import { CATALOG, type MetricDef } from '../catalog/metrics.js';
import { OVERFLOW_VALUE } from '../catalog/labels.js';
import type { LabelPolicy } from '../catalog/policy.js';
import type { Sample } from './families.js';

type Labels = Readonly<Record<string, string>>;
export interface HistogramState { buckets: number[]; sum: number; count: number }
export interface AggregatesJson { counters: Record<string, Record<string, number>>; gauges: Record<string, Record<string, number>>; histograms: Record<string, Record<string, HistogramState>>; dropped: Record<string, number> }

const SEP = '\u0000';

const LABELS = new Map(CATALOG.map((d) => [d.name, d.labels]));

/**
 * Series keys of a checkpoint written before a metric gained trailing labels (the segment on
 * errors, latency, cost and feedback): the missing values become "default" for the segment, empty
 * otherwise. The totals carry on; sums over the new label go on from where they were.
 */
function upgradeKeys(data: AggregatesJson): void {
  for (const table of [data.counters, data.gauges, data.histograms] as Record<string, Record<string, unknown>>[]) {
    for (const [name, series] of Object.entries(table)) {
      const labels = LABELS.get(name);
      if (!labels) continue;
      for (const key of Object.keys(series)) {
        const parts = key.split(SEP);
        if (parts.length >= labels.length) continue;
        const full = [...parts, ...labels.slice(parts.length).map((l) => (l === 'segment' ? 'default' : ''))].join(SEP);
        series[full] = series[key];
        delete series[key];
      }
    }
  }
}

export class Aggregates {
  private data: AggregatesJson = { counters: {}, gauges: {}, histograms: {}, dropped: {} };
  /** Value and time each counter or histogram series last moved, checked once per poll (not per record). */
  private moved = new Map<string, { value: number; at: number }>();
  /** Bumped when series are evicted, so cached series handles are resolved again. */
  epoch = 0;
  /** Series created from the config (zero-initialized): never evicted, ratios need them. */
  private readonly pinned = new Set<string>();
  /**
   * Series charged to the budget whose handle exists but which no value has created yet
   * (histograms and min- and max-gauges appear on their first value). Charged once, however many handles
   * resolve to them: every raw version folded to "other" used to charge again.
   */
  private readonly charged = new Set<string>();

  constructor(private readonly policy: LabelPolicy) {}

  /**
   * Evicts counter and histogram series that have not moved for `ttlSeconds` (label values that
   * stopped appearing, such as a retired version). A series that comes back starts again at zero,
   * which rate() reads as a counter reset. Gauges are set from current state and are never evicted.
   */
  evictIdle(now: number, ttlSeconds: number): number {
    if (!(ttlSeconds > 0)) return 0;
    let evicted = 0;
    const seen = new Set<string>();
    const visit = (table: Record<string, Record<string, unknown>>, valueOf: (v: unknown) => number) => {
      for (const [name, series] of Object.entries(table)) {
        for (const [key, v] of Object.entries(series)) {
          const id = `${name}\u0001${key}`;
          seen.add(id);
          if (this.pinned.has(id)) continue;
          const value = valueOf(v);
          const last = this.moved.get(id);
          if (!last || last.value !== value) this.moved.set(id, { value, at: now });
          else if (now - last.at > ttlSeconds) {
            delete series[key];
            this.moved.delete(id);
            this.charged.delete(id);
            this.policy.budget.used--;
            evicted++;
          }
        }
      }
    };
    visit(this.data.counters, (v) => v as number);
    visit(this.data.histograms, (v) => (v as HistogramState).count);
    for (const id of this.moved.keys()) if (!seen.has(id)) this.moved.delete(id);
    if (evicted) this.epoch++;
    return evicted;
  }

  /** The series key: label values in catalog order, each outside its allowed set folded to "other". */
  private fold(def: MetricDef, labels: Labels): string {
    return def.labels.map((name) => {
      const v = labels[name] ?? '';
      const allowed = this.policy.allowed.get(name);
      return !allowed || allowed.has(v) ? v : OVERFLOW_VALUE;
    }).join(SEP);
  }

  private key(def: MetricDef, labels: Labels, table: Record<string, Record<string, unknown>>): string | null {
    const key = this.fold(def, labels);
    // Keys are label values ("constructor", "__proto__" are valid model names): no prototype.
    const series = (table[def.name] ??= Object.create(null) as Record<string, unknown>);
    const id = `${def.name}\u0001${key}`;
    if (!(key in series) && !this.charged.has(id)) {
      const b = this.policy.budget;
      if (Object.keys(series).length >= this.policy.seriesCap || b.used >= b.limit) return null;
      b.used++;
      this.charged.add(id);
    }
    return key;
  }

  /** A counter series resolved once, for the per-record hot path. */
  counter(def: MetricDef, labels: Labels): (by?: number) => void {
    const k = this.key(def, labels, this.data.counters);
    if (k === null) return () => this.drop(def);
    const series = this.data.counters[def.name] as Record<string, number>;
    series[k] ??= 0;
    return (by = 1) => { series[k] = (series[k] ?? 0) + by; };
  }

  /** A gauge series keeping the largest value set (newest timestamps), resolved once. */
  maxGauge(def: MetricDef, labels: Labels): (value: number) => void {
    const k = this.key(def, labels, this.data.gauges);
    if (k === null) return () => this.drop(def);
    const series = this.data.gauges[def.name] as Record<string, number>;
    return (value) => { const cur = series[k]; if (cur === undefined || value > cur) series[k] = value; };
  }

  /** A gauge series keeping the smallest value set (oldest timestamps), resolved once. */
  minGauge(def: MetricDef, labels: Labels): (value: number) => void {
    const k = this.key(def, labels, this.data.gauges);
    if (k === null) return () => this.drop(def);
    const series = this.data.gauges[def.name] as Record<string, number>;
    return (value) => { const cur = series[k]; if (cur === undefined || value < cur) series[k] = value; };
  }

  /** A histogram series resolved once, for the per-record hot path. */
  histogram(def: MetricDef, labels: Labels): (value: number) => void {
    const k = this.key(def, labels, this.data.histograms);
    if (k === null) return () => this.drop(def);
    const bounds = def.buckets ?? [];
    const series = this.data.histograms[def.name] as Record<string, HistogramState>;
    return (value: number) => {
      const h = (series[k] ??= { buckets: new Array<number>(bounds.length).fill(0), sum: 0, count: 0 });
      for (let i = bounds.length - 1; i >= 0 && value <= (bounds[i] as number); i--) h.buckets[i] = (h.buckets[i] as number) + 1;
      h.sum += value;
      h.count++;
    };
  }

  private drop(def: MetricDef): void {
    this.data.dropped[def.name] = (this.data.dropped[def.name] ?? 0) + 1;
  }

  /** Creates a series at zero that idle eviction must keep. */
  pin(def: MetricDef, labels: Labels): void {
    this.inc(def, labels, 0);
    const k = this.key(def, labels, this.data.counters);
    if (k !== null) this.pinned.add(`${def.name}\u0001${k}`);
  }

  inc(def: MetricDef, labels: Labels, by = 1): void {
    const k = this.key(def, labels, this.data.counters);
    if (k === null) return this.drop(def);
    const series = this.data.counters[def.name] as Record<string, number>;
    series[k] = (series[k] ?? 0) + by;
  }

  /** Sets a gauge; with `max`, keeps the larger value (newest timestamps). */
  set(def: MetricDef, labels: Labels, value: number, max = false): void {
    const k = this.key(def, labels, this.data.gauges);
    if (k === null) return this.drop(def);
    const series = this.data.gauges[def.name] as Record<string, number>;
    series[k] = max && series[k] !== undefined ? Math.max(series[k] as number, value) : value;
  }

  /** Removes a gauge series (a statistic with nothing left to measure is absent, never stale). */
  unset(def: MetricDef, labels: Labels): void {
    const series = this.data.gauges[def.name];
    if (!series) return;
    const key = this.fold(def, labels);
    if (!(key in series)) return;
    delete series[key];
    this.charged.delete(`${def.name}\u0001${key}`);
    this.policy.budget.used--;
  }

  observe(def: MetricDef, labels: Labels, value: number): void {
    this.histogram(def, labels)(value);
  }

  /** Samples of one family, as prom-client's registry renders them. */
  samples(def: MetricDef): Sample[] {
    const labelsOf = (key: string) => Object.fromEntries(key.split(SEP).map((v, i) => [def.labels[i] as string, v]));
    if (def.type === 'histogram') {
      const bounds = def.buckets ?? [];
      return Object.entries(this.data.histograms[def.name] ?? {}).flatMap(([key, h]) => {
        const labels = labelsOf(key);
        return [
          ...bounds.map((le, i) => ({ labels: { ...labels, le }, value: h.buckets[i] as number, metricName: `${def.name}_bucket` })),
          { labels: { ...labels, le: '+Inf' }, value: h.count, metricName: `${def.name}_bucket` },
          { labels, value: h.sum, metricName: `${def.name}_sum` },
          { labels, value: h.count, metricName: `${def.name}_count` },
        ];
      });
    }
    const table = def.type === 'counter' ? this.data.counters : this.data.gauges;
    return Object.entries(table[def.name] ?? {}).map(([key, value]) => ({ labels: labelsOf(key), value }));
  }

  get droppedSeries(): Readonly<Record<string, number>> {
    return this.data.dropped;
  }

  toJSON(): AggregatesJson {
    return this.data;
  }

  /** Series held per metric here, for modelwatch_series. */
  seriesCounts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const table of [this.data.counters, this.data.gauges, this.data.histograms]) for (const [name, series] of Object.entries(table)) out.set(name, Object.keys(series).length);
    return out;
  }

  restore(json: AggregatesJson): void {
    const before = [...this.seriesCounts().values()].reduce((a, b) => a + b, 0);
    const data = structuredClone(json);
    // Parsed JSON has Object.prototype: series tables get none again (see key()).
    for (const table of [data.counters, data.gauges, data.histograms] as Record<string, Record<string, unknown>>[]) {
      for (const name of Object.keys(table)) table[name] = Object.assign(Object.create(null) as Record<string, unknown>, table[name]);
    }
    upgradeKeys(data);
    this.data = data;
    this.policy.budget.used += [...this.seriesCounts().values()].reduce((a, b) => a + b, 0) - before;
  }
}
