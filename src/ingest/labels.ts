// Delayed ground truth, joined by request id. Both sides wait, bounded:
//  - a prediction waits for its label until a label newer than it by more than the horizon has
//    been read from its label store (label time, so a backfill or re-ingest loses nothing), or
//    until max_pending newer predictions of its model push it out: then it counts as expired;
//  - a label read before its prediction waits the same way (by prediction time, capped by the
//    store's max_pending): then it counts as an unmatched record.
// Every prediction handed over ends joined, expired or pending; every label joined, unmatched
// or early-pending. Versions are folded to the configured set before anything is kept.
import type { Model, ModelSpec } from '../config/index.js';
import { parseDuration } from '../config/index.js';
import { M } from '../catalog/metrics.js';
import { OVERFLOW_VALUE } from '../catalog/labels.js';
import type { Calibration } from '../stats/calibration.js';
import { toFinite } from '../stats/regression.js';
import type { Aggregates } from './aggregates.js';
import { EstimationWindow } from './estimation.js';
import { QualityWindow, type Series, type Step } from './quality-window.js';

const DEFAULT_HORIZON = 7 * 86400;
const DEFAULT_MAX_PENDING = 1_000_000;

/** A waiting prediction: an object, not a tuple (one allocation instead of two, per prediction). */
interface Pending { readonly version: string; readonly prediction: string; readonly ts: number; readonly confidence: number }
type PendingJson = [version: string, prediction: string, ts: number, confidence: number | null];
type Early = [actual: string, ts: number];
interface Limit { horizon: number; max: number }

export interface LabelJson {
  pending: Record<string, [string, ...PendingJson][]>;
  early?: Record<string, [string, ...Early][]>;
  clocks?: { labels: Record<string, number>; predictions: Record<string, number> };
  windows: Record<string, Step[]>;
  estimation?: ReturnType<EstimationWindow['toJSON']>;
}

interface Handles { joined: (by?: number) => void; delay: (v: number) => void; last: (v: number) => void; series: Series }

/** One model's side of the join. */
interface ModelJoin extends Limit {
  readonly spec: ModelSpec;
  readonly store: StoreJoin;
  /** Predictions in arrival order (the first entries are the oldest). */
  pending: Map<string, Pending>;
  /** Newest prediction time read. */
  clock: number;
  /** Series handles per folded version, resolved once (the join runs once per label). */
  handles: Map<string, Handles>;
}

/** One label store's side: labels waiting for their prediction. */
interface StoreJoin extends Limit {
  readonly name: string;
  readonly models: ModelJoin[];
  early: Map<string, Early>;
  /** Newest label time read. */
  clock: number;
}

export class LabelJoin {
  private readonly byModel = new Map<string, ModelJoin>();
  private readonly bySpec = new Map<ModelSpec, ModelJoin>();
  private readonly stores = new Map<string, StoreJoin>();
  private epoch = -1;
  readonly window: QualityWindow;
  readonly estimation: EstimationWindow;

  constructor(model: Model, private readonly agg: Aggregates, baseline: (model: string) => Calibration | null = () => null) {
    const specs = new Map(model.models.map((m) => [m.name, m]));
    this.window = new QualityWindow(specs, agg);
    this.estimation = new EstimationWindow(specs, agg, baseline);
    for (const m of model.models) {
      const src = model.labelSources.find((l) => l.name === m.labelSource);
      if (!src || !m.logStore) continue;
      const horizon = src.horizon ? parseDuration(src.horizon) : DEFAULT_HORIZON;
      const max = src.max_pending ?? DEFAULT_MAX_PENDING;
      let store = this.stores.get(src.log_store);
      if (!store) {
        store = { name: src.log_store, horizon, max, models: [], early: new Map(), clock: -Infinity };
        this.stores.set(store.name, store);
        agg.pin(M.labelsEarly, { store: store.name });
      }
      store.horizon = Math.max(store.horizon, horizon);
      store.max = Math.max(store.max, max);
      const join: ModelJoin = { spec: m, store, horizon, max, pending: new Map(), clock: -Infinity, handles: new Map() };
      store.models.push(join);
      this.byModel.set(m.name, join);
      this.bySpec.set(m, join);
      agg.pin(M.labelsExpired, { model: m.name });
    }
  }

