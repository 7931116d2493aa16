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
import { QualityWindow, type Step } from './quality-window.js';

const DEFAULT_HORIZON = 7 * 86400;
const DEFAULT_MAX_PENDING = 1_000_000;

type Pending = [version: string, prediction: string, ts: number, confidence: number];
type Early = [actual: string, ts: number];
interface Limit { horizon: number; max: number }

export interface LabelJson {
  pending: Record<string, [string, ...Pending][]>;
  early?: Record<string, [string, ...Early][]>;
  clocks?: { labels: Record<string, number>; predictions: Record<string, number> };
  windows: Record<string, Step[]>;
  estimation?: ReturnType<EstimationWindow['toJSON']>;
}

export class LabelJoin {
  /** Per model, in arrival order (the first entries are the oldest). */
  private pending = new Map<string, Map<string, Pending>>();
  /** Per label store, labels waiting for their prediction, in arrival order. */
  private early = new Map<string, Map<string, Early>>();
  /** Newest label time read per label store, and newest prediction time per model. */
  private labelClock = new Map<string, number>();
  private predictionClock = new Map<string, number>();
  private readonly limits = new Map<string, Limit & { store: string }>();
  private readonly storeLimits = new Map<string, Limit & { models: string[] }>();
  private readonly specs: Map<string, ModelSpec>;
  readonly window: QualityWindow;
  readonly estimation: EstimationWindow;

  constructor(model: Model, private readonly agg: Aggregates, baseline: (model: string) => Calibration | null = () => null) {
    this.specs = new Map(model.models.map((m) => [m.name, m]));
    this.window = new QualityWindow(this.specs, agg);
    this.estimation = new EstimationWindow(this.specs, agg, baseline);
    for (const m of model.models) {
      const src = model.labelSources.find((l) => l.name === m.labelSource);
      if (!src || !m.logStore) continue;
      const limit = { horizon: src.horizon ? parseDuration(src.horizon) : DEFAULT_HORIZON, max: src.max_pending ?? DEFAULT_MAX_PENDING };
      this.limits.set(m.name, { ...limit, store: src.log_store });
      this.pending.set(m.name, new Map());
      const s = this.storeLimits.get(src.log_store);
      this.storeLimits.set(src.log_store, s ? { horizon: Math.max(s.horizon, limit.horizon), max: Math.max(s.max, limit.max), models: [...s.models, m.name] } : { ...limit, models: [m.name] });
      agg.pin(M.labelsExpired, { model: m.name });
    }
    for (const store of this.storeLimits.keys()) {
      this.early.set(store, new Map());
      agg.pin(M.labelsEarly, { store });
    }
  }

  wants(m: ModelSpec): boolean {
    return this.limits.has(m.name);
  }

  /** The version label a raw version becomes: configured values and "unknown" stay, the rest is "other". */
  version(m: ModelSpec, raw: string): string {
    return raw === 'unknown' || m.versions.includes(raw) ? raw : OVERFLOW_VALUE;
  }

  /** A prediction that may receive a label (`version` already folded). */
  expect(m: ModelSpec, requestId: string, version: string, prediction: string, ts: number, confidence: number, now: number): void {
    const limit = this.limits.get(m.name);
    const pending = this.pending.get(m.name);
    if (!limit || !pending) return;
    this.predictionClock.set(m.name, Math.max(this.predictionClock.get(m.name) ?? -Infinity, ts));
    const early = this.early.get(limit.store);
    const waiting = early?.get(requestId);
    if (early && waiting) {
      early.delete(requestId);
      if (waiting[1] - ts > limit.horizon) {
        this.agg.inc(M.labelsExpired, { model: m.name });
        return this.unmatched(limit.store);
      }
      return this.join(m, [version, prediction, ts, confidence], waiting[0], waiting[1], now);
    }
    // A second prediction with the same request id replaces the first, which will never be joined.
    if (pending.delete(requestId)) this.agg.inc(M.labelsExpired, { model: m.name });
    pending.set(requestId, [version, prediction, ts, confidence]);
    while (pending.size > limit.max) this.evict(m.name, pending);
  }

