// modelwatch demo: a fraud classifier (Open Inference Protocol v2, on Triton), a support assistant
// (OpenAI-compatible) with their prediction logs, delayed labels, feedback and a billing API, and
// a ticket summarizer on vLLM with its GPU (the engines' own /metrics),
// following a scripted incident timeline; and the exporter on the example config, pointed at
// them. Everything runs in this one process.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseConfig, type Model } from '../config/index.js';
import { startExporter, type RunningExporter } from '../exporter/index.js';
import { ProfileBuilder } from '../stats/profile.js';
import { billingServer, chatServer, oipServer, type DemoServer } from './servers.js';
import { describeHours, inBusinessHours } from './business-hours.js';
import { FRAUD, phaseOf, Timeline, type Incident } from './timeline.js';
import { Workload } from './workload.js';
import { EngineSimulation } from './engines.js';
import { startEngineServers } from './engine-servers.js';

export { INCIDENTS, PHASES, type Incident } from './timeline.js';

export interface DemoOptions {
  readonly configPath: string;
  readonly dir: string;
  readonly speed: number;
  readonly port?: number;
  readonly host?: string;
  readonly pinned?: readonly Incident[];
  readonly logger: Logger;
}

export interface RunningDemo { readonly exporter: RunningExporter; readonly model: Model; readonly timeline: Timeline; stop(): Promise<void> }

const DEMO_KEY = 'demo-admin-key';

export function baseline(dir: string, workload: Workload): string {
  const b = new ProfileBuilder('fraud-classifier', [
    { name: 'amount', type: 'numeric' }, { name: 'account_age_days', type: 'numeric' }, { name: 'merchant_category', type: 'categorical' },
    { name: 'country', type: 'categorical' }, { name: 'prediction', type: 'categorical' }, { name: 'score', type: 'numeric' },
  ]);
  const rows = Array.from({ length: 20_000 }, () => {
    const f = workload.calmFeatures();
    const score = Workload.score(f);
    return { ...f, prediction: score > 0.5 ? 'fraud' : 'legit', score: Math.round(Math.max(score, 1 - score) * 1e4) / 1e4 };
  });
  for (const r of rows) b.first(r);
  b.freeze();
  for (const r of rows) b.second(r);
  const path = join(dir, 'baselines', 'fraud-classifier.json');
  mkdirSync(join(dir, 'baselines'), { recursive: true });
  writeFileSync(path, JSON.stringify(b.profile()));
  return path;
}

export function goldenSets(dir: string): { fraud: string; support: string } {
  mkdirSync(join(dir, 'golden'), { recursive: true });
  const fraud = join(dir, 'golden', 'fraud.jsonl');
  const support = join(dir, 'golden', 'support.jsonl');
  const oip = (amount: number, age: number) => [{ name: 'amount', shape: [1], datatype: 'FP32', data: [amount] }, { name: 'account_age_days', shape: [1], datatype: 'INT64', data: [age] }];
  writeFileSync(fraud, [
    { id: 'large-new-account', input: oip(450, 10), expected: 'fraud' },
    { id: 'small-old-account', input: oip(12, 2000), expected: 'legit' },
    { id: 'medium-old-account', input: oip(80, 900), expected: 'legit' },
  ].map((c) => JSON.stringify(c)).join('\n') + '\n');
  writeFileSync(support, `${JSON.stringify({ id: 'password-reset', input: 'How do I reset my password?', expected: 'settings' })}\n`);
  return { fraud, support };
}