  wants(m: ModelSpec): boolean {
    return this.bySpec.has(m);
  }

  /** The version label a raw version becomes: configured values and "unknown" stay, the rest is "other". */
  version(m: ModelSpec, raw: string): string {
    return raw === 'unknown' || m.versions.includes(raw) ? raw : OVERFLOW_VALUE;
  }

  /** A prediction that may receive a label (`version` already folded). */
  expect(m: ModelSpec, requestId: string, version: string, prediction: string, ts: number, confidence: number, now: number): void {
    const j = this.bySpec.get(m);
    if (!j) return;
    if (ts > j.clock) j.clock = ts;
    const early = j.store.early;
    if (early.size) {
      const waiting = early.get(requestId);
      if (waiting) {
        early.delete(requestId);
        if (waiting[1] - ts > j.horizon) {
          this.agg.inc(M.labelsExpired, { model: m.name });
          return this.unmatched(j.store.name);
        }
        return this.join(j, { version, prediction, ts, confidence }, waiting[0], waiting[1], now);
      }
    }
    const pending = j.pending;
    const size = pending.size;
    const p: Pending = { version, prediction, ts, confidence };
    pending.set(requestId, p);
    if (pending.size === size) {
      // A second prediction with the same request id replaces the first, which will never be
      // joined; it moves to the end (Map.set keeps an existing key's place).
      this.agg.inc(M.labelsExpired, { model: m.name });
      pending.delete(requestId);
      pending.set(requestId, p);
    }
    while (pending.size > j.max) this.evict(j);
  }

  /** A label read from a label store. */
  label(store: string, requestId: string, actual: string, ts: number, now: number): void {
    const s = this.stores.get(store);
    if (!s) return this.unmatched(store);
    if (ts > s.clock) s.clock = ts;
    const models = s.models;
    for (let i = 0; i < models.length; i++) {
      const j = models[i] as ModelJoin;
      const p = j.pending.get(requestId);
      if (!p) continue;
      j.pending.delete(requestId);
      if (ts - p.ts > j.horizon) {
        // Arrived after the prediction's horizon: the prediction expired, the label is unmatched.
        this.agg.inc(M.labelsExpired, { model: j.spec.name });
        return this.unmatched(store);
      }
      return this.join(j, p, actual, ts, now);
    }
    const early = s.early;
    if (early.delete(requestId)) this.unmatched(store);
    early.set(requestId, [actual, ts]);
    this.agg.inc(M.labelsEarly, { store });
    while (early.size > s.max) {
      early.delete(early.keys().next().value as string);
      this.unmatched(store);
    }
  }

  private unmatched(store: string): void {
    this.agg.inc(M.recordsRejected, { store, reason: 'unmatched_label' });
  }

  private handlesOf(j: ModelJoin, version: string): Handles {
    // Evicted series invalidate resolved handles.
    if (this.agg.epoch !== this.epoch) {
      for (const x of this.byModel.values()) x.handles.clear();
      this.epoch = this.agg.epoch;
    }
    let h = j.handles.get(version);
    if (!h) {
      const model = j.spec.name;
      h = {
        joined: this.agg.counter(M.labelsJoined, { model, version }), delay: this.agg.histogram(M.labelDelay, { model }),
        last: this.agg.maxGauge(M.labelLastJoined, { model }), series: this.window.series(model, version),
      };
      j.handles.set(version, h);
    }
    return h;
  }

