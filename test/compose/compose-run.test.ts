// `docker compose up`, run as far as this machine allows (see runner.ts): the committed example
// bundle, a minimal config, a config with PostgreSQL logs, an {env:} secret and TLS + basic
// auth, and a stack whose exporter never starts. Every service that can run here must turn
// healthy through its own healthcheck, and Prometheus must scrape the exporter (or, with the
// exporter stopped, page for it).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { generateAll, writeArtifacts } from '../../src/generate/index.js';
import { hasTool, sleep } from '../tools.js';
import { IMAGES } from './images.js';
import { runCompose, type Stack } from './runner.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const have = hasTool('promtool') && spawnSync('sh', ['-c', 'command -v prometheus && command -v prometheus-alertmanager && command -v busybox && command -v openssl']).status === 0;
if (!have && process.env.CI === 'true') throw new Error('prometheus, prometheus-alertmanager, busybox and openssl are required when CI=true');
const PG = process.env.MODELWATCH_TEST_PG_URL;
if (!PG && process.env.CI === 'true') throw new Error('MODELWATCH_TEST_PG_URL is required when CI=true');

let stack: Stack | undefined;
afterEach(async () => { await stack?.stop(); stack = undefined; });

const query = async (s: Stack, expr: string): Promise<Json[]> => {
  const url = `http://127.0.0.1:${s.services.get('prometheus')?.port}/api/v1/query?query=${encodeURIComponent(expr)}`;
  return ((await (await fetch(url)).json()) as Json).data?.result ?? [];
};
async function eventually(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(500);
  }
  throw new Error(`timed out: ${what}`);
}

/** A user's deploy/ folder: the config and its files in one place, the bundle generated next to it. */
function userProject(config: string, files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'compose-run-'));
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'modelwatch.yaml'), config);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function generate(dir: string, forScale = 1): string {
  const loaded = loadConfig(join(dir, 'config', 'modelwatch.yaml'));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const out = join(dir, 'deploy');
  writeArtifacts(out, generateAll(loaded.model, { outDir: out, forScale }));
  mkdirSync(join(out, 'secrets'), { recursive: true });
  return out;
}

const FAST = 'prometheus:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n';
const MINIMAL = `version: 1\n${FAST}models:\n  - name: churn\n    task: classification\n    endpoint: {protocol: http, url: "http://churn:8080"}\n`;

describe('the image table the compose run relies on', () => {
  it('matches this repository\'s Dockerfile (base image, WORKDIR, ENTRYPOINT, state directory)', () => {
    const docker = readFileSync('Dockerfile', 'utf8');
    const spec = IMAGES['ghcr.io/modelwatch/modelwatch'];
    const final = docker.slice(docker.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^\nFROM node:\d+-bookworm-slim\n/);
    expect(/^WORKDIR (\S+)$/m.exec(final)?.[1]).toBe(spec?.workdir);
    expect(JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(final)?.[1] ?? '[]')).toEqual(spec?.entrypoint);
    expect(final).toContain(`mkdir -p ${spec?.ownDirs[0]}`);
  });
});

