// Delayed ground truth: predictions wait (bounded: TTL = the label source's horizon, and a cap)
// for their label, joined by request id; joined pairs feed a 24-hour sliding quality window.
import type { Model, ModelSpec } from '../config/index.js';
import { parseDuration } from '../config/index.js';
import { M } from '../catalog/metrics.js';
import { pairKey, quality } from '../stats/classification.js';
import type { Aggregates } from './aggregates.js';

const STEP = 3600;
const STEPS = 24;
const DEFAULT_HORIZON = 7 * 86400;
const DEFAULT_MAX_PENDING = 1_000_000;

type Pending = [model: string, version: string, prediction: string, ts: number];
interface Step { id: number; pairs: Record<string, number> }

export interface LabelJson { pending: [string, ...Pending][]; windows: Record<string, Step[]> }

export class LabelJoin {
  private pending = new Map<string, Pending>();
  private windows = new Map<string, Step[]>();
  private readonly limits = new Map<string, { horizon: number; max: number }>();

  constructor(private readonly model: Model, private readonly agg: Aggregates) {
    for (const m of model.models) {
      const src = model.labelSources.find((l) => l.name === m.labelSource);
      if (!src) continue;
      this.limits.set(m.name, { horizon: src.horizon ? parseDuration(src.horizon) : DEFAULT_HORIZON, max: src.max_pending ?? DEFAULT_MAX_PENDING });
      agg.pin(M.labelsExpired, { model: m.name });
    }
  }

  wants(m: ModelSpec): boolean {
    return this.limits.has(m.name);
  }

  expect(m: ModelSpec, requestId: string, version: string, prediction: string, ts: number): void {
    const limit = this.limits.get(m.name);
    if (!limit) return;
    this.pending.delete(requestId);
    this.pending.set(requestId, [m.name, version, prediction, ts]);
    // Map iteration is insertion order: the first entries are the oldest.
    while (this.pending.size > limit.max) this.evictOldest();
  }

  /** Returns false when no prediction is waiting for this request id. */
  label(requestId: string, actual: string, ts: number): boolean {
    const p = this.pending.get(requestId);
    if (!p) return false;
    this.pending.delete(requestId);
    const [model, version, predicted, at] = p;
    this.agg.inc(M.labelsJoined, { model, version });
    this.agg.observe(M.labelDelay, { model }, Math.max(0, ts - at));
    this.agg.set(M.labelLastJoined, { model }, ts, true);
    const key = `${model}\u0000${version}`;
    const steps = this.windows.get(key) ?? [];
    const id = Math.floor(ts / STEP);
    let step = steps.find((s) => s.id === id);
    if (!step) {
      step = { id, pairs: {} };
      steps.push(step);
      steps.sort((a, b) => a.id - b.id);
      while (steps.length > STEPS) steps.shift();
    }
    const pk = pairKey(predicted, actual);
    step.pairs[pk] = (step.pairs[pk] ?? 0) + 1;
    this.windows.set(key, steps);
    return true;
  }

  private evictOldest(): void {
    const first = this.pending.keys().next();
    if (first.done) return;
    const p = this.pending.get(first.value) as Pending;
    this.pending.delete(first.value);
    this.agg.inc(M.labelsExpired, { model: p[0] });
  }

  /** Expires predictions older than their horizon and publishes pending counts and quality gauges. */
  publish(now: number): void {
    for (const [id, p] of this.pending) {
      const limit = this.limits.get(p[0]);
      if (!limit || now - p[3] <= limit.horizon) break;
      this.pending.delete(id);
      this.agg.inc(M.labelsExpired, { model: p[0] });
    }
    const pendingBy = new Map<string, number>([...this.limits.keys()].map((m) => [m, 0]));
    for (const p of this.pending.values()) pendingBy.set(p[0], (pendingBy.get(p[0]) ?? 0) + 1);
    for (const [model, n] of pendingBy) this.agg.set(M.labelsPending, { model }, n);
    for (const [key, steps] of this.windows) {
      const [model, version] = key.split('\u0000') as [string, string];
      const live = steps.filter((s) => Math.floor(now / STEP) - s.id < STEPS);
      const pairs = new Map<string, number>();
      for (const s of live) for (const [k, n] of Object.entries(s.pairs)) pairs.set(k, (pairs.get(k) ?? 0) + n);
      const spec = this.model.models.find((m) => m.name === model);
      const q = quality(pairs, spec?.positiveClass ?? null);
      const labels = { model, version };
      this.agg.set(M.qualityWindowLabels, labels, q.labelled);
      if (q.labelled) {
        this.agg.set(M.accuracy, labels, q.accuracy);
        this.agg.set(M.precision, labels, q.precision);
        this.agg.set(M.recall, labels, q.recall);
        this.agg.set(M.f1, labels, q.f1);
      }
    }
  }

  toJSON(): LabelJson {
    return { pending: [...this.pending].map(([id, p]) => [id, ...p]), windows: Object.fromEntries(this.windows) };
  }

  restore(json: LabelJson): void {
    this.pending = new Map(json.pending.map(([id, ...p]) => [id, p as Pending]));
    this.windows = new Map(Object.entries(json.windows));
  }
}
