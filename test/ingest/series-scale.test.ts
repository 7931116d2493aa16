// The series budget at the scale the README promises: 2 models (a classifier with features,
// labels and classes; an LLM with tokens, cost, feedback and answer evaluations) x 5 versions x 20
// segments, every failure reason and outcome seen in every combination. What the logs produce must
// stay within the default series limit (label sets the exporter holds) and the default scrape
// sample_limit (samples Prometheus takes, histogram buckets included). The counts are in the
// README ("Series budget").
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';
import { FAILURE_REASONS } from '../../src/sources/errors.js';
import { prng } from '../../src/stats/profile.js';
import { M } from '../../src/catalog/metrics.js';

const NOW = 1_800_000_000;
const VERSIONS = ['v1', 'v2', 'v3', 'v4', 'v5'];
const SEGMENTS = Array.from({ length: 20 }, (_, i) => `s${i + 1}`);
const dir = mkdtempSync(join(tmpdir(), 'budget-'));

describe('the series budget: 2 models x 5 versions x 20 segments', () => {
  const random = prng(3);
  const records: object[] = [];
  const labels: object[] = [];
  let id = 0;
  for (const model of ['clf', 'chat']) {
    for (const v of VERSIONS) {
      for (const segment of SEGMENTS) {
        // Every failure reason, and successes with every outcome of every evaluation field.
        for (const err of [...FAILURE_REASONS, '', '', '']) {
          const rid = `r${id++}`;
          const ts = NOW - 600 + (id % 500);
          records.push(model === 'clf'
            ? { ts, id: rid, model, v, seg: segment, err, lat: random(), f: { amount: random() * 1000, age: Math.floor(random() * 3000), merchant: ['a', 'b', 'c', 'x'][id % 4], country: ['GB', 'US', 'ZZ'][id % 3] }, out: { label: id % 3 ? 'legit' : 'fraud', score: random() } }
            : { ts, id: rid, model, v, seg: segment, err, lat: random() * 5, tin: 100, tout: 50, cost: 0.001, thumb: id % 2 ? 'up' : 'down', task: id % 2 === 0, judge: id % 3 ? 'pass' : 'fail', hall: id % 5 === 0, rating: 1 + (id % 5) });
          if (model === 'clf') labels.push({ ts: NOW - 60, id: rid, label: id % 4 ? 'legit' : 'fraud' });
        }
      }
    }
  }
  writeFileSync(join(dir, 'log-1.jsonl'), `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
  writeFileSync(join(dir, 'truth-1.jsonl'), `${labels.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const loaded = parseConfig(`version: 1
log_stores:
  - name: log
    kind: jsonl
    path: ${dir}/log-*.jsonl
    fields: {timestamp: ts, request_id: id, model: model, version: v, segment: seg, error: err, latency: lat, features: f, prediction: out.label, confidence: out.score, input_tokens: tin, output_tokens: tout, cost: cost, feedback: thumb, task_success: task, judge_verdict: judge, hallucination: hall, rating: rating}
  - name: truth
    kind: jsonl
    path: ${dir}/truth-*.jsonl
    fields: {timestamp: ts, request_id: id, label: label}
label_sources: [{name: truth, log_store: truth}]
models:
  - name: clf
    task: classification
    versions: [${VERSIONS.join(', ')}]
    segments: [${SEGMENTS.join(', ')}]
    log_store: log
    label_source: truth
    positive_class: fraud
    classes: [fraud, legit]
    protected_segments: [s1]
    features:
      - {name: amount, type: numeric, range: [0, 500]}
      - {name: age, type: numeric, range: [0, 36500]}
      - {name: merchant, type: categorical, categories: [a, b, c]}
      - {name: country, type: categorical, categories: [GB, US]}
  - name: chat
    task: llm
    versions: [${VERSIONS.join(', ')}]
    segments: [${SEGMENTS.join(', ')}]
    log_store: log
`, 'budget.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const model = loaded.model;
  const registry = new Registry();
  const policy = labelPolicy(model);
  const p = new IngestPipeline(model, { registry, policy, stateDir: mkdtempSync(join(tmpdir(), 'state-')), now: () => NOW });
  let samples = 0;
  beforeAll(async () => {
    await p.poll('log');
    await p.poll('truth');
    samples = (await registry.metrics()).split('\n').filter((l) => l && !l.startsWith('#')).length;
  });

  it('keeps every combination (nothing dropped) within the default series limit', () => {
    expect(Object.values(p.aggregates.droppedSeries).reduce((a, b) => a + b, 0)).toBe(0);
    // Every version and segment of both models is there: none folded into "other".
    const predictions = p.aggregates.seriesCounts().get('modelwatch_predictions_total');
    expect(predictions).toBe(2 * VERSIONS.length * SEGMENTS.length);
    console.log(`series budget: ${policy.budget.used} label sets of ${model.exporter.seriesLimit}; ${samples} samples of sample_limit ${model.prometheus.sampleLimit}`);
    expect(policy.budget.used).toBeLessThan(model.exporter.seriesLimit);
  });

  it('counts positive predictions per segment for fairness, as an offline count', () => {
    const offline = (records as { model: string; out?: { label: string } }[]).filter((r) => r.model === 'clf' && r.out?.label === 'fraud').length;
    const counted = p.aggregates.samples(M.positivePredictions).reduce((n, x) => n + x.value, 0);
    expect(counted).toBe(offline);
    expect(offline).toBeGreaterThan(0);
  });

  it('stays within the default scrape sample_limit', () => {
    expect(samples).toBeGreaterThan(policy.budget.used);
    expect(samples).toBeLessThan(model.prometheus.sampleLimit);
  });
});
