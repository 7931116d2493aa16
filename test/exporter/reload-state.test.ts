// A reload never loses the exporter nor resets what sources told it: a config that cannot run
// keeps the running one (reload gauge 0, a text answer), and a Retry-After, a backoff or an open
// breaker survives any number of reloads.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, type Model } from '../../src/config/index.js';
import { createLogger, startExporter, type RunningExporter } from '../../src/exporter/index.js';
import { startFake, type FakeServer } from '../fakes/http.js';
import { sample } from './harness.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let exporter: RunningExporter | undefined;
let api: FakeServer | undefined;
afterEach(async () => { await exporter?.stop(); await api?.close(); exporter = undefined; api = undefined; });

const load = (text: string): Model => {
  const r = parseConfig(text, 'reload.yaml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.model;
};
const quiet = () => createLogger('silent', new Writable({ write(_c, _e, done) { done(); } }));
const scrape = async () => (await fetch(`${exporter?.url}/metrics`)).text();

describe('reload', () => {
  it('keeps the running config when the new one cannot run, answers in text, and keeps polling', async () => {
    const good = load('version: 1\nmodels: [{name: alpha, task: llm}]\n');
    let next: Model = good;
    exporter = await startExporter(good, { logger: quiet(), port: 0, host: '127.0.0.1', stateDir: mkdtempSync(join(tmpdir(), 'rl-')), onReloadRequest: () => (exporter as RunningExporter).reload(next) });
    // A model serve cannot schedule (a probe timeout as long as its interval): the crash from the field.
    const base = load('version: 1\nmodels: [{name: beta, task: llm, endpoint: {protocol: http, url: "http://127.0.0.1:9", interval: 2s, timeout: 1s}}]\n');
    next = { ...base, models: base.models.map((m) => ({ ...m, endpoint: m.endpoint && { ...m.endpoint, timeoutSeconds: 2 } })) };
    const res = await fetch(`${exporter.url}/-/reload`, { method: 'POST' });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).not.toMatch(/<html|at .*\.ts:/i);
    const text = await scrape();
    expect(sample(text, 'modelwatch_config_last_reload_successful')).toBe(0);
    expect(text).toContain('model="alpha"');
    expect(text).not.toContain('model="beta"');
    next = good;
    expect((await fetch(`${exporter.url}/-/reload`, { method: 'POST' })).status).toBe(200);
    expect(sample(await scrape(), 'modelwatch_config_last_reload_successful')).toBe(1);
  });

  it('honours a Retry-After across ten reloads: the API that asked for 120 s hears nothing more', async () => {
    api = await startFake((_req, _body, res) => { res.writeHead(429, { 'retry-after': '120' }); res.end(); });
    const model = load(`version: 1\nbilling: [{name: costs, provider: generic, url: "${api.url}/costs", interval: 10s, mapping: {day: day, amount: amount}}]\nmodels: [{name: m, task: llm}]\n`);
    exporter = await startExporter(model, { logger: quiet(), port: 0, host: '127.0.0.1', stateDir: mkdtempSync(join(tmpdir(), 'rl-')) });
    // The 429 has been handled: the next poll is 120 s away.
    await expect.poll(() => exporter?.scheduler.plannedDelayMs('billing/costs') ?? 0, { timeout: 5000 }).toBeGreaterThan(100_000);
    expect(api.requests).toHaveLength(1);
    for (let i = 0; i < 10; i++) expect(await exporter.reload(model)).toBe(true);
    // Without the hand-over, each reload schedules a first poll within about a second.
    await new Promise((r) => setTimeout(r, 2500));
    expect(api.requests).toHaveLength(1);
    expect(exporter.scheduler.plannedDelayMs('billing/costs')).toBeGreaterThan(100_000);
  });
});
