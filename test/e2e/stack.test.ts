// End to end on the real servers: the demo and its exporter, the real `prometheus` and
// `prometheus-alertmanager` (Debian) on the generated bundle, and local HTTP receivers standing
// in for PagerDuty Events v2, Slack and a webhook. Ports and receiver URLs come from a local
// profile of the example config; alert `for` durations are compressed with the generator's
// forScale. A week of history is backfilled with promtool so week-over-week queries have data.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Model } from '../../src/config/index.js';
import { createLogger } from '../../src/exporter/index.js';
import { runDemo, type RunningDemo } from '../../src/demo/index.js';
import { generateAll, writeArtifacts } from '../../src/generate/index.js';
import { collectExprs, substitute } from '../exprs.js';
import { startFake, type FakeServer } from '../fakes/http.js';
import { freePort, hasTool, sleep } from '../tools.js';
import { UPSTREAM } from '../../src/catalog/upstream.js';

const FOR_SCALE = 0.01;
const have = hasTool('promtool') && spawnSync('sh', ['-c', 'command -v prometheus && command -v prometheus-alertmanager']).status === 0;
if (!have && process.env.CI === 'true') throw new Error('prometheus and prometheus-alertmanager are required when CI=true');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
let ports: { exporter: number; prometheus: number; alertmanager: number };
let receiver: FakeServer;
let demo: RunningDemo;
let model: Model;
const children: ChildProcess[] = [];

const promUrl = () => `http://127.0.0.1:${ports.prometheus}`;
const api = async (path: string): Promise<Json> => (await (await fetch(`${promUrl()}${path}`)).json()) as Json;
const query = async (expr: string): Promise<Json[]> => ((await api(`/api/v1/query?query=${encodeURIComponent(expr)}`)).data?.result ?? []) as Json[];
const received = (path: string) => receiver.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Json);

/** The example config with this machine's ports, local receivers and all-day business hours. */
function profile(): string {
  const c = parseYaml(readFileSync('examples/modelwatch.yaml', 'utf8')) as Json;
  writeFileSync(join(dir, 'pd_key'), 'e2e-routing-key\n');
  writeFileSync(join(dir, 'slack_url'), `${receiver.url}/slack\n`);
  c.exporter = { ...c.exporter, host: '127.0.0.1', port: ports.exporter };
  c.prometheus = { ...c.prometheus, url: promUrl(), scrape_interval: '1s', evaluation_interval: '1s', alertmanager: `127.0.0.1:${ports.alertmanager}` };
  c.alerting = {
    ...c.alerting,
    group_wait: '1s', digest_interval: '2s',
    business_hours: { weekdays: ['sunday:saturday'], start: '00:00', end: '24:00', location: 'UTC' },
    receivers: {
      pagerduty: { routing_key: { file: join(dir, 'pd_key') }, url: `${receiver.url}/pagerduty` },
      slack: { api_url: { file: join(dir, 'slack_url') }, channel: '#ml-alerts' },
      webhook: { url: `${receiver.url}/webhook` },
    },
    tiers: { critical: ['pagerduty', 'slack'], warning: ['slack'], info: ['webhook'] },
  };
  // An old price table makes the info-tier alert fire.
  c.prices = { ...c.prices, as_of: '2026-01-01' };
  return stringifyYaml(c);
}

/** Week-old counters for the week-over-week recording rules, as promtool backfill blocks. */
function backfill(dataDir: string): void {
  const now = Math.floor(Date.now() / 1000);
  const instance = `127.0.0.1:${ports.exporter}`;
  const lines: string[] = [];
  const series = (family: string, labels: string, perStep: number) => {
    lines.push(`# TYPE ${family} counter`);
    let v = 0;
    for (let t = now - 8 * 86400 - 3600; t <= now - 7 * 86400 + 1800; t += 300) {
      v += perStep;
      lines.push(`${family}_total{job="modelwatch",instance="${instance}",${labels}} ${v} ${t}`);
    }
  };
  series('modelwatch_predictions', 'model="fraud-classifier",version="2026-11-15",segment="default"', 6000);
  series('modelwatch_feedback', 'model="support-assistant",version="v3"', 100);
  series('modelwatch_feedback_positive', 'model="support-assistant",version="v3"', 85);
  lines.push('# EOF');
  writeFileSync(join(dir, 'history.om'), `${lines.join('\n')}\n`);
  const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'history.om'), dataDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`backfill failed: ${r.stderr}`);
}