describe.runIf(have)('docker-compose.yml run service by service', () => {
  it('the committed example bundle: the demo exporter, Prometheus and Alertmanager turn healthy and the exporter is scraped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-example-'));
    for (const part of ['docker-compose.yml', 'prometheus', 'alertmanager', 'grafana', 'examples']) cpSync(part, join(dir, part), { recursive: true });
    mkdirSync(join(dir, 'secrets'));
    for (const s of ['pagerduty_routing_key', 'slack_webhook_url', 'smtp_password', 'grafana_admin_password']) writeFileSync(join(dir, 'secrets', s), 'not-a-real-secret\n');
    stack = await runCompose(dir, join(dir, '.root'));
    for (const s of ['modelwatch-exporter', 'prometheus', 'alertmanager']) await stack.waitHealthy(s, 60_000);
    const s = stack;
    await eventually('Prometheus scrapes the exporter', async () => (await query(s, 'up{job="modelwatch"} == 1')).length === 1, 60_000);
    expect((await query(s, 'modelwatch_build_info')).length).toBe(1);
  });

  it('a minimal config of ones own: healthy, scraped, the endpoint it cannot reach shows as a source metric', async () => {
    const out = generate(userProject(MINIMAL));
    stack = await runCompose(out, join(out, '..', 'root'));
    for (const s of ['modelwatch-exporter', 'prometheus', 'alertmanager']) await stack.waitHealthy(s, 60_000);
    const s = stack;
    await eventually('Prometheus scrapes the exporter', async () => (await query(s, 'up{job="modelwatch"} == 1')).length === 1, 30_000);
    await eventually('the unreachable endpoint is reported', async () => (await query(s, 'modelwatch_endpoint_up{model="churn"} == 0')).length === 1, 30_000);
  });

  it.runIf(PG)('PostgreSQL logs, an {env:} secret, TLS and basic auth: only the listed variables reach the exporter; Prometheus scrapes over https with the password', async () => {
    const table = `compose_run_${process.pid}`;
    // A connection per statement, retried: another test file restarts the PostgreSQL server.
    const admin = {
      async query(text: string) {
        for (let attempt = 0; ; attempt++) {
          const c = new pg.Client({ connectionString: PG });
          c.on('error', () => undefined);
          try {
            await c.connect();
            return await c.query(text);
          } catch (e) {
            if (attempt >= 20) throw e;
            await sleep(500);
          } finally {
            await c.end().catch(() => undefined);
          }
        }
      },
    };
    try {
      await admin.query(`DROP TABLE IF EXISTS ${table}`);
      await admin.query(`CREATE TABLE ${table} (ts timestamptz NOT NULL, request_id text NOT NULL, model text, latency double precision)`);
      await admin.query(`INSERT INTO ${table} SELECT now() - interval '1 minute' + g * interval '1 ms', 'r' || g, 'churn', 0.05 FROM generate_series(1, 500) g`);
      const password = 'scrape-password-for-the-test';
      const dir = userProject(`version: 1
exporter:
  web:
    config_file: tls/web.yml
    tls: {ca_file: tls/exporter.crt, server_name: modelwatch-exporter}
    basic_auth: {username: prometheus, password: {file: /run/secrets/modelwatch_scrape_password}}
${FAST}log_stores:
  - name: predictions
    kind: postgres
    connection: {env: PREDICTIONS_DSN}
    table: ${table}
    interval: 1s
    fields: {timestamp: ts, request_id: request_id, model: model, latency: latency}
models:
  - name: churn
    task: classification
    log_store: predictions
`, { 'config/tls/web.yml': `tls_server_config: {cert_file: exporter.crt, key_file: exporter.key}\nbasic_auth_users:\n  prometheus: "${bcrypt.hashSync(password, 4)}"\n` });
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'config/tls/exporter.key'), '-out', join(dir, 'config/tls/exporter.crt'), '-days', '2', '-subj', '/CN=modelwatch-exporter', '-addext', 'subjectAltName=DNS:modelwatch-exporter'], { stdio: 'ignore' });
      const out = generate(dir);
      writeFileSync(join(out, 'secrets', 'modelwatch_scrape_password'), `${password}\n`);
      stack = await runCompose(out, join(dir, 'root'), { env: { PREDICTIONS_DSN: PG as string, NOT_LISTED: 'x' } });
      for (const s of ['modelwatch-exporter', 'prometheus', 'alertmanager']) await stack.waitHealthy(s, 60_000);
      const s = stack;
      const exporter = s.services.get('modelwatch-exporter');
      // TLS + basic auth are on: a plain scrape is refused, the healthcheck (no password) is not.
      expect(s.healthy('modelwatch-exporter')).toBe(true);
      await expect(fetch(`http://127.0.0.1:${exporter?.port}/metrics`)).rejects.toThrow();
      await eventually('Prometheus scrapes over https with basic auth', async () => (await query(s, 'up{job="modelwatch"} == 1')).length === 1, 30_000);
      await eventually('the PostgreSQL store is read with the DSN from the environment', async () => (await query(s, 'modelwatch_source_up{source="logs/predictions"} == 1')).length === 1, 30_000);
      // One series (a second one would be a double count); none while a restart makes it stale.
      const total = async () => {
        const series = await query(s, 'modelwatch_predictions_total');
        expect(series.length, JSON.stringify(series)).toBeLessThanOrEqual(1);
        return series.length ? Number(series[0]?.value[1]) : NaN;
      };
      await eventually('all 500 rows are counted', async () => (await total()) === 500, 30_000);
      // state_dir is on the named volume: a recreated container resumes from its checkpoint (the
      // 500 rows, purged meanwhile as a retention job would, stay counted; nothing is read twice).
      await admin.query(`DELETE FROM ${table}`);
      await s.restart('modelwatch-exporter');
      await s.waitHealthy('modelwatch-exporter', 60_000);
      await admin.query(`INSERT INTO ${table} SELECT now() - interval '30 seconds' + g * interval '1 ms', 's' || g, 'churn', 0.05 FROM generate_series(1, 20) g`);
      await eventually('the restarted exporter counts the 20 new rows on top of the 500', async () => (await total()) === 520, 30_000);
      await sleep(2500);
      expect(await total()).toBe(520);
    } finally {
      await admin.query(`DROP TABLE IF EXISTS ${table}`);
    }
  });

  it('with the exporter stopped, Prometheus and Alertmanager still start and ModelwatchExporterDown fires', async () => {
    const out = generate(userProject(MINIMAL), 0.01);
    stack = await runCompose(out, join(out, '..', 'root'), { skip: ['modelwatch-exporter'] });
    for (const s of ['prometheus', 'alertmanager']) await stack.waitHealthy(s, 60_000);
    expect(stack.healthy('modelwatch-exporter')).toBe(false);
    const s = stack;
    await eventually('ModelwatchExporterDown fires', async () => (await query(s, 'ALERTS{alertname="ModelwatchExporterDown",alertstate="firing"}')).length === 1, 60_000);
    // ... and reaches Alertmanager, which the stack must have started without the exporter.
    const am = `http://127.0.0.1:${s.services.get('alertmanager')?.port}/api/v2/alerts`;
    await eventually('Alertmanager holds the page', async () => ((await (await fetch(am)).json()) as Json[]).some((a) => a.labels.alertname === 'ModelwatchExporterDown'), 60_000);
  });
});
