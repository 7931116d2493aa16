// One prediction record -> serving signals, data quality per feature, and drift-window counts.
// The hot path: field paths, series and windows are resolved once per model (a plan), so a
// record costs lookups and increments, not string building.
import type { ModelSpec } from '../config/index.js';
import { M } from '../catalog/metrics.js';
import { FAILURE_REASONS } from '../sources/errors.js';
import type { Aggregates } from './aggregates.js';
import type { DriftSink, DriftWindows } from './drift.js';
import { ABSENT, NUMBER, text, type FieldRecord } from '../sources/logs/record.js';
import type { StoreLayout } from './layout.js';
import { llmQuality, type LlmQuality } from './llm-quality.js';

const KNOWN_REASONS = new Set<string>(FAILURE_REASONS);
const REASON_ALIASES: Record<string, string> = { rate_limit: 'rate_limited', '429': 'rate_limited', content_filter: 'refusal', refused: 'refusal', '5xx': 'server_error', '4xx': 'client_error', empty: 'empty_output', invalid: 'invalid_output' };

/** A logged failure type as one of the closed set of reasons. */
export function failureReason(raw: unknown): string {
  const s = text(raw).toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return KNOWN_REASONS.has(s) ? s : REASON_ALIASES[s] ?? 'other';
}

const POSITIVE = new Set(['1', 'true', 'up', 'thumbs_up', 'positive', 'like']);
const NEGATIVE = new Set(['0', 'false', 'down', 'thumbs_down', 'negative', 'dislike', '-1']);

export function parseTimestamp(v: unknown): number | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.getTime() / 1000;
  if (typeof v === 'number' && Number.isFinite(v)) return v > 1e12 ? v / 1000 : v;
  if (typeof v === 'string' && v) {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t / 1000;
    const n = Number(v);
    if (Number.isFinite(n)) return n > 1e12 ? n / 1000 : n;
  }
  return null;
}

export type PriceLookup = (model: string) => { input: number; output: number } | null;

interface Serving {
  predictions: (by?: number) => void;
  latency: (v: number) => void;
  confidence: (v: number) => void;
  lowConfidence: (by?: number) => void;
  inputTokens: (by?: number) => void;
  outputTokens: (by?: number) => void;
  cost: (by?: number) => void;
  feedback: (by?: number) => void;
  feedbackPositive: (by?: number) => void;
  readonly llm: LlmQuality | null;
  /** When this version started serving: its oldest record. */
  readonly firstSeen: (ts: number) => void;
  /** Positive predictions, for the selection rate of fairness gaps (protected segments only). */
  readonly positive: ((by?: number) => void) | null;
}

/** Data-quality counts of one feature, accumulated per record and added to the series at flush. */
const VALUES = 0;
const NULLS = 1;
const SENTINEL = 2;
const OUT_OF_RANGE = 3;
const TYPE_ERRORS = 4;
const UNKNOWN = 5;
const QUALITY = [M.featureValues, M.featureNulls, M.featureSentinels, M.featureOutOfRange, M.featureTypeErrors, M.featureUnknownCategories] as const;

interface FeaturePlan {
  readonly slot: number;
  readonly numeric: boolean;
  readonly low: number;
  readonly high: number;
  readonly sentinels: ReadonlySet<string> | null;
  readonly categories: ReadonlySet<string> | null;
  /** Offset of this feature's counts in Plan.quality. */
  readonly at: number;
  readonly drift: DriftSink | null;
}

interface Plan {
  readonly slot: StoreLayout['slot'];
  /** The slot of fields the store does not map. */
  readonly absent: number;
  /** The class whose selection rate fairness compares, when the model declares protected segments. */
  readonly positiveClass: string | null;
  readonly serving: Map<string, Serving>;
  /** The last version and segment seen: the next record's, most of the time. */
  lastServing: { version: string; segment: string; serving: Serving } | null;
  readonly features: FeaturePlan[];
  /** Quality counts since the last flush, 6 per feature (QUALITY order), and their series. */
  readonly quality: Float64Array;
  /** Records since the last flush (each adds a value to every feature). */
  records: number;
  readonly qualitySeries: ((by?: number) => void)[];
  readonly score: DriftSink | null;
  readonly prediction: DriftSink | null;
  readonly schemaViolations: (by?: number) => void;
  readonly lastRecord: (ts: number) => void;
  readonly price: { input: number; output: number } | null;
}

const bump = (q: Float64Array, i: number) => { q[i] = (q[i] as number) + 1; };

