// One prediction record -> serving signals, data quality per feature, and drift-window counts.
import type { Feature, Model, ModelSpec } from '../config/index.js';
import { M } from '../catalog/metrics.js';
import { FAILURE_REASONS } from '../sources/errors.js';
import { getPath } from '../baseline/records.js';
import type { Aggregates } from './aggregates.js';
import type { DriftWindows } from './drift.js';

type Fields = NonNullable<Model['logStores'][number]['fields']>;

const KNOWN_REASONS = new Set<string>(FAILURE_REASONS);
const REASON_ALIASES: Record<string, string> = { rate_limit: 'rate_limited', '429': 'rate_limited', content_filter: 'refusal', refused: 'refusal', '5xx': 'server_error', '4xx': 'client_error', empty: 'empty_output', invalid: 'invalid_output' };

/** A logged failure type as one of the closed set of reasons. */
export function failureReason(raw: unknown): string {
  const s = String(raw).toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return KNOWN_REASONS.has(s) ? s : REASON_ALIASES[s] ?? 'other';
}

const POSITIVE = new Set(['1', 'true', 'up', 'thumbs_up', 'positive', 'like']);
const NEGATIVE = new Set(['0', 'false', 'down', 'thumbs_down', 'negative', 'dislike', '-1']);

export function parseTimestamp(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v > 1e12 ? v / 1000 : v;
  if (typeof v === 'string' && v) {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t / 1000;
    const n = Number(v);
    if (Number.isFinite(n)) return n > 1e12 ? n / 1000 : n;
  }
  return null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface PriceLookup { (model: string): { input: number; output: number } | null }

export class PredictionSignals {
  constructor(private readonly agg: Aggregates, private readonly drift: DriftWindows, private readonly prices: PriceLookup) {}

  apply(m: ModelSpec, fields: Fields, rec: unknown, store: string, ts: number): void {
    const at = (path: string | undefined) => (path ? getPath(rec, path) : undefined);
    const version = String(at(fields.version) ?? 'unknown');
    const model = m.name;
    const segment = fields.segment ? String(at(fields.segment) ?? 'default') : 'default';
    const mv = { model, version };
    this.agg.inc(M.predictions, { ...mv, segment });
    this.agg.set(M.lastRecord, { model, store }, ts, true);

    const error = at(fields.error);
    if (error !== undefined && error !== null && error !== '' && error !== false) this.agg.inc(M.predictionErrors, { ...mv, reason: failureReason(error) });
    const latency = num(at(fields.latency));
    if (latency !== null && latency >= 0) this.agg.observe(M.predictionDuration, mv, latency);

    const tin = num(at(fields.input_tokens));
    const tout = num(at(fields.output_tokens));
    if (tin !== null) this.agg.inc(M.inputTokens, mv, tin);
    if (tout !== null) this.agg.inc(M.outputTokens, mv, tout);
    const cost = num(at(fields.cost));
    const price = this.prices(m.billingModel);
    const estimated = cost ?? (price && (tin !== null || tout !== null) ? ((tin ?? 0) * price.input + (tout ?? 0) * price.output) / 1e6 : null);
    if (estimated !== null && estimated >= 0) this.agg.inc(M.predictionCost, mv, estimated);

    const feedback = at(fields.feedback);
    if (feedback !== undefined && feedback !== null) {
      const f = String(feedback).toLowerCase();
      if (POSITIVE.has(f) || NEGATIVE.has(f)) {
        this.agg.inc(M.feedback, mv);
        if (POSITIVE.has(f)) this.agg.inc(M.feedbackPositive, mv);
      }
    }

    const confidence = num(at(fields.confidence));
    if (confidence !== null && confidence >= 0 && confidence <= 1) {
      this.agg.observe(M.confidence, mv, confidence);
      if (confidence < m.confidenceFloor) this.agg.inc(M.lowConfidence, mv);
      this.drift.add(model, 'score', confidence, ts);
    }
    const prediction = at(fields.prediction);
    if (prediction !== undefined && prediction !== null) this.drift.add(model, 'prediction', prediction, ts);

    const features = fields.features ? at(fields.features) : rec;
    let violation = false;
    for (const f of m.features) {
      violation = this.checkFeature(m, f, features && typeof features === 'object' ? (features as Record<string, unknown>)[f.name] : undefined, ts) || violation;
    }
    if (violation) this.agg.inc(M.schemaViolations, { model });
  }

  /** Data-quality counters for one value; true when it breaks the schema (type or category). */
  private checkFeature(m: ModelSpec, f: Feature, v: unknown, ts: number): boolean {
    const labels = { model: m.name, feature: f.name };
    this.agg.inc(M.featureValues, labels);
    if (v === undefined || v === null || v === '') {
      this.agg.inc(M.featureNulls, labels);
      return false;
    }
    if (f.sentinels.some((s) => s === v || String(s) === String(v))) {
      this.agg.inc(M.featureSentinels, labels);
      return false;
    }
    if (f.type === 'numeric') {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        this.agg.inc(M.featureTypeErrors, labels);
        return true;
      }
      if (f.range && (v < f.range[0] || v > f.range[1])) this.agg.inc(M.featureOutOfRange, labels);
      this.drift.add(m.name, f.name, v, ts);
      return false;
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      this.agg.inc(M.featureTypeErrors, labels);
      return true;
    }
    const unknown = f.categories.length > 0 && !f.categories.includes(String(v));
    if (unknown) this.agg.inc(M.featureUnknownCategories, labels);
    this.drift.add(m.name, f.name, String(v), ts);
    return unknown;
  }
}
