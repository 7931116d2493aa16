// The demo on the real servers: the demo and its exporter, the real `prometheus` and
// `prometheus-alertmanager` (Debian) on a bundle generated from a local profile of the example
// config, and local HTTP receivers standing in for PagerDuty Events v2 (the page tier), Slack (the
// ticket tier) and a webhook (the digest). Used by the end-to-end test (compressed timings) and by
// scripts/demo-alerts.ts (the committed timings at --speed 1).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseConfig, type Model } from '../../src/config/index.js';
import { createLogger } from '../../src/exporter/index.js';
import { runDemo, type RunningDemo } from '../../src/demo/index.js';
import { generateAll, writeArtifacts, type Artifact } from '../../src/generate/index.js';
import { runbookName } from '../../src/generate/prometheus/index.js';
import { ALERTS, type AlertName, type Tier } from '../../src/catalog/alerts.js';
import { names, type Expected } from '../../src/demo/timeline.js';
import { startFake, type FakeServer } from '../fakes/http.js';
import { freePort, sleep } from '../tools.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface StackOptions {
  /** Multiplies alert `for` durations (the committed demo bundle: DEMO_FOR_SCALE). */
  readonly forScale: number;
  /** Compressed: 1 s scrapes, evaluations and group waits. Otherwise the example's own timings. */
  readonly compressed: boolean;
  /** Overrides of the example config, applied last. */
  readonly tweak?: (c: Json) => void;
}

/** One notification as a receiver got it. */
export interface Notification {
  readonly at: number;
  readonly receiver: 'pagerduty' | 'slack' | 'webhook';
  readonly firing: boolean;
  readonly alerts: readonly AlertName[];
  readonly model: string | null;
  readonly body: Json;
}

export interface Stack {
  readonly dir: string;
  readonly model: Model;
  readonly demo: RunningDemo;
  readonly artifacts: readonly Artifact[];
  readonly ports: { exporter: number; prometheus: number; alertmanager: number; engines: number[] };
  readonly notifications: Notification[];
  query(expr: string): Promise<Json[]>;
  api(path: string): Promise<Json>;
  amAlerts(): Promise<Json[]>;
  stop(): Promise<void>;
}

/** Where each tier lands in the profile below. */
export const RECEIVER: Record<Tier, Notification['receiver'] | 'none'> = { page: 'pagerduty', ticket: 'slack', digest: 'webhook', heartbeat: 'none' };

/** Whether a notification is the expected alert's, firing, at its tier's receiver, for its model. */
export const delivers = (n: Notification, e: Expected): boolean => n.firing && n.receiver === RECEIVER[e.tier] && names(e, n.alerts) && n.model === e.model;

const BY_RUNBOOK = new Map((Object.keys(ALERTS) as AlertName[]).map((a) => [runbookName(a), a]));

/** Which alerts a receiver's payload is about: PagerDuty's summary names one; Slack's text links each alert's runbook. */
function parse(receiver: Notification['receiver'], body: Json): Pick<Notification, 'firing' | 'alerts' | 'model'> {
  if (receiver === 'webhook') {
    return { firing: body.status === 'firing', alerts: (body.alerts as Json[]).map((a) => a.labels.alertname), model: body.commonLabels?.model ?? null };
  }
  if (receiver === 'pagerduty') {
    const [alert, model] = String(body.payload?.summary ?? '').replace(/^Resolved: /, '').split(/[ ]/);
    return { firing: body.event_action === 'trigger', alerts: [alert as AlertName], model: model && !model.startsWith('(') ? model : null };
  }
  const a = (body.attachments as Json[] | undefined)?.[0] ?? {};
  const alerts = [...String(a.text ?? '').matchAll(/runbooks\/([a-z0-9-]+)\.md/g)].map((m) => BY_RUNBOOK.get(m[1] as string)).filter((x): x is AlertName => !!x);
  const title = String(a.title ?? '');
  // "[FIRING:2] ModelwatchX fraud-classifier (critical)", or without the alert name when a ticket groups several.
  const model = /\]\s+(?:Modelwatch\w+\s+)?([a-z0-9-]+)\s+\(/.exec(title)?.[1] ?? null;
  return { firing: title.startsWith('[FIRING'), alerts: [...new Set(alerts)], model };
}

