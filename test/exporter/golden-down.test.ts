// A golden run in which no case could even be scored is a failed poll of the golden source
// (source_up 0, the reason counted), not a healthy source with a pass ratio of 0.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFake, type FakeServer } from '../fakes/http.js';
import { sample, startHarness, type Harness } from './harness.js';

let api: FakeServer;
let h: Harness;

beforeAll(async () => {
  api = await startFake((req, _b, res) => {
    res.writeHead(req.url === '/v1/models' ? 200 : 400, { 'content-type': 'application/json' });
    res.end(req.url === '/v1/models' ? '{"data":[{"id":"m"}]}' : '{"error":{"message":"bad request"}}');
  });
  const dir = mkdtempSync(join(tmpdir(), 'golden-down-'));
  writeFileSync(join(dir, 'g.jsonl'), ['a', 'b', 'c'].map((id) => JSON.stringify({ id, input: 'hi', expected: 'x' })).join('\n') + '\n');
  h = await startHarness(`version: 1
models:
  - name: m
    task: llm
    endpoint: {protocol: openai, url: "${api.url}"}
    golden_set: {path: "${join(dir, 'g.jsonl')}", scorer: contains, interval: 1m}
`);
});
afterAll(async () => { await h.exporter.stop(); await api.close(); });

describe('a golden set that cannot run', () => {
  it('marks the golden source down with the reason, and counts each case once', async () => {
    await h.exporter.scheduler.pollAll();
    await h.exporter.exposition.refresh();
    const { text } = await h.scrape();
    expect(sample(text, 'modelwatch_source_up', { source: 'golden/m' })).toBe(0);
    expect(sample(text, 'modelwatch_source_errors_total', { source: 'golden/m', reason: 'client_error' })).toBe(1);
    expect(sample(text, 'modelwatch_golden_cases_total', { model: 'm', outcome: 'error' })).toBe(3);
  });
});
