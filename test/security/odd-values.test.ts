// Odd numbers from upstream never become metrics: a billing cost that is not a number or a token
// count below zero fails the poll (invalid_output) instead of being exposed with source_up 1; a
// canary's negative or non-numeric token usage is left out instead of failing the probe (which
// would page for an endpoint that is fine) or turning a counter into NaN.
import { afterEach, describe, expect, it } from 'vitest';
import type { BillingSource, Endpoint } from '../../src/config/index.js';
import { pollBilling } from '../../src/sources/billing.js';
import { probeEndpoint } from '../../src/sources/endpoint.js';
import { SourceError } from '../../src/sources/errors.js';
import { startFake, type FakeServer } from '../fakes/http.js';

let api: FakeServer | undefined;
afterEach(async () => { await api?.close(); api = undefined; });
const json = (body: unknown) => startFake((_q, _b, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); });

const generic = (url: string): BillingSource => ({ name: 'g', provider: 'generic', url, apiKey: null, intervalSeconds: 3600, monthlyBudgetUsd: null, projects: [], mapping: { day: 'day', amount: 'amount' } });

describe('odd upstream values', () => {
  it.each([['a string', 'abc'], ['Infinity', '1e999'], ['an empty amount', null]])('refuses a billing cost that is %s', async (_name, amount) => {
    api = await json({ data: [{ day: '2026-11-28', amount }] });
    const e = await pollBilling(generic(api.url), Date.now() / 1000, AbortSignal.timeout(5000)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SourceError);
    expect((e as SourceError).reason).toBe('invalid_output');
  });

  it('keeps a negative cost: a credit or a refund', async () => {
    api = await json({ data: [{ day: '2026-11-28', amount: -12.5 }] });
    const r = await pollBilling(generic(api.url), Date.now() / 1000, AbortSignal.timeout(5000));
    expect(r.costs[0]?.usd).toBe(-12.5);
  });

  it('refuses negative token counts from a usage report', async () => {
    const start = Math.floor(Date.now() / 86_400_000) * 86_400;
    api = await startFake((req, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const usage = req.url?.includes('/usage/') ? [{ start_time: start, results: [{ project_id: 'p', model: 'gpt-x', input_tokens: -5, output_tokens: 3 }] }] : [];
      res.end(JSON.stringify({ data: usage, has_more: false }));
    });
    process.env.ODD_KEY = 'k';
    const e = await pollBilling({ ...generic(api.url), provider: 'openai', apiKey: { env: 'ODD_KEY' }, mapping: null }, Date.now() / 1000, AbortSignal.timeout(5000)).catch((x: unknown) => x);
    expect((e as SourceError).reason).toBe('invalid_output');
  });

  it.each([['negative', -3], ['a string', '12'], ['fractional', 1.5]])('leaves out canary usage that is %s, and the endpoint stays up', async (_name, tokens) => {
    api = await startFake((req, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/v1/models' ? { data: [{ id: 'm' }] } : { choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: tokens, completion_tokens: 1 } }));
    });
    const endpoint: Endpoint = { protocol: 'openai', url: api.url, modelName: 'm', healthPath: '/health', intervalSeconds: 30, timeoutSeconds: 5, apiKey: null, metricsUrl: null, server: null, gpuExporter: null };
    const r = await probeEndpoint(endpoint, AbortSignal.timeout(5000));
    expect(r.usage).toBeNull();
  });
});
