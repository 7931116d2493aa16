// validate <=> serve <=> upstream tools: for generated configs (seeded), whatever `validate`
// accepts must start as `serve` (every source scheduled and polled once, /metrics answering) and
// must generate a bundle that promtool (config, rules) and amtool (config) accept. Time zones are
// drawn from real names, case variants, typos and Go's special names, so the IANA check is
// compared against amtool's own (Go time.LoadLocation) verdict.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import { createLogger, startExporter } from '../src/exporter/index.js';
import { generateAll, writeArtifacts } from '../src/generate/index.js';
import { hasTool, run } from './tools.js';

// Mostly runnable durations, sometimes ones that must be refused (0s, sub-second polls).
const duration = fc.oneof({ arbitrary: fc.constantFrom('0s', '500ms'), weight: 1 }, { arbitrary: fc.constantFrom('1s', '2s', '5s', '10s', '12s', '15s', '30s', '1m', '1h'), weight: 8 });
const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'America/NewYork', 'america/new_york', 'Asia/Kolkata', 'Asia/Calcutta', 'Local', 'Europe/Lond0n', 'US/Pacific', 'Etc/GMT+5', 'Australia/Lord_Howe'];
const REFUSED = 'http://127.0.0.1:9';
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const configArb = (dir: string) => fc.record({
  location: fc.constantFrom(...ZONES),
  scrape: opt(duration),
  evaluation: opt(duration),
  endpointInterval: opt(duration),
  endpointTimeout: opt(duration),
  goldenInterval: opt(duration),
  storeInterval: opt(duration),
  billingInterval: opt(duration),
  driftWindow: opt(duration),
  digest: opt(duration),
  task: fc.constantFrom('classification', 'regression', 'llm'),
}).map((c) => {
  const drop = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return {
    version: 1,
    exporter: { state_dir: join(dir, 'state') },
    prometheus: drop({ scrape_interval: c.scrape, evaluation_interval: c.evaluation }),
    alerting: drop({ business_hours: { location: c.location }, digest_interval: c.digest, receivers: { webhook: { url: `${REFUSED}/hook` } } }),
    log_stores: [drop({ name: 'logs', kind: 'jsonl', path: join(dir, 'logs', '*.jsonl'), interval: c.storeInterval, fields: { timestamp: 'ts', model: 'model', prediction: 'p' } })],
    billing: [drop({ name: 'bill', provider: 'generic', url: `${REFUSED}/costs`, interval: c.billingInterval, mapping: { day: 'day', amount: 'amount' } })],
    models: [drop({
      name: 'm', task: c.task, log_store: 'logs', drift_window: c.driftWindow,
      endpoint: drop({ protocol: 'http', url: REFUSED, interval: c.endpointInterval, timeout: c.endpointTimeout }),
      golden_set: drop({ path: join(dir, 'golden.jsonl'), scorer: 'exact', interval: c.goldenInterval }),
    })],
  };
});

const have = hasTool('promtool') && hasTool('amtool');

describe.runIf(have)('validate <=> serve <=> promtool/amtool', () => {
  it('every accepted config serves and passes the upstream tools; every zone amtool refuses, validate refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prop-'));
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'golden.jsonl'), '{"id":"a","input":"x","expected":"y"}\n');
    const logger = createLogger('silent');
    let accepted = 0;
    let refused = 0;
    await fc.assert(fc.asyncProperty(configArb(dir), async (config) => {
      const text = yaml.dump(config);
      const file = join(dir, 'modelwatch.yaml');
      const loaded = parseConfig(text, file);
      const out = mkdtempSync(join(dir, 'bundle-'));
      if (!loaded.ok) {
        refused++;
        // The other direction, for time zones: a zone Go cannot load is never accepted.
        return;
      }
      accepted++;
      writeArtifacts(out, generateAll(loaded.model, { outDir: out }));
      const prom = run('promtool', ['check', 'config', join(out, 'prometheus', 'prometheus.yml')]);
      expect(prom.code, `${text}\n${prom.out}`).toBe(0);
      const am = run('amtool', ['check-config', join(out, 'alertmanager', 'alertmanager.yml')]);
      expect(am.code, `${text}\n${am.out}`).toBe(0);
      const exporter = await startExporter(loaded.model, { logger, port: 0, host: '127.0.0.1', stateDir: join(out, 'state') });
      try {
        await exporter.scheduler.pollAll();
        const res = await fetch(`${exporter.url}/metrics`);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('modelwatch_source_up');
        expect((await fetch(`${exporter.url}/readyz`)).status).toBe(200);
      } finally {
        await exporter.stop();
      }
    }), { seed: 20261129, numRuns: 150 });
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it.each(ZONES)('time zone %s: validate accepts it only if Alertmanager loads it', (zone) => {
    const text = `version: 1\nalerting:\n  business_hours: {location: "${zone}"}\n  receivers: {webhook: {url: "http://x.example/h"}}\nmodels: [{name: m, task: llm}]\n`;
    const loaded = parseConfig(text, 'z.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'zone-'));
    const am = yaml.dump({ route: { receiver: 'r' }, receivers: [{ name: 'r' }], time_intervals: [{ name: 't', time_intervals: [{ location: zone }] }] });
    writeFileSync(join(dir, 'am.yml'), am);
    const amtool = run('amtool', ['check-config', join(dir, 'am.yml')]);
    if (loaded.ok) expect(amtool.code, `${zone}: validate accepts it, amtool says ${amtool.out}`).toBe(0);
    if (amtool.code !== 0) expect(loaded.ok, zone).toBe(false);
    if (zone === 'America/NewYork') expect(loaded.ok ? [] : loaded.errors.join('\n')).toMatch(/did you mean "America\/New_York"/);
  });
});
