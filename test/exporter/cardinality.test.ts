// The cardinality budget: a per-metric cap and a global series limit, with every refused series
// counted, and the series each metric holds exposed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { sample, startHarness, type Harness } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'card-'));
const versions = Array.from({ length: 30 }, (_, i) => `v${i}`);
let h: Harness;

beforeAll(async () => {
  writeFileSync(join(dir, 'p-1.jsonl'), `${versions.map((v, i) => JSON.stringify({ id: i, model: 'm', v })).join('\n')}\n`);
  h = await startHarness(`version: 1
exporter: {series_per_metric: 10}
log_stores: [{name: p, kind: jsonl, path: ${join(dir, 'p-*.jsonl')}, fields: {request_id: id, model: model, version: v}}]
models: [{name: m, task: llm, log_store: p, versions: [${versions.join(', ')}]}]
`);
  await h.exporter.scheduler.pollAll();
  await h.exporter.exposition.refresh();
});

afterAll(() => h.exporter.stop());

describe('the cardinality budget', () => {
  it('caps a metric at series_per_metric and counts what it refused', async () => {
    const { text } = await h.scrape();
    expect(sample(text, 'modelwatch_series', { metric: 'modelwatch_predictions_total' })).toBe(10);
    expect(sample(text, 'modelwatch_series_dropped_total', { metric: 'modelwatch_predictions_total' })).toBe(20);
    expect(text.split('\n').filter((l) => l.startsWith('modelwatch_predictions_total{')).length).toBe(10);
    expect(sample(text, 'modelwatch_series_limit')).toBe(40_000);
  });

  it('requires the series limit to stay below the scrape sample_limit', () => {
    const r = parseConfig('version: 1\nexporter: {series_limit: 60000}\nmodels: [{name: a, task: llm}]\n', 'c.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toContain('exporter.series_limit: 60000 must be below prometheus.sample_limit (50000)');
  });
});

describe('the global series limit', () => {
  it('refuses new series once the exporter holds series_limit', async () => {
    const small = await startHarness(`version: 1
exporter: {series_limit: 100}
prometheus: {sample_limit: 200}
log_stores: [{name: p, kind: jsonl, path: ${join(dir, 'p-*.jsonl')}, fields: {request_id: id, model: model, version: v}}]
models: [{name: m, task: llm, log_store: p, versions: [${versions.join(', ')}]}]
`);
    try {
      await small.exporter.scheduler.pollAll();
      await small.exporter.exposition.refresh();
      const { text } = await small.scrape();
      const held = text.split('\n').filter((l) => l.startsWith('modelwatch_series{')).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
      // Bookkeeping series (modelwatch_series itself) may exceed the limit; nothing else does.
      const own = text.split('\n').filter((l) => l.startsWith('modelwatch_series{metric="modelwatch_series"')).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
      expect(held - own).toBeLessThanOrEqual(100);
      expect(text).toMatch(/modelwatch_series_dropped_total\{metric="[a-z_]+"\} [1-9]/);
    } finally {
      await small.exporter.stop();
    }
  });
});