  private join(j: ModelJoin, { version, prediction: predicted, ts: at, confidence }: Pending, actual: string, ts: number, now: number): void {
    const h = this.handlesOf(j, version);
    h.joined();
    h.delay(Math.max(0, ts - at));
    h.last(ts);
    if (h.series.regression) {
      const p = toFinite(predicted);
      const a = toFinite(actual);
      if (Number.isFinite(p) && Number.isFinite(a)) this.window.addValue(h.series, p, a, ts, now);
      else this.agg.inc(M.labelsUnusable, { model: j.spec.name, version });
    } else {
      this.window.addClass(h.series, predicted, actual, confidence, ts, now);
    }
  }

  private evict(j: ModelJoin): void {
    j.pending.delete(j.pending.keys().next().value as string);
    this.agg.inc(M.labelsExpired, { model: j.spec.name });
  }

  /** Expires what can no longer be joined and publishes pending counts, quality and estimates. */
  publish(now: number): void {
    for (const j of this.byModel.values()) {
      const clock = j.store.clock;
      for (const [id, p] of j.pending) {
        if (clock - p.ts <= j.horizon) continue;
        j.pending.delete(id);
        this.agg.inc(M.labelsExpired, { model: j.spec.name });
      }
      this.agg.set(M.labelsPending, { model: j.spec.name }, j.pending.size);
    }
    for (const s of this.stores.values()) {
      const clock = Math.max(...s.models.map((j) => j.clock));
      for (const [id, e] of s.early) {
        if (clock - e[1] <= s.horizon) continue;
        s.early.delete(id);
        this.unmatched(s.name);
      }
      this.agg.set(M.labelsEarlyPending, { store: s.name }, s.early.size);
    }
    this.window.publish(now);
    this.estimation.publish(now, (model) => this.window.calibration(model, now));
  }

  toJSON(): LabelJson {
    const entries = <T extends unknown[]>(m: Map<string, T>) => [...m].map(([id, p]) => [id, ...p] as [string, ...T]);
    return {
      pending: Object.fromEntries([...this.byModel].map(([name, j]) => [name, [...j.pending].map(([id, p]) => [id, p.version, p.prediction, p.ts, p.confidence] as [string, ...PendingJson])])),
      early: Object.fromEntries([...this.stores].map(([name, s]) => [name, entries(s.early)])),
      clocks: {
        labels: Object.fromEntries([...this.stores].filter(([, s]) => s.clock > -Infinity).map(([name, s]) => [name, s.clock])),
        predictions: Object.fromEntries([...this.byModel].filter(([, j]) => j.clock > -Infinity).map(([name, j]) => [name, j.clock])),
      },
      windows: this.window.toJSON(),
      estimation: this.estimation.toJSON(),
    };
  }

  restore(json: LabelJson): void {
    // Checkpoints before per-model pending maps held one list: [id, model, version, prediction, ts].
    if (Array.isArray(json.pending)) {
      for (const [id, model, version, prediction, ts] of json.pending as unknown as [string, string, string, string, number][]) {
        this.byModel.get(model)?.pending.set(id, { version, prediction, ts, confidence: NaN });
      }
    } else {
      for (const [model, list] of Object.entries(json.pending ?? {})) {
        const pending = this.byModel.get(model)?.pending;
        // NaN (no confidence) is written as null.
        for (const [id, version, prediction, ts, confidence] of list) pending?.set(id, { version, prediction, ts, confidence: typeof confidence === 'number' ? confidence : NaN });
      }
    }
    for (const [store, list] of Object.entries(json.early ?? {})) for (const [id, ...e] of list) this.stores.get(store)?.early.set(id, e);
    for (const [store, t] of Object.entries(json.clocks?.labels ?? {})) { const s = this.stores.get(store); if (s) s.clock = t; }
    for (const [model, t] of Object.entries(json.clocks?.predictions ?? {})) { const j = this.byModel.get(model); if (j) j.clock = t; }
    this.window.restore(json.windows ?? {});
    this.estimation.restore(json.estimation);
  }
}
