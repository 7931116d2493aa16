// Prediction records through the ingest pipeline: serving, quality, drift and delayed-label
// signals equal an offline count of the same records; a checkpoint restores them exactly.
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';
import { M, type MetricDef } from '../../src/catalog/metrics.js';
import { ProfileBuilder } from '../../src/stats/profile.js';

const dir = mkdtempSync(join(tmpdir(), 'ingest-'));
const NOW = 1_800_000_000;

function setup() {
  const state = mkdtempSync(join(tmpdir(), 'state-'));
  const builder = new ProfileBuilder('fraud', [{ name: 'amount', type: 'numeric' }, { name: 'country', type: 'categorical' }, { name: 'prediction', type: 'categorical' }, { name: 'score', type: 'numeric' }]);
  const ref = Array.from({ length: 2000 }, (_, i) => ({ amount: i % 500, country: ['GB', 'US'][i % 2], prediction: i % 4 ? 'legit' : 'fraud', score: (i % 100) / 100 }));
  for (const r of ref) builder.first(r);
  builder.freeze();
  for (const r of ref) builder.second(r);
  writeFileSync(join(dir, 'baseline.json'), JSON.stringify(builder.profile()));
  const loaded = parseConfig(`version: 1
log_stores:
  - name: preds
    kind: jsonl
    path: ${dir}/preds-*.jsonl
    fields: {timestamp: ts, request_id: id, model: model, version: v, features: f, prediction: out.label, confidence: out.score, latency: lat, error: err, feedback: thumb, input_tokens: tin, output_tokens: tout}
  - name: truth
    kind: jsonl
    path: ${dir}/truth-*.jsonl
    fields: {request_id: id, label: label, timestamp: ts}
label_sources:
  - {name: chargebacks, log_store: truth, horizon: 1d}
prices:
  as_of: "2026-11-01"
  models: [{model: fraud, input_per_mtok: 2, output_per_mtok: 8}]
models:
  - name: fraud
    task: classification
    versions: [v1]
    log_store: preds
    label_source: chargebacks
    positive_class: fraud
    baseline: ${dir}/baseline.json
    features:
      - {name: amount, type: numeric, range: [0, 1000], sentinels: [-999]}
      - {name: country, type: categorical, categories: [GB, US]}
`, 'test.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const make = () => new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model, 1000), stateDir: state, now: () => NOW });
  return { make };
}

const value = (p: IngestPipeline, def: MetricDef, labels: Record<string, string | number>) =>
  p.aggregates.samples(def).find((s) => Object.entries(labels).every(([k, v]) => String(s.labels[k]) === String(v)) && (!('le' in s.labels) || 'le' in labels))?.value;

const records = [
  { ts: NOW - 60, id: 'r1', model: 'fraud', v: 'v1', f: { amount: 120, country: 'GB' }, out: { label: 'fraud', score: 0.9 }, lat: 0.03, thumb: 'up', tin: 100, tout: 10 },
  { ts: NOW - 50, id: 'r2', model: 'fraud', v: 'v1', f: { amount: null, country: 'FR' }, out: { label: 'legit', score: 0.4 }, lat: 0.2, err: 'timeout' },
  { ts: NOW - 40, id: 'r3', model: 'fraud', v: 'v1', f: { amount: -999, country: 'US' }, out: { label: 'legit', score: 0.8 }, lat: 0.07, thumb: 'down' },
  { ts: NOW - 30, id: 'r4', model: 'fraud', v: 'v1', f: { amount: 5000, country: 7 }, out: { label: 'fraud', score: 0.95 }, lat: 1.5 },
  { ts: NOW - 20, id: 'r5', model: 'fraud', v: 'v1', f: { amount: '12', country: { x: 1 } }, out: { label: 'legit', score: 0.55 }, lat: 0.01, err: 'rate_limit' },
  { ts: NOW - 10, id: 'r6', model: 'ghost', v: 'v1', f: {}, out: {} },
];

describe('the ingest pipeline', () => {
  const s = setup();
  writeFileSync(join(dir, 'preds-1.jsonl'), `${records.map((r) => JSON.stringify(r)).join('\n')}\nnot json\n`);
  writeFileSync(join(dir, 'truth-1.jsonl'), `${[{ id: 'r1', label: 'fraud', ts: NOW - 5 }, { id: 'r2', label: 'fraud', ts: NOW - 5 }, { id: 'r3', label: 'legit', ts: NOW - 5 }, { id: 'zz', label: 'legit', ts: NOW }].map((r) => JSON.stringify(r)).join('\n')}\n`);
  const p = s.make();
  // Both stores read once before any test: each test reads the result, alone or in any order.
  beforeAll(async () => {
    await p.poll('preds');
    await p.poll('truth');
  });

  it('counts serving signals', () => {
    const mv = { model: 'fraud', version: 'v1' };
    expect(value(p, M.predictions, mv)).toBe(5);
    expect(value(p, M.predictionErrors, { ...mv, reason: 'timeout' })).toBe(1);
    expect(value(p, M.predictionErrors, { ...mv, reason: 'rate_limited' })).toBe(1);
    expect(value(p, M.predictionDuration, { ...mv, le: 0.05 })).toBe(2);
    expect(value(p, M.predictionDuration, { ...mv, le: 0.1 })).toBe(3);
    expect(value(p, M.feedback, mv)).toBe(2);
    // When v1 started serving: its oldest record, whatever order records are read in.
    expect(value(p, M.versionFirstSeen, mv)).toBe(NOW - 60);
    expect(value(p, M.feedbackPositive, mv)).toBe(1);
    expect(value(p, M.lowConfidence, mv)).toBe(1);
    expect(value(p, M.predictionCost, mv)).toBeCloseTo((100 * 2 + 10 * 8) / 1e6, 15);
    // The logs start today, after midnight: no period is covered whole, so none is estimated.
    expect(p.aggregates.samples(M.estimatedCost)).toEqual([]);
    expect(value(p, M.lastRecord, { model: 'fraud', store: 'preds' })).toBe(NOW - 20);
    expect(value(p, M.recordsRejected, { store: 'preds', reason: 'malformed' })).toBe(1);
    expect(value(p, M.recordsRejected, { store: 'preds', reason: 'unknown_model' })).toBe(1);
  });

  it('counts data quality per feature', () => {
    const amount = { model: 'fraud', feature: 'amount' };
    const country = { model: 'fraud', feature: 'country' };
    expect(value(p, M.featureValues, amount)).toBe(5);
    expect(value(p, M.featureNulls, amount)).toBe(1);
    expect(value(p, M.featureSentinels, amount)).toBe(1);
    expect(value(p, M.featureOutOfRange, amount)).toBe(1);
    expect(value(p, M.featureTypeErrors, amount)).toBe(1);
    expect(value(p, M.featureUnknownCategories, country)).toBe(2);
    expect(value(p, M.featureTypeErrors, country)).toBe(1);
    expect(value(p, M.schemaViolations, { model: 'fraud' })).toBe(3);
  });

  it('exposes drift against the baseline with window and reference counts', () => {
    expect(value(p, M.driftWindowSamples, { model: 'fraud', feature: 'amount' })).toBe(2);
    expect(value(p, M.driftReferenceSamples, { model: 'fraud', feature: 'amount' })).toBe(2000);
    expect(value(p, M.driftPsi, { model: 'fraud', feature: 'amount' })).toBeGreaterThan(0);
    expect(value(p, M.driftKs, { model: 'fraud', feature: 'amount' })).toBeGreaterThan(0);
    expect(value(p, M.driftWindowSamples, { model: 'fraud', feature: 'country' })).toBe(4);
    expect(value(p, M.driftJs, { model: 'fraud', feature: 'country' })).toBeGreaterThan(0);
    expect(value(p, M.driftWindowSamples, { model: 'fraud', feature: 'prediction' })).toBe(5);
    expect(value(p, M.driftThreshold, { model: 'fraud', statistic: 'psi', severity: 'critical' })).toBe(0.2);
  });

  it('joins delayed labels and scores the window', () => {
    expect(value(p, M.labelsJoined, { model: 'fraud', version: 'v1' })).toBe(3);
    expect(value(p, M.labelsPending, { model: 'fraud' })).toBe(2);
    // A label with no prediction (yet) waits instead of being rejected.
    expect(value(p, M.recordsRejected, { store: 'truth', reason: 'unmatched_label' })).toBe(0);
    expect(value(p, M.labelsEarly, { store: 'truth' })).toBe(1);
    expect(value(p, M.labelsEarlyPending, { store: 'truth' })).toBe(1);
    // r1 fraud/fraud (tp), r2 legit/fraud (fn), r3 legit/legit (tn).
    expect(value(p, M.accuracy, { model: 'fraud', version: 'v1' })).toBeCloseTo(2 / 3, 12);
    expect(value(p, M.precision, { model: 'fraud', version: 'v1' })).toBe(1);
    expect(value(p, M.recall, { model: 'fraud', version: 'v1' })).toBe(0.5);
    expect(value(p, M.labelDelay, { model: 'fraud', le: 60 })).toBe(3);
  });

  it('restores every aggregate from its checkpoint and continues without double counting', async () => {
    const restarted = s.make();
    expect(restarted.aggregates.toJSON()).toEqual(p.aggregates.toJSON());
    appendFileSync(join(dir, 'preds-1.jsonl'), `${JSON.stringify({ ...records[0], id: 'r7' })}\n`);
    await restarted.poll('preds');
    expect(value(restarted, M.predictions, { model: 'fraud', version: 'v1' })).toBe(6);
  });
});

describe('idle series', () => {
  it('are evicted after series_ttl without moving; config-pinned series stay', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ttl-'));
    let now = 2_000_000_000;
    const loaded = parseConfig(`version: 1
exporter: {series_ttl: 1h}
log_stores: [{name: p, kind: jsonl, path: ${d}/p-*.jsonl, fields: {model: model, version: v, features: f}}]
models: [{name: m, task: llm, log_store: p, versions: [old, new], features: [{name: x, type: numeric}]}]
`, 'ttl.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const p = new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model), stateDir: mkdtempSync(join(tmpdir(), 'ttl-state-')), now: () => now });
    writeFileSync(join(d, 'p-1.jsonl'), `${JSON.stringify({ model: 'm', v: 'old', f: { x: 1 } })}\n`);
    await p.poll('p');
    expect(value(p, M.predictions, { version: 'old' })).toBe(1);
    // The old version stops; the new one keeps logging for two hours.
    for (let i = 0; i < 3; i++) {
      now += 3600;
      appendFileSync(join(d, 'p-1.jsonl'), `${JSON.stringify({ model: 'm', v: 'new', f: { x: 2 } })}\n`);
      await p.poll('p');
    }
    expect(value(p, M.predictions, { version: 'old' })).toBeUndefined();
    expect(value(p, M.predictions, { version: 'new' })).toBe(3);
    // Zero-initialized series from the config stay, so ratios like nulls / values keep working.
    expect(value(p, M.featureNulls, { model: 'm', feature: 'x' })).toBe(0);
    // A version that comes back starts again.
    appendFileSync(join(d, 'p-1.jsonl'), `${JSON.stringify({ model: 'm', v: 'old', f: { x: 1 } })}\n`);
    await p.poll('p');
    expect(value(p, M.predictions, { version: 'old' })).toBe(1);
  });
});

describe('a model without a baseline and a rolling reference', () => {
  it('exposes drift of its recent logs against the same window one offset earlier', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rolling-'));
    const now = 2_000_000_000;
    const loaded = parseConfig(`version: 1
log_stores: [{name: p, kind: jsonl, path: ${d}/p-*.jsonl, fields: {timestamp: ts, model: model, features: f}}]
models: [{name: m, task: llm, log_store: p, rolling_reference: 1h, drift_window: 10m, features: [{name: x, type: numeric}]}]
`, 'rolling.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const p = new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model), stateDir: mkdtempSync(join(tmpdir(), 'rolling-state-')), now: () => now });
    // Two hours of calm values, then ten minutes shifted by 3.
    const t0 = now - 7800;
    const lines = [];
    for (let t = t0; t < now; t += 2) lines.push(JSON.stringify({ ts: t, model: 'm', f: { x: ((t * 7919) % 1000) / 1000 + (t >= now - 600 ? 3 : 0) } }));
    writeFileSync(join(d, 'p-1.jsonl'), `${lines.join('\n')}\n`);
    await p.poll('p');
    expect(value(p, M.driftReferenceSamples, { model: 'm', feature: 'x' })).toBeGreaterThan(200);
    expect(value(p, M.driftPsi, { model: 'm', feature: 'x' })).toBeGreaterThan(1);
    expect(value(p, M.driftThreshold, { model: 'm', statistic: 'psi', severity: 'warning' })).toBe(0.1);
  });
});