/** A finite number in a slot, or NaN. */
function numberAt(rec: FieldRecord, slot: number): number {
  if (rec.kinds[slot] === NUMBER) {
    const v = rec.numbers[slot] as number;
    if (v - v === 0) return v;
  }
  return NaN;
}

export class PredictionSignals {
  private readonly plans = new Map<string, Plan>();
  private last: { m: ModelSpec; layout: StoreLayout; plan: Plan } | null = null;
  private epoch = 0;

  constructor(private readonly agg: Aggregates, private readonly drift: DriftWindows, private readonly prices: PriceLookup, private readonly onCost: (billingModel: string, ts: number, usd: number) => void = () => undefined) {}

  private plan(m: ModelSpec, layout: StoreLayout, store: string): Plan {
    // Most stores feed one model: the last plan is the next one.
    const last = this.last;
    if (last && last.m === m && last.layout === layout) return last.plan;
    const id = `${store}\u0000${m.name}`;
    let plan = this.plans.get(id);
    if (plan) {
      this.last = { m, layout, plan };
      return plan;
    }
    const model = m.name;
    const slots = layout.features.get(model) as Int32Array;
    plan = {
      slot: layout.slot,
      absent: layout.fields.absent,
      positiveClass: m.protectedSegments.length ? m.positiveClass : null,
      serving: new Map(),
      lastServing: null,
      features: m.features.map((feature, j) => ({
        slot: slots[j] as number,
        numeric: feature.type === 'numeric',
        low: feature.range ? feature.range[0] : -Infinity,
        high: feature.range ? feature.range[1] : Infinity,
        sentinels: feature.sentinels.length ? new Set(feature.sentinels.map(String)) : null,
        categories: feature.categories.length ? new Set(feature.categories) : null,
        at: j * QUALITY.length,
        drift: this.drift.sink(model, feature.name),
      })),
      quality: new Float64Array(m.features.length * QUALITY.length),
      records: 0,
      qualitySeries: m.features.flatMap((feature) => QUALITY.map((def) => this.agg.counter(def, { model, feature: feature.name }))),
      score: this.drift.sink(model, 'score'),
      prediction: this.drift.sink(model, 'prediction'),
      schemaViolations: this.agg.counter(M.schemaViolations, { model }),
      lastRecord: this.agg.maxGauge(M.lastRecord, { model, store }),
      price: this.prices(m.billingModel),
    };
    this.plans.set(id, plan);
    this.last = { m, layout, plan };
    return plan;
  }

  private serving(plan: Plan, model: string, version: string, segment: string): Serving {
    const last = plan.lastServing;
    if (last && last.version === version && last.segment === segment) return last.serving;
    const key = `${version}\u0000${segment}`;
    let s = plan.serving.get(key);
    if (!s) {
      // Serving signals per segment; confidence (a model-quality signal) per version.
      const mv = { model, version };
      const mvs = { model, version, segment };
      s = {
        predictions: this.agg.counter(M.predictions, mvs),
        latency: this.agg.histogram(M.predictionDuration, mvs), confidence: this.agg.histogram(M.confidence, mv),
        lowConfidence: this.agg.counter(M.lowConfidence, mv), inputTokens: this.agg.counter(M.inputTokens, mvs),
        outputTokens: this.agg.counter(M.outputTokens, mvs), cost: this.agg.counter(M.predictionCost, mvs),
        feedback: this.agg.counter(M.feedback, mvs), feedbackPositive: this.agg.counter(M.feedbackPositive, mvs),
        llm: llmQuality(this.agg, plan.slot, plan.absent, mvs),
        firstSeen: this.agg.minGauge(M.versionFirstSeen, mv),
        positive: plan.positiveClass === null ? null : this.agg.counter(M.positivePredictions, mvs),
      };
      plan.serving.set(key, s);
    }
    plan.lastServing = { version, segment, serving: s };
    return s;
  }

  /** Adds the quality counts held since the last flush to their series (before publishing or a checkpoint). */
  flush(): void {
    for (const plan of this.plans.values()) {
      const q = plan.quality;
      for (const fp of plan.features) q[fp.at + VALUES] = (q[fp.at + VALUES] as number) + plan.records;
      plan.records = 0;
      for (let i = 0; i < q.length; i++) {
        if (q[i] !== 0) {
          (plan.qualitySeries[i] as (by?: number) => void)(q[i]);
          q[i] = 0;
        }
      }
    }
  }