  /** A label read from a label store. */
  label(store: string, requestId: string, actual: string, ts: number, now: number): void {
    const limits = this.storeLimits.get(store);
    if (!limits) return this.unmatched(store);
    this.labelClock.set(store, Math.max(this.labelClock.get(store) ?? -Infinity, ts));
    for (const name of limits.models) {
      const pending = this.pending.get(name) as Map<string, Pending>;
      const p = pending.get(requestId);
      if (!p) continue;
      pending.delete(requestId);
      const limit = this.limits.get(name) as Limit;
      if (ts - p[2] > limit.horizon) {
        // Arrived after the prediction's horizon: the prediction expired, the label is unmatched.
        this.agg.inc(M.labelsExpired, { model: name });
        return this.unmatched(store);
      }
      return this.join(this.specs.get(name) as ModelSpec, p, actual, ts, now);
    }
    const early = this.early.get(store) as Map<string, Early>;
    if (early.delete(requestId)) this.unmatched(store);
    early.set(requestId, [actual, ts]);
    this.agg.inc(M.labelsEarly, { store });
    while (early.size > limits.max) {
      early.delete(early.keys().next().value as string);
      this.unmatched(store);
    }
  }

  private unmatched(store: string): void {
    this.agg.inc(M.recordsRejected, { store, reason: 'unmatched_label' });
  }

  private join(m: ModelSpec, [version, predicted, at, confidence]: Pending, actual: string, ts: number, now: number): void {
    const model = m.name;
    this.agg.inc(M.labelsJoined, { model, version });
    this.agg.observe(M.labelDelay, { model }, Math.max(0, ts - at));
    this.agg.set(M.labelLastJoined, { model }, ts, true);
    if (m.task === 'regression') {
      const p = toFinite(predicted);
      const a = toFinite(actual);
      if (Number.isFinite(p) && Number.isFinite(a)) this.window.addValue(model, version, p, a, ts, now);
      else this.agg.inc(M.labelsUnusable, { model, version });
    } else {
      this.window.addClass(model, version, predicted, actual, confidence, ts, now);
    }
  }

  private evict(model: string, pending: Map<string, Pending>): void {
    pending.delete(pending.keys().next().value as string);
    this.agg.inc(M.labelsExpired, { model });
  }

  /** Expires what can no longer be joined and publishes pending counts, quality and estimates. */
  publish(now: number): void {
    for (const [model, pending] of this.pending) {
      const limit = this.limits.get(model) as Limit & { store: string };
      const clock = this.labelClock.get(limit.store);
      if (clock === undefined) continue;
      for (const [id, p] of pending) {
        if (clock - p[2] <= limit.horizon) continue;
        pending.delete(id);
        this.agg.inc(M.labelsExpired, { model });
      }
    }
    for (const [store, early] of this.early) {
      const limits = this.storeLimits.get(store) as Limit & { models: string[] };
      const clock = Math.max(...limits.models.map((m) => this.predictionClock.get(m) ?? -Infinity));
      for (const [id, e] of early) {
        if (clock - e[1] <= limits.horizon) continue;
        early.delete(id);
        this.unmatched(store);
      }
      this.agg.set(M.labelsEarlyPending, { store }, early.size);
    }
    for (const [model, pending] of this.pending) this.agg.set(M.labelsPending, { model }, pending.size);
    this.window.publish(now);
    this.estimation.publish(now, (model) => this.window.calibration(model, now));
  }

  toJSON(): LabelJson {
    const entries = <T extends unknown[]>(m: Map<string, Map<string, T>>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v].map(([id, p]) => [id, ...p] as [string, ...T])]));
    return {
      pending: entries(this.pending),
      early: entries(this.early),
      clocks: { labels: Object.fromEntries(this.labelClock), predictions: Object.fromEntries(this.predictionClock) },
      windows: this.window.toJSON(),
      estimation: this.estimation.toJSON(),
    };
  }

  restore(json: LabelJson): void {
    // Checkpoints before per-model pending maps held one list: [id, model, version, prediction, ts].
    if (Array.isArray(json.pending)) {
      for (const [id, model, version, prediction, ts] of json.pending as unknown as [string, string, string, string, number][]) {
        this.pending.get(model)?.set(id, [version, prediction, ts, NaN]);
      }
    } else {
      for (const [model, list] of Object.entries(json.pending ?? {})) {
        const pending = this.pending.get(model);
        // NaN (no confidence) is written as null.
        for (const [id, ...p] of list) pending?.set(id, [p[0], p[1], p[2], typeof p[3] === 'number' ? p[3] : NaN]);
      }
    }
    for (const [store, list] of Object.entries(json.early ?? {})) for (const [id, ...e] of list) this.early.get(store)?.set(id, e);
    this.labelClock = new Map(Object.entries(json.clocks?.labels ?? {}));
    this.predictionClock = new Map(Object.entries(json.clocks?.predictions ?? {}));
    this.window.restore(json.windows ?? {});
    this.estimation.restore(json.estimation);
  }
}
