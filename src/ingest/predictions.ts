// One prediction record -> serving signals, data quality per feature, and drift-window counts.
// The hot path: field paths, series and windows are resolved once per model (a plan), so a
// record costs lookups and increments, not string building.
import type { Feature, Model, ModelSpec } from '../config/index.js';
import { M } from '../catalog/metrics.js';
import { FAILURE_REASONS } from '../sources/errors.js';
import type { Aggregates } from './aggregates.js';
import type { DriftWindows } from './drift.js';
import { compilePath, type Getter as Get } from '../sources/path.js';

type Fields = NonNullable<Model['logStores'][number]['fields']>;

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

/** A record value as text, whatever it is (objects from logs can have hostile toString). */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try { return JSON.stringify(v) ?? ''; } catch { return ''; }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

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
}

interface FeaturePlan {
  readonly feature: Feature;
  readonly sentinels: ReadonlySet<string>;
  readonly categories: ReadonlySet<string> | null;
  readonly values: (by?: number) => void;
  readonly nulls: (by?: number) => void;
  readonly sentinel: (by?: number) => void;
  readonly outOfRange: (by?: number) => void;
  readonly typeErrors: (by?: number) => void;
  readonly unknown: (by?: number) => void;
  readonly drift: ((v: unknown, ts: number) => void) | null;
}

interface Plan {
  readonly get: Record<'version' | 'segment' | 'error' | 'latency' | 'inputTokens' | 'outputTokens' | 'cost' | 'feedback' | 'confidence' | 'prediction' | 'features', Get>;
  readonly serving: Map<string, Serving>;
  readonly features: FeaturePlan[];
  readonly score: ((v: unknown, ts: number) => void) | null;
  readonly prediction: ((v: unknown, ts: number) => void) | null;
  readonly schemaViolations: (by?: number) => void;
  readonly lastRecord: (ts: number) => void;
  readonly price: { input: number; output: number } | null;
}

export class PredictionSignals {
  private readonly plans = new Map<string, Plan>();
  private epoch = 0;

  constructor(private readonly agg: Aggregates, private readonly drift: DriftWindows, private readonly prices: PriceLookup, private readonly onCost: (billingModel: string, ts: number, usd: number) => void = () => undefined) {}

  private plan(m: ModelSpec, fields: Fields, store: string): Plan {
    const id = `${store}\u0000${m.name}`;
    let plan = this.plans.get(id);
    if (plan) return plan;
    const model = m.name;
    const f = (def: (typeof M)[keyof typeof M], feature: string) => this.agg.counter(def, { model, feature });
    plan = {
      get: {
        version: compilePath(fields.version), segment: compilePath(fields.segment), error: compilePath(fields.error),
        latency: compilePath(fields.latency), inputTokens: compilePath(fields.input_tokens), outputTokens: compilePath(fields.output_tokens),
        cost: compilePath(fields.cost), feedback: compilePath(fields.feedback), confidence: compilePath(fields.confidence),
        prediction: compilePath(fields.prediction), features: fields.features ? compilePath(fields.features) : (rec) => rec,
      },
      serving: new Map(),
      features: m.features.map((feature) => ({
        feature,
        sentinels: new Set(feature.sentinels.map(String)),
        categories: feature.categories.length ? new Set(feature.categories) : null,
        values: f(M.featureValues, feature.name), nulls: f(M.featureNulls, feature.name), sentinel: f(M.featureSentinels, feature.name),
        outOfRange: f(M.featureOutOfRange, feature.name), typeErrors: f(M.featureTypeErrors, feature.name), unknown: f(M.featureUnknownCategories, feature.name),
        drift: this.drift.adder(model, feature.name),
      })),
      score: this.drift.adder(model, 'score'),
      prediction: this.drift.adder(model, 'prediction'),
      schemaViolations: this.agg.counter(M.schemaViolations, { model }),
      lastRecord: this.agg.maxGauge(M.lastRecord, { model, store }),
      price: this.prices(m.billingModel),
    };
    this.plans.set(id, plan);
    return plan;
  }