/** The example config with this machine's ports and local receivers, tickets delivered all day. */
function profile(dir: string, receiverUrl: string, ports: Stack['ports'], o: StackOptions): string {
  const c = parseYaml(readFileSync('examples/modelwatch.yaml', 'utf8')) as Json;
  writeFileSync(join(dir, 'pd_key'), 'e2e-routing-key\n');
  writeFileSync(join(dir, 'slack_url'), `${receiverUrl}/slack\n`);
  c.exporter = { ...c.exporter, host: '127.0.0.1', port: ports.exporter };
  // Model servers and GPU exporters on this machine: the bundle's Prometheus scrapes them where the demo serves them.
  const engine = [...ports.engines];
  const local = (u: string) => {
    const url = new URL(u);
    url.hostname = '127.0.0.1';
    url.port = String(engine.shift());
    return url.toString();
  };
  for (const m of c.models as Json[]) {
    const e = m.endpoint as Json | undefined;
    if (e?.server === 'vllm') e.url = local(e.url);
    if (e?.metrics_url) e.metrics_url = local(e.metrics_url);
    if (e?.gpu_exporter) e.gpu_exporter = local(e.gpu_exporter);
  }
  c.prometheus = { ...c.prometheus, url: `http://127.0.0.1:${ports.prometheus}`, alertmanager: `127.0.0.1:${ports.alertmanager}`, ...(o.compressed ? { scrape_interval: '1s', evaluation_interval: '1s' } : {}) };
  c.alerting = {
    ...c.alerting,
    ...(o.compressed ? { group_wait: '1s', digest_interval: '2s' } : {}),
    business_hours: { weekdays: ['sunday:saturday'], start: '00:00', end: '24:00', location: 'UTC' },
    receivers: {
      pagerduty: { routing_key: { file: join(dir, 'pd_key') }, url: `${receiverUrl}/pagerduty` },
      slack: { api_url: { file: join(dir, 'slack_url') }, channel: '#ml-alerts' },
      webhook: { url: `${receiverUrl}/webhook` },
    },
    tiers: { page: ['pagerduty'], ticket: ['slack'], digest: ['webhook'] },
  };
  o.tweak?.(c);
  return stringifyYaml(c);
}

/** Week-old history for the week-over-week rules and the latency baseline, as promtool backfill blocks. */
function backfill(dir: string, dataDir: string, instance: string): void {
  const now = Math.floor(Date.now() / 1000);
  const lines: string[] = [];
  const steps = (emit: (t: number, i: number) => void) => {
    let i = 0;
    for (let t = now - 8 * 86400 - 3600; t <= now - 7 * 86400 + 1800; t += 300) emit(t, ++i);
  };
  const series = (family: string, labels: string, perStep: number) => {
    lines.push(`# TYPE ${family} counter`);
    steps((t, i) => lines.push(`${family}_total{job="modelwatch",instance="${instance}",${labels}} ${i * perStep} ${t}`));
  };
  series('modelwatch_predictions', 'model="fraud-classifier",version="2026-11-15",segment="default"', 6000);
  series('modelwatch_feedback', 'model="support-assistant",version="v3"', 100);
  series('modelwatch_feedback_positive', 'model="support-assistant",version="v3"', 85);
  // The fraud classifier's usual speed: every answer within 25 ms.
  lines.push('# TYPE modelwatch_prediction_duration_seconds histogram');
  for (const le of ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '30', '60', '+Inf']) {
    const share = le === '0.005' ? 0 : le === '0.01' ? 0.3 : 1;
    steps((t, i) => lines.push(`modelwatch_prediction_duration_seconds_bucket{job="modelwatch",instance="${instance}",model="fraud-classifier",version="2026-11-15",le="${le}"} ${Math.round(i * 6000 * share)} ${t}`));
  }
  lines.push('# EOF');
  writeFileSync(join(dir, 'history.om'), `${lines.join('\n')}\n`);
  const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'history.om'), dataDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`backfill failed: ${r.stderr}`);
}