function start(cmd: string, args: string[]): void {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => { err = (err + c.toString()).slice(-4000); });
  child.on('exit', (code) => { if (code && code !== 0 && code !== 143) console.error(`${cmd} exited ${code}: ${err}`); });
  children.push(child);
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.runIf(have)('the generated stack on real Prometheus and Alertmanager', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e2e-'));
    ports = { exporter: await freePort(), prometheus: await freePort(), alertmanager: await freePort() };
    receiver = await startFake((_req, _body, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"success"}'); });
    writeFileSync(join(dir, 'modelwatch.yaml'), profile());
    const loaded = parseConfig(readFileSync(join(dir, 'modelwatch.yaml'), 'utf8'), join(dir, 'modelwatch.yaml'));
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    model = loaded.model;
    const bundle = join(dir, 'bundle');
    writeArtifacts(bundle, generateAll(model, { forScale: FOR_SCALE }));
    const data = join(dir, 'prometheus-data');
    mkdirSync(data);
    backfill(data);

    demo = await runDemo({
      configPath: join(dir, 'modelwatch.yaml'), dir: join(dir, 'demo'), speed: 1, port: ports.exporter, host: '127.0.0.1',
      pinned: ['error_burst', 'nulls'], logger: createLogger('warn'),
    });
    start('prometheus-alertmanager', [`--config.file=${join(bundle, 'alertmanager/alertmanager.yml')}`, `--storage.path=${join(dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${ports.alertmanager}`, '--cluster.listen-address=']);
    start('prometheus', [`--config.file=${join(bundle, 'prometheus/prometheus.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${ports.prometheus}`, '--rules.alert.resend-delay=1s', '--log.level=warn']);
    await waitFor('Prometheus to be ready', async () => (await fetch(`${promUrl()}/-/ready`).catch(() => null))?.ok ?? false, 30_000);
    await waitFor('an alert of each tier at its receiver', () =>
      received('/pagerduty').length > 0 && received('/slack').some((s) => JSON.stringify(s).includes('ModelwatchFeatureNulls')) && received('/webhook').length > 0, 180_000);
    // Every panel needs a few scrapes of every source (billing, golden sets, labels).
    await sleep(5000);
  }, 300_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    await demo?.stop();
    await receiver?.close();
    // Clean shutdown: every port is free again.
    for (const port of Object.values(ports)) {
      const s = createServer();
      await new Promise<void>((resolve, reject) => { s.once('error', reject); s.listen(port, '127.0.0.1', resolve); });
      await new Promise<void>((r) => s.close(() => r()));
    }
  }, 60_000);

  it('exposes every Prometheus and Alertmanager metric the watcher alerts read', async () => {
    const text = (await (await fetch(`${promUrl()}/metrics`)).text()) + (await (await fetch(`http://127.0.0.1:${ports.alertmanager}/metrics`)).text());
    const names = new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
    expect(Object.values(UPSTREAM).filter((m) => !names.has(m))).toEqual([]);
  });

  it('loads every rule group and every rule is healthy', async () => {
    const groups = (await api('/api/v1/rules')).data.groups as Json[];
    const expected = generateAll(model, { forScale: FOR_SCALE }).filter((a) => a.path.startsWith('prometheus/rules/'))
      .flatMap((a) => (yaml.load(a.content) as { groups: { name: string }[] }).groups.map((g) => g.name));
    expect(groups.map((g) => g.name).sort()).toEqual(expected.sort());
    const unhealthy = groups.flatMap((g) => (g.rules as Json[]).filter((r) => r.health !== 'ok').map((r) => `${g.name}/${r.name}: ${r.lastError}`));
    expect(unhealthy).toEqual([]);
  });

  it('produces a series for every recording rule', async () => {
    const records = ((await api('/api/v1/rules?type=record')).data.groups as Json[]).flatMap((g) => (g.rules as Json[]).map((r) => String(r.name)));
    const empty: string[] = [];
    for (const r of records) if (!(await query(r)).length) empty.push(r);
    expect(empty).toEqual([]);
  });

  it('pages PagerDuty for the error burst, with its severity and summary', () => {
    // One page for the symptom: the fast budget burn, or the error ratio before the burn is established.
    const pd = received('/pagerduty').find((p) => /ModelwatchHighErrorRatio|ModelwatchErrorBudgetFastBurn/.test(JSON.stringify(p)));
    console.log('critical -> PagerDuty:', pd?.payload?.summary);
    expect(pd).toMatchObject({ routing_key: 'e2e-routing-key', event_action: 'trigger', payload: { severity: 'critical' } });
    // The alert's own sentence, with its value: an error ratio in percent, or a burn rate.
    expect(pd?.payload.summary).toMatch(/(ModelwatchHighErrorRatio|ModelwatchErrorBudgetFastBurn) fraud-classifier \(critical\): (The error ratio of fraud-classifier.* is [0-9.]+%|fraud-classifier is burning its 30d error budget \(SLO 99.5%\) [0-9.]+ times as fast)/);
    // Runbook and dashboard as PagerDuty links; the client link is Alertmanager's external URL.
    expect((pd?.links as Json[]).map((l) => l.text)).toEqual(['Runbook', 'Dashboard']);
    expect(pd?.client_url).toBe(model.alerting.externalUrl);
  });

  it('pages nobody for a cause: drift and data quality open tickets', () => {
    const pages = received('/pagerduty').map((p) => String(p.payload?.summary ?? ''));
    expect(pages.filter((s) => /Drift|FeatureNulls|OutOfRange|Schema|GoldenSet|LowConfidence/.test(s))).toEqual([]);
  });

  it('posts a warning to Slack with the runbook link', () => {
    const slack = received('/slack').find((s) => JSON.stringify(s).includes('ModelwatchFeatureNulls'));
    const text = JSON.stringify(slack);
    console.log('warning -> Slack:', slack?.attachments?.[0]?.title);
    expect(slack?.channel).toBe('#ml-alerts');
    expect(text).toContain('(warning)');
    expect(text).toContain('runbooks/modelwatch-feature-nulls.md');
  });

  it('sends an info alert to the digest webhook', () => {
    const hook = received('/webhook').find((w) => JSON.stringify(w).includes('ModelwatchPriceTableStale'));
    console.log('info -> webhook:', hook?.commonLabels?.alertname);
    expect(hook?.commonLabels).toMatchObject({ alertname: 'ModelwatchPriceTableStale', severity: 'info' });
  });

  it('inhibits the warning copy of a firing critical alert', async () => {
    const alerts = (await (await fetch(`http://127.0.0.1:${ports.alertmanager}/api/v2/alerts`)).json()) as Json[];
    const warning = alerts.find((a) => a.labels.alertname === 'ModelwatchHighErrorRatio' && a.labels.severity === 'warning');
    expect(warning?.status.inhibitedBy.length).toBeGreaterThan(0);
    const leaked = received('/slack').filter((s) => JSON.stringify(s).includes('ModelwatchHighErrorRatio fraud-classifier (warning)'));
    expect(leaked).toEqual([]);
    console.log('inhibited: ModelwatchHighErrorRatio (warning) by its critical copy');
  });

  it('returns data for every query of every dashboard panel', async () => {
    const targets = collectExprs(generateAll(model, { forScale: FOR_SCALE })).filter((e) => e.where.startsWith('grafana/dashboards/') && !e.where.includes(' variable ') && !e.where.includes(' annotation '));
    expect(targets.length).toBeGreaterThan(40);
    const empty: string[] = [];
    for (const t of targets) {
      const expr = substitute(t.expr).replace(/\$(job|model|version)\b/g, '.+');
      const n = (await query(expr)).length;
      console.log(`panel ${t.where}: ${n} series`);
      if (!n) empty.push(`${t.where}: ${t.expr}`);
    }
    expect(empty).toEqual([]);
  });
});
