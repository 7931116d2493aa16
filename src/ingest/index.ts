// The ingest pipeline: log-store records -> aggregates (serving, quality, drift windows, label
// joins) -> one atomic checkpoint with every cursor -> state-backed metric families.
// Exactly once for the aggregates: a restart resumes from the last checkpoint's cursors with
// the aggregates of that same checkpoint.
import type { Registry } from 'prom-client';
import { parseDuration, type Model, type ModelSpec } from '../config/index.js';
import { CATALOG, M } from '../catalog/metrics.js';
import type { LabelPolicy } from '../catalog/policy.js';
import type { Job } from '../sources/job.js';
import type { LogReader } from '../sources/logs/types.js';
import { Aggregates } from './aggregates.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { isCheckpoint, type CheckpointState } from './checkpoint-state.js';
import { readerFor } from './readers.js';
import { DriftWindows, publishDrift } from './drift.js';
import { registerFamily, type Sample } from './families.js';
import { LabelJoin } from './labels.js';
import { toFinite } from '../stats/regression.js';
import { parseTimestamp, PredictionSignals } from './predictions.js';
import { text, type FieldRecord } from '../sources/logs/record.js';
import { storeLayout, type StoreLayout } from './layout.js';
import { CostDays } from './cost-days.js';

export const INGEST_SOURCES = new Set(['logs', 'quality', 'drift', 'labels']);
/** Why a record was not counted (records_rejected_total reason). */
export const REJECT_REASONS = ['malformed', 'oversize', 'unknown_model', 'unmatched_label'] as const;


const INGEST_DEFS = CATALOG.filter((def) => INGEST_SOURCES.has(def.source));

type Store = Model['logStores'][number];

export interface IngestOptions {
  /** Told when a damaged checkpoint was skipped (the exporter logs it). */
  readonly onCorruptCheckpoint?: (what: string) => void;
  readonly registry: Registry;
  readonly policy: LabelPolicy;
  readonly stateDir: string;
  readonly now?: () => number;
  /** Called after each batch is checkpointed (the exposition refreshes). */
  readonly onBatch?: () => void;
  /** Whether this replica watches a model (sharding); records of other models are skipped, not rejected. */
  readonly owns?: (model: string) => boolean;
}

interface StoreContext {
  readonly store: Store;
  /** Models whose predictions are logged in this store. */
  readonly models: readonly ModelSpec[];
  /** Whether a label source reads this store. */
  readonly labelStore: boolean;
  readonly layout: StoreLayout;
  /** Reused for every record of the store (records are processed one at a time). */
  readonly rec: FieldRecord;
}

/** A logged confidence as a number in [0, 1], or NaN. */
function confidenceOf(v: unknown): number {
  const n = toFinite(v);
  return n >= 0 && n <= 1 ? n : NaN;
}

function modelNamed(models: readonly ModelSpec[], name: string): ModelSpec | undefined {
  for (const m of models) if (m.name === name) return m;
  return undefined;
}

export class IngestPipeline {
  readonly aggregates: Aggregates;
  private readonly drift: DriftWindows;
  private readonly labels: LabelJoin;
  private readonly signals: PredictionSignals;
  private readonly tailers = new Map<string, LogReader>();
  /** Per store, resolved once from the config: what its records feed and where their fields land. */
  private readonly stores = new Map<string, StoreContext>();
  private readonly now: () => number;
  private chain: Promise<void> = Promise.resolve();
  /** Estimated spend per provider model and UTC day, to reconcile with billing. */
  private readonly costDays = new CostDays();

  constructor(private readonly model: Model, private readonly o: IngestOptions) {
    this.now = o.now ?? (() => Date.now() / 1000);
    this.aggregates = new Aggregates(o.policy);
    this.drift = new DriftWindows(model.models, undefined, (m, feature) => this.aggregates.inc(M.driftLateValues, { model: m, feature }));
    this.labels = new LabelJoin(model, this.aggregates, (m) => this.drift.performance.get(m)?.calibration ?? null);
    const prices = new Map((model.prices?.models ?? []).map((p) => [p.model, { input: p.input_per_mtok, output: p.output_per_mtok }]));
    this.signals = new PredictionSignals(this.aggregates, this.drift, (m) => prices.get(m) ?? null, (m, ts, usd) => this.costDays.add(m, ts, usd));
    // The exposition reads what the last checkpoint holds (expose()), never the live aggregates:
    // a render in the middle of a poll would otherwise serve counts that a crash before the next
    // checkpoint takes back, and Prometheus would see the counter go down (a reset).
    for (const def of INGEST_DEFS) registerFamily(o.registry, def, () => this.exposed.get(def.name) ?? []);
    for (const s of model.logStores) {
      const reader = readerFor(s);
      if (reader) this.tailers.set(s.name, reader);
      const models = model.models.filter((m) => m.logStore === s.name);
      const layout = storeLayout(s, models);
      this.stores.set(s.name, { store: s, models, labelStore: model.labelSources.some((l) => l.log_store === s.name), layout, rec: layout.fields.record() });
    }
    this.restore();
    this.touch();
    this.thresholds();
    this.expose();
  }

