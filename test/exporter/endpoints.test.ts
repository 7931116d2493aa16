// Endpoint probes and golden sets against local servers that follow the Open Inference
// Protocol v2 and the OpenAI-compatible API (APIS.md §4, §8).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../fakes/http.js';
import { startOipServer, startOpenAiServer } from '../fakes/model-servers.js';
import { sample, startHarness, type Harness } from './harness.js';

let oip: FakeServer;
let openai: FakeServer;
let h: Harness;

beforeAll(async () => {
  oip = await startOipServer('fraud', ['1', '2']);
  openai = await startOpenAiServer('gpt-test');
  const dir = mkdtempSync(join(tmpdir(), 'golden-'));
  writeFileSync(join(dir, 'fraud.jsonl'), [
    { id: 'big', input: [{ name: 'amount', shape: [1], datatype: 'FP32', data: [5000] }], expected: 'fraud' },
    { id: 'small', input: [{ name: 'amount', shape: [1], datatype: 'FP32', data: [20] }], expected: 'legit' },
    { id: 'wrong', input: [{ name: 'amount', shape: [1], datatype: 'FP32', data: [20] }], expected: 'fraud' },
    { id: 'broken', input: [{ name: 'nothing', shape: [1], datatype: 'FP32', data: [1] }], expected: 'legit' },
  ].map((c) => JSON.stringify(c)).join('\n'));
  writeFileSync(join(dir, 'chat.jsonl'), `${JSON.stringify({ input: 'How do I reset my password?', expected: 'settings' })}\n`);
  h = await startHarness(`version: 1
models:
  - name: fraud-classifier
    task: classification
    versions: ["1", "2"]
    endpoint: {protocol: oip_v2, url: "${oip.url}", model_name: fraud, interval: 10s, timeout: 2s}
    golden_set: {path: "${join(dir, 'fraud.jsonl')}", scorer: exact, interval: 1m}
  - name: assistant
    task: llm
    endpoint: {protocol: openai, url: "${openai.url}", model_name: gpt-test, interval: 10s, timeout: 2s}
    golden_set: {path: "${join(dir, 'chat.jsonl')}", scorer: contains, interval: 1m}
`);
  await h.exporter.scheduler.pollAll();
  await h.exporter.exposition.refresh();
});

afterAll(async () => {
  await h.exporter.stop();
  await oip.close();
  await openai.close();
});

describe('an Open Inference Protocol v2 endpoint', () => {
  it('is ready when the server and the model answer 200', async () => {
    const { text } = await h.scrape();
    expect(sample(text, 'modelwatch_endpoint_up', { model: 'fraud-classifier' })).toBe(1);
    expect(sample(text, 'modelwatch_source_up', { source: 'endpoint/fraud-classifier' })).toBe(1);
    expect(oip.requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/v2/health/ready', '/v2/models/fraud/ready', '/v2/models/fraud']));
  });

  it('reports the version from model metadata in model_info', async () => {
    const { text } = await h.scrape();
    expect(sample(text, 'modelwatch_model_info', { model: 'fraud-classifier', version: '2' })).toBe(1);
    expect(sample(text, 'modelwatch_model_info', { model: 'fraud-classifier', version: 'unknown' })).toBeUndefined();
  });

  it('scores the golden set per version: 2 pass, 1 fail, 1 error', async () => {
    const { text } = await h.scrape();
    const labels = { model: 'fraud-classifier', version: '2' };
    expect(sample(text, 'modelwatch_golden_cases_total', { ...labels, outcome: 'pass' })).toBe(2);
    expect(sample(text, 'modelwatch_golden_cases_total', { ...labels, outcome: 'fail' })).toBe(1);
    expect(sample(text, 'modelwatch_golden_cases_total', { ...labels, outcome: 'error' })).toBe(1);
    expect(sample(text, 'modelwatch_golden_pass_ratio', labels)).toBe(0.5);
    expect(sample(text, 'modelwatch_golden_case_duration_seconds_count', { model: 'fraud-classifier' })).toBe(4);
    expect(sample(text, 'modelwatch_golden_last_run_timestamp_seconds', { model: 'fraud-classifier' })).toBeGreaterThan(Date.now() / 1000 - 60);
  });
});

describe('an OpenAI-compatible endpoint', () => {
  it('is ready when /v1/models lists the model and the canary completion answers', async () => {
    const { text } = await h.scrape();
    expect(sample(text, 'modelwatch_endpoint_up', { model: 'assistant' })).toBe(1);
    expect(openai.requests.some((r) => r.path === '/v1/chat/completions' && r.body.includes('single word'))).toBe(true);
  });

  it('counts the canary usage in token counters', async () => {
    const { text } = await h.scrape();
    expect(sample(text, 'modelwatch_canary_input_tokens_total', { model: 'assistant' })).toBe(12);
    expect(sample(text, 'modelwatch_canary_output_tokens_total', { model: 'assistant' })).toBe(1);
  });

  it('scores a chat golden set with the contains scorer', async () => {
    const { text } = await h.scrape();
    expect(sample(text, 'modelwatch_golden_pass_ratio', { model: 'assistant', version: 'unknown' })).toBe(1);
  });
});

describe('the HTTP surface', () => {
  it('serves Prometheus text 0.0.4 by default with an exact content type', async () => {
    const r = await h.scrape();
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('serves OpenMetrics when Prometheus 3 asks for it', async () => {
    const accept = 'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1';
    const r = await h.scrape({ accept });
    expect(r.type).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(r.text.trimEnd().endsWith('# EOF')).toBe(true);
    expect(r.text).toContain('# TYPE modelwatch_golden_cases counter');
    expect(r.text).toContain('modelwatch_golden_cases_total{');
  });

  it('keeps _total on counters in Prometheus text after an OpenMetrics render', async () => {
    await h.scrape({ accept: 'application/openmetrics-text;version=1.0.0' });
    await h.exporter.exposition.refresh();
    const { text } = await h.scrape();
    expect(text).toContain('# TYPE modelwatch_golden_cases_total counter');
    expect(sample(text, 'modelwatch_golden_cases_total', { model: 'assistant', outcome: 'pass' })).toBe(1);
  });

  it('gzips when asked, from the cache', async () => {
    const res = await fetch(`${h.exporter.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.text()).toContain('modelwatch_endpoint_up');
  });

  it('renders once per refresh, never per scrape', async () => {
    await h.exporter.exposition.refresh();
    const before = h.exporter.exposition.renderCount;
    await Promise.all(Array.from({ length: 8 }, () => h.scrape()));
    expect(h.exporter.exposition.renderCount).toBe(before);
  });

  it('links everything from the landing page and reports health and readiness', async () => {
    const landing = await (await fetch(`${h.exporter.url}/`)).text();
    for (const link of ['metrics', 'healthz', 'readyz']) expect(landing).toContain(`href="${link}"`);
    expect((await fetch(`${h.exporter.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.exporter.url}/readyz`)).status).toBe(200);
  });
});
