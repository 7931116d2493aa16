// Credentials go to the configured host only. fetch strips Authorization on a cross-origin
// redirect but not x-api-key; a paginated generic billing API names its own next URL. A second
// local server (another origin: another port) records every header that reaches it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingSource } from '../../src/config/index.js';
import { pollBilling } from '../../src/sources/billing.js';
import { SourceError } from '../../src/sources/errors.js';
import { startFake, type FakeServer } from '../fakes/http.js';

const KEY = 'sk-ant-admin-canary-7f3a';
let elsewhere: FakeServer;
let api: FakeServer;
const seen: Record<string, string | string[] | undefined>[] = [];
const atApi: Record<string, string | string[] | undefined>[] = [];

beforeAll(async () => {
  elsewhere = await startFake((req, _body, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"data":[],"has_more":false}');
  });
  api = await startFake((req, _body, res) => {
    atApi.push(req.headers);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/v1/organizations/')) {
      // Anthropic moved: a cross-origin redirect, as a compromised or misconfigured proxy could send.
      res.writeHead(307, { location: `${elsewhere.url}${url.pathname}${url.search}` });
      return res.end();
    }
    if (url.pathname === '/same-origin-hop') { res.writeHead(302, { location: '/costs?start_date=x' }); return res.end(); }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: [{ day: '2026-11-28', amount: 1 }], next: req.headers.authorization ? `${elsewhere.url}/page2` : null }));
  });
});
afterAll(async () => { await api.close(); await elsewhere.close(); });

const source = (o: Partial<BillingSource>): BillingSource => ({
  name: 'b', provider: 'generic', url: api.url, apiKey: { env: 'REDIRECT_TEST_KEY' }, intervalSeconds: 3600, monthlyBudgetUsd: null, projects: [],
  mapping: { day: 'day', amount: 'amount', next: 'next' }, ...o,
});

describe('credentials and other hosts', () => {
  it('never carries x-api-key across a cross-origin redirect', async () => {
    process.env.REDIRECT_TEST_KEY = KEY;
    seen.length = 0;
    await pollBilling(source({ provider: 'anthropic', mapping: null }), Date.now() / 1000, AbortSignal.timeout(5000));
    expect(seen.length).toBeGreaterThan(0);
    for (const h of seen) {
      expect(JSON.stringify(h)).not.toContain(KEY);
      expect(h['x-api-key']).toBeUndefined();
    }
  });

  it('refuses a generic billing next page on another host, and never sends it the token', async () => {
    process.env.REDIRECT_TEST_KEY = KEY;
    seen.length = 0;
    const failure = await pollBilling(source({}), Date.now() / 1000, AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SourceError);
    expect((failure as SourceError).message).toMatch(/another host/);
    expect(seen).toHaveLength(0);
  });

  it('keeps the credentials on a same-origin redirect', async () => {
    process.env.REDIRECT_TEST_KEY = KEY;
    const r = await pollBilling(source({ url: `${api.url}/same-origin-hop`, mapping: { day: 'day', amount: 'amount' } }), Date.now() / 1000, AbortSignal.timeout(5000));
    expect(r.costs).toHaveLength(1);
    expect(atApi.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
  });
});