  private readonly exposed = new Map<string, Sample[]>();

  /** Takes the values the exposition serves until the next checkpoint. */
  private expose(): void {
    for (const def of INGEST_DEFS) this.exposed.set(def.name, this.aggregates.samples(def));
  }

  /** Configured drift thresholds and baseline quality as gauges, so alerts and panels can compare against them. */
  private thresholds(): void {
    for (const [model, p] of this.drift.performance) {
      for (const [statistic, v] of Object.entries(p.statistics)) if (typeof v === 'number' && Number.isFinite(v)) this.aggregates.set(M.baselineQuality, { model, statistic }, v);
    }
    for (const m of this.model.models) {
      if (!m.baseline && !m.rollingReferenceSeconds) continue;
      const t = m.thresholds;
      for (const [statistic, levels] of [['psi', t.featurePsi], ['ks', t.featureKs], ['prediction_psi', t.predictionPsi]] as const) {
        for (const severity of ['warning', 'critical'] as const) {
          const level = levels[severity];
          if (level !== null) this.aggregates.set(M.driftThreshold, { model: m.name, statistic, severity }, level);
        }
      }
    }
  }

  /** What cannot run (a baseline that did not load, a store kind not implemented yet); the rest runs. */
  get problems(): readonly { subject: string; error: string }[] {
    return [
      ...this.drift.problems.map((p) => ({ subject: `model ${p.model}`, error: `baseline not loaded, drift is off: ${p.error}` })),
      ...this.model.logStores.filter((s) => !this.tailers.has(s.name)).map((s) => ({ subject: `log store ${s.name}`, error: `${s.kind} stores are not read yet: this store is ignored` })),
    ];
  }

  private restore(): void {
    const { state, corrupt } = readCheckpoint(this.o.stateDir, isCheckpoint);
    const c = state as CheckpointState | null;
    if (c) {
      this.aggregates.restore(c.aggregates);
      this.drift.restore(c.drift);
      this.labels.restore(c.labels);
      this.costDays.restore(c.costDays, c.costSince);
      for (const [name, cursor] of Object.entries(c.cursors)) this.tailers.get(name)?.restore(cursor);
    }
    // Counted after the restore, which replaces the counters (it used to erase this very count).
    if (corrupt) {
      for (const s of this.tailers.keys()) this.aggregates.inc(M.checkpointAnomalies, { store: s, kind: 'corrupt_checkpoint' });
      this.o.onCorruptCheckpoint?.(c ? 'the newest checkpoint is damaged: restored the previous one' : 'no usable checkpoint: starting from the beginning of every store');
    }
  }

  /** Creates every known series at zero, so rate() and ratios work before the first event. */
  private touch(): void {
    for (const s of this.model.logStores) for (const reason of REJECT_REASONS) this.aggregates.pin(M.recordsRejected, { store: s.name, reason });
    for (const m of this.model.models) {
      if (!m.logStore) continue;
      for (const f of m.features) {
        for (const def of [M.featureValues, M.featureNulls, M.featureOutOfRange, M.featureSentinels, M.featureTypeErrors, M.featureUnknownCategories]) this.aggregates.pin(def, { model: m.name, feature: f.name });
      }
      this.aggregates.pin(M.schemaViolations, { model: m.name });
    }
  }

  jobs(): Job[] {
    return [...this.tailers.keys()].map((name) => {
      const store = this.model.logStores.find((s) => s.name === name) as Store;
      const interval = store.interval ? parseDuration(store.interval) : 15;
      return { id: `logs/${name}`, kind: 'logs' as const, intervalSeconds: interval, timeoutSeconds: Math.max(0.5, interval * 0.8), run: (signal: AbortSignal) => this.poll(name, signal) };
    });
  }