/** The example config, pointed at the demo's services and files. */
function demoConfig(text: string, dir: string, urls: { oip: string; chat: string; billing: string; engines: ReadonlyMap<string, string> }, files: { baseline: string; fraud: string; support: string }) {
  const c = parseYaml(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  c.exporter = { ...c.exporter, state_dir: join(dir, 'state') };
  for (const s of c.log_stores ?? []) {
    s.path = join(dir, `${s.name === 'predictions' ? 'predictions' : 'fraud-labels'}-*.jsonl`);
    s.interval = '2s';
  }
  for (const m of c.models ?? []) {
    if (m.endpoint) {
      m.endpoint.url = urls.engines.get(m.name) ?? (m.endpoint.protocol === 'oip_v2' ? urls.oip : urls.chat);
      m.endpoint.interval = '5s';
      m.endpoint.timeout = '2s';
    }
    if (m.golden_set) {
      m.golden_set.path = m.endpoint?.protocol === 'oip_v2' ? files.fraud : files.support;
      m.golden_set.interval = '30s';
    }
    if (m.baseline) m.baseline = files.baseline;
    // Incidents last minutes: a drift window and a quality window of hours would dilute them.
    if (m.name === FRAUD) Object.assign(m, { drift_window: '10m', quality_window: '24m' });
  }
  for (const b of c.billing ?? []) {
    b.url = urls.billing;
    b.api_key = { env: 'MODELWATCH_DEMO_BILLING_KEY' };
    b.interval = '15s';
  }
  return stringifyYaml(c);
}

/** What the phase should raise, and whether its tickets will reach anyone now. */
function expectations(model: Model, phase: ReturnType<Timeline['phase']>): string[] {
  const bh = model.alerting.businessHours;
  return phaseOf(phase).expect.map((e) => `${e.alert} ${e.model} (${e.severity}) -> ${e.tier}`
    + (e.tier === 'ticket' && !inBusinessHours(bh, new Date()) ? ` [muted now: tickets go out in business hours, ${describeHours(bh)}; Alertmanager lists it as muted]` : ''));
}

export async function runDemo(o: DemoOptions): Promise<RunningDemo> {
  const dir = resolve(o.dir);
  mkdirSync(dir, { recursive: true });
  const timeline = new Timeline(o.speed, new Set(o.pinned ?? []));
  const workload = new Workload(dir, timeline);
  const host = '127.0.0.1';
  const original = parseConfig(readFileSync(o.configPath, 'utf8'), o.configPath);
  if (!original.ok) throw new Error(`config is invalid:\n${original.errors.join('\n')}`);
  const vllm = original.model.models.find((m) => m.endpoint?.server === 'vllm');
  const engines = new EngineSimulation(timeline, vllm?.endpoint?.modelName ?? 'demo');
  const servers: DemoServer[] = [await oipServer('fraud', timeline, host), await chatServer('gpt-4.1-mini', host), await billingServer(workload, DEMO_KEY, host)];
  const [oip, chat, billing] = servers as [DemoServer, DemoServer, DemoServer];
  // Engines listen where the config says their metrics are (all interfaces, as the exporter).
  const engineServers = await startEngineServers(original.model, engines, o.host ?? '0.0.0.0', o.logger);
  servers.push(...engineServers.servers);
  const files = { baseline: baseline(dir, workload), ...goldenSets(dir) };
  process.env.MODELWATCH_DEMO_BILLING_KEY = DEMO_KEY;
  process.env.LLM_GATEWAY_KEY ??= 'demo-gateway-key';
  const text = demoConfig(readFileSync(o.configPath, 'utf8'), dir, { oip: oip.url, chat: chat.url, billing: billing.url, engines: engineServers.endpoints }, files);
  writeFileSync(join(dir, 'modelwatch.demo.yaml'), text);
  const loaded = parseConfig(text, join(dir, 'modelwatch.demo.yaml'));
  if (!loaded.ok) throw new Error(`demo config is invalid:\n${loaded.errors.join('\n')}`);

  // One tick per second of real time; each tick is `speed` seconds of traffic.
  workload.tick(Date.now() / 1000);
  let lastPhase = '';
  const ticker = setInterval(() => {
    workload.tick(Date.now() / 1000, Math.round(20 * Math.min(o.speed, 10)), Math.round(5 * Math.min(o.speed, 10)));
    engines.tick(Math.round(4 * Math.min(o.speed, 10)));
    const now = timeline.describe();
    if (now !== lastPhase) {
      o.logger.info({ incident: now, expect: expectations(loaded.model, timeline.phase()) }, 'demo timeline');
      lastPhase = now;
    }
  }, 1000);
  const exporter = await startExporter(loaded.model, { logger: o.logger, port: o.port ?? loaded.model.exporter.port, host: o.host });
  return {
    exporter, model: loaded.model, timeline,
    async stop() {
      clearInterval(ticker);
      await exporter.stop();
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
