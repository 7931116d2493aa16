// Faults, one per source: connection refused, no answer, 500s, 429 with Retry-After: 120,
// malformed JSON, a 100 MB body. /metrics keeps answering, the failing source reports _up 0
// after one poll with a typed reason, the healthy source stays fresh, nothing is unhandled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeServer } from '../fakes/http.js';
import { FAULTS, startOipServer } from '../fakes/model-servers.js';
import { sample, startHarness, type Harness } from './harness.js';
import { freePort } from '../tools.js';

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
let servers: Record<string, FakeServer>;
let refusedUrl: string;
let h: Harness;

/** A loopback port with nothing listening on it. */
const closedPort = async () => `http://127.0.0.1:${await freePort()}`;

const endpoint = (name: string, url: string) =>
  `  - name: ${name}\n    task: classification\n    endpoint: {protocol: oip_v2, url: "${url}", model_name: fraud, interval: 30s, timeout: 1s}\n`;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  servers = {
    healthy: await startOipServer('fraud', ['1']),
    err500: await FAULTS.serverError(),
    limited: await FAULTS.rateLimited(),
    malformed: await FAULTS.malformed(),
    hanging: await FAULTS.hanging(),
    huge: await FAULTS.huge(),
  };
  refusedUrl = await closedPort();
  const models = Object.entries(servers).map(([name, s]) => endpoint(name, s.url)).join('') + endpoint('refused', refusedUrl);
  h = await startHarness(`version: 1\nmodels:\n${models}`);
  // The first poll, once, before any test: every test reads what it left (alone or in any order).
  const polling = h.exporter.scheduler.pollAll();
  let settled = false;
  void polling.then(() => { settled = true; });
  const during = await h.scrape();
  duringPoll = { status: during.status, settled };
  await polling;
  await h.exporter.exposition.refresh();
  afterFirst = { text: (await h.scrape()).text, err500: servers.err500!.requests.length, limited: servers.limited!.requests.length, huge: servers.huge!.requests.length, logs: [...h.logs], unhandled: [...unhandled] };
});

let duringPoll: { status: number; settled: boolean };
let afterFirst: { text: string; err500: number; limited: number; huge: number; logs: string[]; unhandled: unknown[] };

afterAll(async () => {
  await h.exporter.stop();
  await Promise.all(Object.values(servers).map((s) => s.close()));
  process.off('unhandledRejection', onUnhandled);
});

describe('with one healthy and six failing sources', () => {
  it('answers /metrics while the hanging source is still being polled', () => {
    expect(duringPoll).toEqual({ status: 200, settled: false });
  });

  // Probe failures count attempts (transient failures are retried once within the cycle);
  // source errors count failed cycles.
  it.each([
    ['refused', 'connection_refused', 2],
    ['hanging', 'timeout', 1],
    ['err500', 'server_error', 2],
    ['limited', 'rate_limited', 1],
    ['malformed', 'malformed_body', 1],
    ['huge', 'too_large', 1],
  ])('marks %s down after one poll with reason %s', (model, reason, attempts) => {
    const { text } = afterFirst;
    expect(sample(text, 'modelwatch_source_up', { source: `endpoint/${model}` })).toBe(0);
    expect(sample(text, 'modelwatch_endpoint_up', { model })).toBe(0);
    expect(sample(text, 'modelwatch_source_errors_total', { source: `endpoint/${model}`, reason })).toBe(1);
    expect(sample(text, 'modelwatch_endpoint_probe_failures_total', { model, reason })).toBe(attempts);
  });

  it('keeps the healthy source up and fresh', () => {
    const { text } = afterFirst;
    expect(sample(text, 'modelwatch_source_up', { source: 'endpoint/healthy' })).toBe(1);
    expect(sample(text, 'modelwatch_source_last_success_timestamp_seconds', { source: 'endpoint/healthy' })).toBeGreaterThan(Date.now() / 1000 - 30);
  });

  it('retries a 500 once within the cycle, and a 429 never', () => {
    expect(afterFirst.err500).toBe(2);
    expect(afterFirst.limited).toBe(1);
  });

  it('stops reading the 100 MB body at the 16 MiB cap', () => {
    expect(process.memoryUsage().rss).toBeLessThan(1024 * 1024 * 1024);
    expect(afterFirst.huge).toBeLessThanOrEqual(2);
  });

  it('has no unhandled rejection and logs each failure with its reason', () => {
    expect(afterFirst.unhandled).toEqual([]);
    const failures = afterFirst.logs.map((l) => JSON.parse(l) as { msg: string; reason?: string; source?: string }).filter((l) => l.msg === 'poll failed');
    expect(failures.map((f) => f.source).sort()).toEqual(['endpoint/err500', 'endpoint/hanging', 'endpoint/huge', 'endpoint/limited', 'endpoint/malformed', 'endpoint/refused']);
  });

  it('opens the circuit after 5 failed cycles and stops calling the source', async () => {
    for (let i = 0; i < 4; i++) await h.exporter.scheduler.pollAll();
    const calls = servers.err500!.requests.length;
    await h.exporter.scheduler.pollAll();
    await h.exporter.exposition.refresh();
    const { text } = await h.scrape();
    expect(servers.err500!.requests.length).toBe(calls);
    expect(sample(text, 'modelwatch_source_circuit_open', { source: 'endpoint/err500' })).toBe(1);
    expect(sample(text, 'modelwatch_source_errors_total', { source: 'endpoint/err500', reason: 'circuit_open' })).toBe(1);
    expect(sample(text, 'modelwatch_source_circuit_open', { source: 'endpoint/healthy' })).toBe(0);
  });
});

describe('Retry-After', () => {
  it('skips cycles for 120 s instead of sleeping, above the SDKs\' 60 s cap', async () => {
    const limited = await FAULTS.rateLimited();
    const timed = await startHarness(`version: 1\nmodels:\n${endpoint('limited', limited.url).replace('interval: 30s', 'interval: 2s')}`, { start: true });
    try {
      await expect.poll(() => timed.exporter.scheduler.plannedDelayMs('endpoint/limited') ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(120_000);
      expect(limited.requests.length).toBe(1);
    } finally {
      await timed.exporter.stop();
      await limited.close();
    }
  });
});