  private serving(plan: Plan, model: string, version: string, segment: string): Serving {
    const key = `${version}\u0000${segment}`;
    let s = plan.serving.get(key);
    if (!s) {
      const mv = { model, version };
      s = {
        predictions: this.agg.counter(M.predictions, { ...mv, segment }),
        latency: this.agg.histogram(M.predictionDuration, mv), confidence: this.agg.histogram(M.confidence, mv),
        lowConfidence: this.agg.counter(M.lowConfidence, mv), inputTokens: this.agg.counter(M.inputTokens, mv),
        outputTokens: this.agg.counter(M.outputTokens, mv), cost: this.agg.counter(M.predictionCost, mv),
        feedback: this.agg.counter(M.feedback, mv), feedbackPositive: this.agg.counter(M.feedbackPositive, mv),
      };
      plan.serving.set(key, s);
    }
    return s;
  }

  apply(m: ModelSpec, fields: Fields, rec: unknown, store: string, ts: number): void {
    // Evicted series invalidate the handles cached in plans.
    if (this.agg.epoch !== this.epoch) {
      this.plans.clear();
      this.epoch = this.agg.epoch;
    }
    const plan = this.plan(m, fields, store);
    const g = plan.get;
    const version = text(g.version(rec) ?? 'unknown');
    const segment = fields.segment ? text(g.segment(rec) ?? 'default') : 'default';
    const s = this.serving(plan, m.name, version, segment);
    s.predictions();
    plan.lastRecord(ts);

    const error = g.error(rec);
    if (error !== undefined && error !== null && error !== '' && error !== false) this.agg.inc(M.predictionErrors, { model: m.name, version, reason: failureReason(error) });
    const latency = num(g.latency(rec));
    if (latency !== null && latency >= 0) s.latency(latency);

    const tin = num(g.inputTokens(rec));
    const tout = num(g.outputTokens(rec));
    if (tin !== null) s.inputTokens(tin);
    if (tout !== null) s.outputTokens(tout);
    const cost = num(g.cost(rec));
    const price = plan.price;
    const estimated = cost ?? (price && (tin !== null || tout !== null) ? ((tin ?? 0) * price.input + (tout ?? 0) * price.output) / 1e6 : null);
    if (estimated !== null && estimated >= 0) {
      s.cost(estimated);
      this.onCost(m.billingModel, ts, estimated);
    }

    const feedback = g.feedback(rec);
    if (feedback !== undefined && feedback !== null) {
      const f = text(feedback).toLowerCase();
      if (POSITIVE.has(f)) { s.feedback(); s.feedbackPositive(); } else if (NEGATIVE.has(f)) s.feedback();
    }

    const confidence = num(g.confidence(rec));
    if (confidence !== null && confidence >= 0 && confidence <= 1) {
      s.confidence(confidence);
      if (confidence < m.confidenceFloor) s.lowConfidence();
      plan.score?.(confidence, ts);
    }
    const prediction = g.prediction(rec);
    if (prediction !== undefined && prediction !== null) plan.prediction?.(prediction, ts);

    const features = g.features(rec);
    const values = features && typeof features === 'object' ? (features as Record<string, unknown>) : {};
    let violation = false;
    for (const fp of plan.features) violation = checkFeature(fp, values[fp.feature.name], ts) || violation;
    if (violation) plan.schemaViolations();
  }
}

/** Data-quality counters for one value; true when it breaks the schema (type or category). */
function checkFeature(p: FeaturePlan, v: unknown, ts: number): boolean {
  p.values();
  if (v === undefined || v === null || v === '') { p.nulls(); return false; }
  if (p.sentinels.size && p.sentinels.has(text(v))) { p.sentinel(); return false; }
  const f = p.feature;
  if (f.type === 'numeric') {
    if (typeof v !== 'number' || !Number.isFinite(v)) { p.typeErrors(); return true; }
    if (f.range && (v < f.range[0] || v > f.range[1])) p.outOfRange();
    p.drift?.(v, ts);
    return false;
  }
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') { p.typeErrors(); return true; }
  const unknown = p.categories !== null && !p.categories.has(text(v));
  if (unknown) p.unknown();
  p.drift?.(text(v), ts);
  return unknown;
}
