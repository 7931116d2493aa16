// Billing sources against local servers following the documented APIs: pagination, dollars
// versus cents, revised buckets replacing (never adding to) the previous value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicBilling, startOpenAiBilling, type Ledger } from '../fakes/billing.js';
import { json, startFake, type FakeServer } from '../fakes/http.js';
import { sample, startHarness, type Harness } from './harness.js';

const openaiLedger: Ledger = { costs: { 0: 12.5, 1: 40, 3: 20, 9: 100 }, tokens: { 0: { input: 1000, output: 200 }, 1: { input: 5000, output: 900 } } };
const anthropicLedger: Ledger = { costs: { 0: 1.2345, 2: 3 }, tokens: { 0: { input: 700, output: 70 } } };
let openai: FakeServer;
let anthropic: FakeServer;
let chargeback: FakeServer;
let h: Harness;

beforeAll(async () => {
  process.env.TEST_OPENAI_ADMIN = 'sk-admin-test';
  process.env.TEST_ANTHROPIC_ADMIN = 'sk-ant-admin-test';
  openai = await startOpenAiBilling(openaiLedger, 'sk-admin-test');
  anthropic = await startAnthropicBilling(anthropicLedger, 'sk-ant-admin-test');
  // An internal chargeback export: cents, two pages linked by a relative next URL.
  const day = new Date().toISOString().slice(0, 10);
  chargeback = await startFake((req, _body, res) => {
    const second = (req.url ?? '').includes('page=2');
    json(res, 200, second
      ? { result: { rows: [{ date: day, cents: 250, team: 'search', sku: 'gpu-hours' }] } }
      : { result: { rows: [{ date: day, cents: 1000, team: 'search', sku: 'gpu-hours' }] }, links: { next: '/export?page=2' } });
  });
  h = await startHarness(`version: 1
billing:
  - {name: openai, provider: openai, url: "${openai.url}", api_key: {env: TEST_OPENAI_ADMIN}, monthly_budget_usd: 500, projects: [proj_support]}
  - {name: claude, provider: anthropic, url: "${anthropic.url}", api_key: {env: TEST_ANTHROPIC_ADMIN}}
  - {name: chargeback, provider: generic, url: "${chargeback.url}/export", mapping: {items: result.rows, day: date, amount: cents, amount_unit: cents, project: team, line_item: sku, next: links.next}}
prices: {as_of: "2026-11-01", models: [{model: gpt-4.1-mini, input_per_mtok: 0.4, output_per_mtok: 1.6}, {model: claude-sonnet, input_per_mtok: 3, output_per_mtok: 15}]}
models: [{name: assistant, task: llm, billing_model: gpt-4.1-mini}]
`);
  await h.exporter.scheduler.pollAll();
  await h.exporter.exposition.refresh();
});

afterAll(async () => {
  await h.exporter.stop();
  await openai.close();
  await anthropic.close();
  await chargeback.close();
});

const cost = (text: string, source: string, period: string) => sample(text, 'modelwatch_billing_cost_usd', { source, period });

describe('the OpenAI Costs and Usage APIs', () => {
  it('follows pagination to read every bucket', () => {
    // The first poll (before any test) read both pages; a later test may poll again.
    expect(openai.requests.filter((r) => r.path.startsWith('/organization/costs')).map((r) => new URL(r.path, 'http://x').searchParams.get('page')).slice(0, 2)).toEqual([null, 'p2']);
  });

  it('reports dollars per period', async () => {
    const { text } = await h.scrape();
    expect(cost(text, 'openai', 'today')).toBe(12.5);
    expect(cost(text, 'openai', 'yesterday')).toBe(40);
    expect(cost(text, 'openai', 'trailing_7d')).toBe(60);
    expect(sample(text, 'modelwatch_billing_tokens', { source: 'openai', period: 'today', token_type: 'output' })).toBe(200);
    expect(sample(text, 'modelwatch_billing_budget_usd', { source: 'openai' })).toBe(500);
  });

  it('replaces a revised bucket instead of adding it again', async () => {
    const before = openaiLedger.costs[0];
    openaiLedger.costs[0] = 15;
    try {
      await h.exporter.scheduler.pollAll();
      await h.exporter.exposition.refresh();
      const { text } = await h.scrape();
      expect(cost(text, 'openai', 'today')).toBe(15);
      expect(cost(text, 'openai', 'trailing_7d')).toBe(60);
    } finally {
      // Put the ledger back as the other tests expect it, in whatever order they run.
      openaiLedger.costs[0] = before as number;
      await h.exporter.scheduler.pollAll();
      await h.exporter.exposition.refresh();
    }
  });
});

describe('the Anthropic cost and usage reports', () => {
  it('converts cent strings to dollars', async () => {
    const { text } = await h.scrape();
    expect(cost(text, 'claude', 'today')).toBeCloseTo(1.2345, 10);
    expect(sample(text, 'modelwatch_billing_tokens', { source: 'claude', period: 'today', token_type: 'input' })).toBe(700);
  });
});

describe('a generic JSON billing source', () => {
  it('maps rows by config, follows next links and converts cents', async () => {
    const { text } = await h.scrape();
    expect(cost(text, 'chargeback', 'today')).toBe(12.5);
    expect(chargeback.requests.slice(0, 2).map((r) => r.path)).toEqual([expect.stringMatching(/^\/export\?start_date=\d{4}-\d{2}-\d{2}$/), '/export?page=2']);
  });
});

describe('a rate-limited billing API', () => {
  it('is marked down with reason rate_limited and not called again for the Retry-After', async () => {
    const limited = await startFake((_req, _body, res) => json(res, 429, { error: { message: 'rate limited' } }, { 'retry-after': '120' }));
    const timed = await startHarness(`version: 1
billing: [{name: openai, provider: openai, url: "${limited.url}", api_key: {env: TEST_OPENAI_ADMIN}, interval: 2s}]
models: [{name: a, task: llm}]
`, { start: true });
    try {
      await expect.poll(() => timed.exporter.scheduler.plannedDelayMs('billing/openai') ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(120_000);
      await timed.exporter.exposition.refresh();
      const { text } = await timed.scrape();
      expect(sample(text, 'modelwatch_source_errors_total', { source: 'billing/openai', reason: 'rate_limited' })).toBe(1);
      expect(sample(text, 'modelwatch_source_up', { source: 'billing/openai' })).toBe(0);
      expect(limited.requests.length).toBe(1);
    } finally {
      await timed.exporter.stop();
      await limited.close();
    }
  });
});

describe('a rotated admin key file', () => {
  it('is used from the next poll on, without a restart', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const keyFile = join(mkdtempSync(join(tmpdir(), 'key-')), 'openai_admin_key');
    writeFileSync(keyFile, 'sk-admin-old\n');
    const seen: string[] = [];
    const api = await startFake((req, _body, res) => {
      seen.push(String(req.headers.authorization));
      json(res, 200, { object: 'page', data: [], has_more: false, next_page: null });
    });
    const rotated = await startHarness(`version: 1
billing: [{name: openai, provider: openai, url: "${api.url}", api_key: {file: ${keyFile}}}]
models: [{name: a, task: llm}]
`);
    try {
      await rotated.exporter.scheduler.pollAll();
      writeFileSync(keyFile, 'sk-admin-new\n');
      await rotated.exporter.scheduler.pollAll();
      expect(seen[0]).toBe('Bearer sk-admin-old');
      expect(seen.at(-1)).toBe('Bearer sk-admin-new');
    } finally {
      await rotated.exporter.stop();
      await api.close();
    }
  });
});