  /** Polls one store; polls are serialized so each checkpoint is one consistent state. */
  poll(name: string, signal?: AbortSignal): Promise<void> {
    const run = this.chain.then(() => this.pollNow(name, signal));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async pollNow(name: string, signal?: AbortSignal): Promise<void> {
    const tailer = this.tailers.get(name);
    const ctx = this.stores.get(name);
    if (!tailer || !ctx) return;
    try {
      await tailer.poll({
        line: (bytes, start, end) => this.line(ctx, bytes, start, end),
        record: (rec) => this.record(ctx, rec),
        oversize: () => this.aggregates.inc(M.recordsRejected, { store: name, reason: 'oversize' }),
        anomaly: (kind) => this.aggregates.inc(M.checkpointAnomalies, { store: name, kind }),
      }, signal);
    } finally {
      // Also after a failed or timed-out poll: readers move their cursor with each record they
      // hand over, so what was read so far is published and checkpointed, not held back until
      // a poll succeeds (a long catch-up against a slow store may never finish one in time).
      this.publish();
      await writeCheckpoint(this.o.stateDir, this.snapshot());
      // Only now: a count is served once it can no longer be lost.
      this.expose();
      this.o.onBatch?.();
    }
  }

  /** A record line (bytes [start, end)): only the mapped fields are read (sources/logs/select.ts). */
  private line(ctx: StoreContext, bytes: Buffer, start: number, end: number): void {
    let object: boolean;
    try {
      object = ctx.layout.fields.read(bytes, start, end, ctx.rec);
    } catch {
      object = false;
    }
    if (!object) return this.aggregates.inc(M.recordsRejected, { store: ctx.store.name, reason: 'malformed' });
    this.process(ctx);
  }

  /** A structured record (database rows, search documents). */
  private record(ctx: StoreContext, obj: unknown): void {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return this.aggregates.inc(M.recordsRejected, { store: ctx.store.name, reason: 'malformed' });
    ctx.layout.fields.fill(obj, ctx.rec);
    this.process(ctx);
  }

  private process(ctx: StoreContext): void {
    const { store, models, labelStore, layout, rec } = ctx;
    const at = layout.slot;
    const now = this.now();
    const ts = Math.min(parseTimestamp(rec.value(at.timestamp)) ?? now, now);
    const requestId = rec.value(at.requestId);
    if (labelStore && store.fields?.label) {
      const label = rec.value(at.label);
      if (label !== undefined && requestId !== undefined) return this.labels.label(store.name, text(requestId), text(label), ts, now);
    }
    if (!models.length) return;
    const named = rec.value(at.model);
    const m = named === undefined && models.length === 1 ? models[0] : modelNamed(models, text(named));
    if (!m) return this.aggregates.inc(M.recordsRejected, { store: store.name, reason: 'unknown_model' });
    if (this.o.owns && !this.o.owns(m.name)) return;
    this.signals.apply(m, layout, rec, store.name, ts);
    const prediction = rec.value(at.prediction);
    if (prediction === undefined || prediction === null) return;
    const estimated = this.labels.estimation.wants(m);
    const joined = requestId !== undefined && this.labels.wants(m);
    if (!estimated && !joined) return;
    const version = this.labels.version(m, text(rec.value(at.version) ?? 'unknown'));
    const confidence = confidenceOf(rec.value(at.confidence));
    if (estimated) this.labels.estimation.add(m, version, text(prediction), confidence, ts, now);
    if (joined) this.labels.expect(m, text(requestId), version, text(prediction), ts, confidence, now);
  }

  /** Derived gauges (drift statistics, label quality) from the current windows. */
  publish(): void {
    this.signals.flush();
    const now = this.now();
    this.aggregates.evictIdle(now, this.model.exporter.seriesTtlSeconds);
    this.labels.publish(now);
    this.costDays.publish(this.aggregates, now);
    publishDrift(this.drift, this.aggregates, now);
  }

  private snapshot(): CheckpointState {
    const cost = this.costDays.toJSON();
    return {
      version: 1,
      cursors: Object.fromEntries([...this.tailers].map(([n, t]) => [n, t.state])),
      aggregates: this.aggregates.toJSON(), drift: this.drift.toJSON(), labels: this.labels.toJSON(), costDays: cost.days, costSince: cost.since,
    };
  }

  /** Waits for the poll in flight, if any, and closes connections (shutdown). */
  async idle(): Promise<void> {
    await this.chain;
    await Promise.all([...this.tailers.values()].map((r) => r.close?.()));
  }
}
