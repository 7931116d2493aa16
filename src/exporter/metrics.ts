// The exporter's metrics, registered from the catalog into injected registries (never the
// global one), behind a cardinality guard: label values come from the config, anything else
// folds into "other", and each metric has a series cap beyond which new series are dropped
// and counted in modelwatch_series_dropped_total.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { CATALOG, M, type MetricDef, type MetricKey } from '../catalog/metrics.js';
import { OVERFLOW_VALUE } from '../catalog/labels.js';
import type { LabelPolicy } from '../catalog/policy.js';

type Labels = Record<string, string>;
type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

export class MetricSet {
  private readonly metrics = new Map<string, AnyMetric>();
  private readonly series = new Map<string, Set<string>>();

  /** `external`: catalog sources whose families are registered by someone else (the ingest state). */
  constructor(registry: Registry, private readonly policy: LabelPolicy, external: ReadonlySet<string> = new Set()) {
    for (const def of CATALOG) if (!external.has(def.source)) this.metrics.set(def.name, create(def, registry));
  }

  private labels(def: MetricDef, labels: Labels): Labels | null {
    const out: Labels = {};
    for (const name of def.labels) {
      const value = labels[name] ?? '';
      // build_info's version is the exporter's own, not a model version.
      const allowed = def === M.buildInfo ? undefined : this.policy.allowed.get(name);
      out[name] = !allowed || allowed.has(value) ? value : OVERFLOW_VALUE;
    }
    const key = def.labels.map((n) => out[n]).join('\u0000');
    let seen = this.series.get(def.name);
    if (!seen) this.series.set(def.name, (seen = new Set()));
    if (!seen.has(key)) {
      const b = this.policy.budget;
      // The exporter's own bookkeeping series are never dropped: they explain the drops.
      const own = def === M.seriesDropped || def === M.series;
      if (!own && (seen.size >= this.policy.seriesCap || b.used >= b.limit)) {
        this.dropped(def.name);
        return null;
      }
      seen.add(key);
      b.used++;
    }
    return out;
  }

  /** Counts a series that was not created (here or in the ingest state). */
  dropped(metric: string, by = 1): void {
    (this.metrics.get(M.seriesDropped.name) as Counter<string>).inc({ metric }, by);
  }

  /** Series held per metric here, for modelwatch_series. */
  seriesCounts(): Map<string, number> {
    return new Map([...this.series].map(([name, set]) => [name, set.size]));
  }

  inc(key: MetricKey, labels: Labels = {}, by = 1): void {
    const l = this.labels(M[key], labels);
    if (l) (this.metrics.get(M[key].name) as Counter<string> | Gauge<string>).inc(l, by);
  }

  set(key: MetricKey, labels: Labels, value: number): void {
    const l = this.labels(M[key], labels);
    if (l) (this.metrics.get(M[key].name) as Gauge<string>).set(l, value);
  }

  observe(key: MetricKey, labels: Labels, value: number): void {
    const l = this.labels(M[key], labels);
    if (l) (this.metrics.get(M[key].name) as Histogram<string>).observe(l, value);
  }

  /** Creates the series at zero so rate() and absent() see it before the first event. */
  touch(key: MetricKey, labels: Labels): void {
    const def = M[key];
    const l = this.labels(def, labels);
    if (!l) return;
    const metric = this.metrics.get(def.name) as AnyMetric;
    if (metric instanceof Histogram) metric.zero(l);
    else metric.inc(l, 0);
  }

  /** Replaces every series of a gauge: for polled snapshots whose label sets come and go. */
  replace(key: MetricKey, rows: readonly { labels: Labels; value: number }[]): void {
    const def = M[key];
    (this.metrics.get(def.name) as Gauge<string>).reset();
    this.policy.budget.used -= this.series.get(def.name)?.size ?? 0;
    this.series.delete(def.name);
    for (const r of rows) this.set(key, r.labels, r.value);
  }

  remove(key: MetricKey, labels: Labels): void {
    const def = M[key];
    const l = this.labels(def, labels);
    if (!l) return;
    (this.metrics.get(def.name) as AnyMetric).remove(l);
    if (this.series.get(def.name)?.delete(def.labels.map((n) => l[n]).join('\u0000'))) this.policy.budget.used--;
  }
}

function create(def: MetricDef, registry: Registry): AnyMetric {
  const opts = { name: def.name, help: def.help, labelNames: [...def.labels], registers: [registry] };
  switch (def.type) {
    case 'counter': return new Counter(opts);
    case 'gauge': return new Gauge(opts);
    case 'histogram': return new Histogram({ ...opts, buckets: [...(def.buckets ?? [])] });
  }
}
