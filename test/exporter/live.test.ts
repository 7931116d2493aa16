// The exporter running the example config, its endpoints replaced by local OIP v2 and
// OpenAI-compatible servers: the scrape passes promtool's lint, and every metric the generated
// rules and dashboards read from endpoint and golden-set sources is really exposed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, exposedSeriesNames } from '../../src/catalog/metrics.js';
import { loadConfig } from '../../src/config/index.js';
import { generateAll } from '../../src/generate/index.js';
import { collectExprs, metricNames } from '../exprs.js';
import type { FakeServer } from '../fakes/http.js';
import { authorizations, startOipServer, startOpenAiServer } from '../fakes/model-servers.js';
import { hasTool } from '../tools.js';
import { spawnSync } from 'node:child_process';
import { sampledNames, startHarness, type Harness } from './harness.js';

const CANARY = 'CANARY-7f3e-gateway-key';
let oip: FakeServer;
let openai: FakeServer;
let h: Harness;
let text: string;

beforeAll(async () => {
  process.env.LLM_GATEWAY_KEY = CANARY;
  oip = await startOipServer('fraud', ['2026-11-15']);
  openai = await startOpenAiServer('gpt-4.1-mini');
  const dir = mkdtempSync(join(tmpdir(), 'live-'));
  writeFileSync(join(dir, 'fraud.jsonl'), `${JSON.stringify({ input: [{ name: 'amount', shape: [1], datatype: 'FP32', data: [9000] }], expected: 'fraud' })}\n`);
  writeFileSync(join(dir, 'support.jsonl'), `${JSON.stringify({ input: 'reset password', expected: 'settings' })}\n`);
  const yaml = readFileSync('examples/modelwatch.yaml', 'utf8')
    .replace('http://fraud-model:8000', oip.url).replace('http://llm-gateway:8080', openai.url)
    .replace('golden/fraud.jsonl', join(dir, 'fraud.jsonl')).replace('golden/support.jsonl', join(dir, 'support.jsonl'));
  h = await startHarness(yaml);
  await h.exporter.scheduler.pollAll();
  await h.exporter.exposition.refresh();
  text = (await h.scrape()).text;
});

afterAll(async () => {
  delete process.env.LLM_GATEWAY_KEY;
  await h.exporter.stop();
  await oip.close();
  await openai.close();
});

describe('a live scrape of the example config', () => {
  it.skipIf(!hasTool('promtool'))('passes promtool check metrics', () => {
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('exposes every endpoint and golden-set metric the generated rules and dashboards read', () => {
    const loaded = loadConfig('examples/modelwatch.yaml');
    if (!loaded.ok) throw new Error('example must load');
    const fromThese = new Set(CATALOG.filter((m) => ['endpoint', 'golden'].includes(m.source) || ['modelwatch_source_up', 'modelwatch_source_poll_duration_seconds', 'modelwatch_model_info'].includes(m.name)).flatMap(exposedSeriesNames));
    const referenced = new Set(collectExprs(generateAll(loaded.model)).flatMap((e) => metricNames(e.expr).names).filter((n) => fromThese.has(n)));
    expect(referenced.size).toBeGreaterThanOrEqual(5);
    const exposed = sampledNames(text);
    expect([...referenced].filter((n) => !exposed.has(n))).toEqual([]);
  });

  it('sends the gateway key to the endpoint but never shows it in logs or on /metrics', () => {
    expect(authorizations).toContain(`Bearer ${CANARY}`);
    expect(text).not.toContain(CANARY);
    expect(h.logs.join('')).not.toContain(CANARY);
  });
});