  apply(m: ModelSpec, layout: StoreLayout, rec: FieldRecord, store: string, ts: number): void {
    // Evicted series invalidate the handles cached in plans.
    if (this.agg.epoch !== this.epoch) {
      this.flush();
      this.plans.clear();
      this.last = null;
      this.epoch = this.agg.epoch;
    }
    const plan = this.plan(m, layout, store);
    const at = plan.slot;
    const version = text(rec.value(at.version) ?? 'unknown');
    const segment = rec.kinds[at.segment] === ABSENT ? 'default' : text(rec.value(at.segment) ?? 'default');
    const s = this.serving(plan, m.name, version, segment);
    s.predictions();
    s.firstSeen(ts);
    plan.lastRecord(ts);

    const error = rec.value(at.error);
    if (error !== undefined && error !== null && error !== '' && error !== false) this.agg.inc(M.predictionErrors, { model: m.name, version, reason: failureReason(error), segment });
    const latency = numberAt(rec, at.latency);
    if (latency >= 0) s.latency(latency);

    const tin = numberAt(rec, at.inputTokens);
    const tout = numberAt(rec, at.outputTokens);
    const hasIn = !Number.isNaN(tin);
    const hasOut = !Number.isNaN(tout);
    if (hasIn) s.inputTokens(tin);
    if (hasOut) s.outputTokens(tout);
    // A logged cost wins; otherwise tokens x the price table.
    const cost = numberAt(rec, at.cost);
    const price = plan.price;
    const estimated = !Number.isNaN(cost) ? cost : price && (hasIn || hasOut) ? ((hasIn ? tin : 0) * price.input + (hasOut ? tout : 0) * price.output) / 1e6 : NaN;
    if (estimated >= 0) {
      s.cost(estimated);
      this.onCost(m.billingModel, ts, estimated);
    }

    if (rec.kinds[at.feedback] !== ABSENT) {
      const feedback = rec.value(at.feedback);
      if (feedback !== null) {
        const f = text(feedback).toLowerCase();
        if (POSITIVE.has(f)) { s.feedback(); s.feedbackPositive(); } else if (NEGATIVE.has(f)) s.feedback();
      }
    }

    s.llm?.apply(rec);

    // A regression model has no confidence in a class: its confidence signals are not kept.
    const confidence = m.task === 'regression' ? NaN : numberAt(rec, at.confidence);
    if (confidence >= 0 && confidence <= 1) {
      s.confidence(confidence);
      if (confidence < m.confidenceFloor) s.lowConfidence();
      plan.score?.add(confidence, ts);
    }
    const prediction = rec.value(at.prediction);
    if (prediction !== undefined && prediction !== null) {
      plan.prediction?.add(prediction, ts);
      if (s.positive && text(prediction) === plan.positiveClass) s.positive();
    }

    let violation = false;
    const q = plan.quality;
    // Every feature counts a value per record: one count, spread over the features at flush.
    plan.records++;
    for (const fp of plan.features) {
      const slot = fp.slot;
      const v = rec.numbers[slot] as number;
      if (rec.kinds[slot] === NUMBER && fp.numeric && fp.sentinels === null && v - v === 0) {
        // The common case (a finite number for a numeric feature), without boxing the number.
        if (v < fp.low || v > fp.high) bump(q, fp.at + OUT_OF_RANGE);
        fp.drift?.add(v, ts);
      } else violation = checkFeature(fp, q, rec.value(slot), ts) || violation;
    }
    if (violation) plan.schemaViolations();
  }
}

/** Data-quality counts for one value; true when it breaks the schema (type or category). */
function checkFeature(p: FeaturePlan, q: Float64Array, v: unknown, ts: number): boolean {
  if (v === undefined || v === null || v === '') { bump(q, p.at + NULLS); return false; }
  if (p.sentinels !== null && p.sentinels.has(text(v))) { bump(q, p.at + SENTINEL); return false; }
  if (p.numeric) {
    if (typeof v !== 'number' || !Number.isFinite(v)) { bump(q, p.at + TYPE_ERRORS); return true; }
    if (v < p.low || v > p.high) bump(q, p.at + OUT_OF_RANGE);
    p.drift?.add(v, ts);
    return false;
  }
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') { bump(q, p.at + TYPE_ERRORS); return true; }
  const t = text(v);
  const unknown = p.categories !== null && !p.categories.has(t);
  if (unknown) bump(q, p.at + UNKNOWN);
  p.drift?.add(t, ts);
  return unknown;
}