export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(500);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-'));
  const ports = { exporter: await freePort(), prometheus: await freePort(), alertmanager: await freePort(), engines: [await freePort(), await freePort(), await freePort()] };
  const notifications: Notification[] = [];
  const receiver: FakeServer = await startFake((req, body, res) => {
    const kind = (req.url ?? '').slice(1).split('?')[0] as Notification['receiver'];
    try {
      const json = JSON.parse(body) as Json;
      notifications.push({ at: Date.now(), receiver: kind, body: json, ...parse(kind, json) });
    } catch { /* a malformed notification shows up as a missing one */ }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"success"}');
  });
  writeFileSync(join(dir, 'modelwatch.yaml'), profile(dir, receiver.url, ports, o));
  const loaded = parseConfig(readFileSync(join(dir, 'modelwatch.yaml'), 'utf8'), join(dir, 'modelwatch.yaml'));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const artifacts = generateAll(loaded.model, { forScale: o.forScale });
  const bundle = join(dir, 'bundle');
  writeArtifacts(bundle, artifacts);
  const data = join(dir, 'prometheus-data');
  mkdirSync(data);
  backfill(dir, data, `127.0.0.1:${ports.exporter}`);

  const children: ChildProcess[] = [];
  const start = (cmd: string, args: string[]) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (c: Buffer) => { err = (err + c.toString()).slice(-4000); });
    child.on('exit', (code) => { if (code && code !== 0 && code !== 143) console.error(`${cmd} exited ${code}: ${err}`); });
    children.push(child);
  };
  const demo = await runDemo({
    configPath: join(dir, 'modelwatch.yaml'), dir: join(dir, 'demo'), speed: 1, port: ports.exporter, host: '127.0.0.1', logger: createLogger('warn'),
  });
  start('prometheus-alertmanager', [`--config.file=${join(bundle, 'alertmanager/alertmanager.yml')}`, `--storage.path=${join(dir, 'am-data')}`, `--web.listen-address=127.0.0.1:${ports.alertmanager}`, '--cluster.listen-address=']);
  start('prometheus', [`--config.file=${join(bundle, 'prometheus/prometheus.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${ports.prometheus}`, '--log.level=warn', ...(o.compressed ? ['--rules.alert.resend-delay=1s'] : [])]);
  const promUrl = `http://127.0.0.1:${ports.prometheus}`;
  await waitFor('Prometheus to be ready', async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.ok ?? false, 30_000);
  await waitFor('Alertmanager to be ready', async () => (await fetch(`http://127.0.0.1:${ports.alertmanager}/-/ready`).catch(() => null))?.ok ?? false, 30_000);

  const api = async (path: string): Promise<Json> => (await (await fetch(`${promUrl}${path}`)).json()) as Json;
  return {
    dir, model: demo.model, demo, artifacts, ports, notifications, api,
    query: async (expr) => ((await api(`/api/v1/query?query=${encodeURIComponent(expr)}`)).data?.result ?? []) as Json[],
    amAlerts: async () => (await (await fetch(`http://127.0.0.1:${ports.alertmanager}/api/v2/alerts`)).json()) as Json[],
    async stop() {
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
      await demo.stop();
      await receiver.close();
      // Clean shutdown: every port is free again.
      for (const port of [ports.exporter, ports.prometheus, ports.alertmanager, ...ports.engines]) {
        const s = createServer();
        await new Promise<void>((resolve, reject) => { s.once('error', reject); s.listen(port, '127.0.0.1', resolve); });
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}
