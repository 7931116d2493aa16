// Secret canaries: a unique value in every secret file and secret variable must never appear in
// generated files, CLI output, error messages, logs or HTTP responses.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import { SECRET_KEYS } from '../src/config/secrets.js';
import { generateAll } from '../src/generate/index.js';
import { startFake, json, type FakeServer } from './fakes/http.js';
import { startHarness, type Harness } from './exporter/harness.js';
import { run } from './tools.js';

const CANARY = `CANARY-${Math.random().toString(36).slice(2)}`;
const dir = mkdtempSync(join(tmpdir(), 'canary-'));
const file = (name: string) => { const p = join(dir, name); writeFileSync(p, `${CANARY}-${name}\n`); return p; };
let api: FakeServer;
let h: Harness;
let yaml: string;

beforeAll(async () => {
  process.env.CANARY_OPENAI = `${CANARY}-env-openai`;
  process.env.CANARY_GATEWAY = `${CANARY}-env-gateway`;
  // Every API rejects the key, so the error paths run too.
  api = await startFake((_req, _body, res) => json(res, 401, { error: { message: 'invalid key' } }));
  yaml = `version: 1
exporter:
  web: {config_file: web.yml, basic_auth: {username: prometheus, password: {file: ${file('scrape')}}}}
prometheus:
  remote_write:
    - {url: "http://mimir:9009/api/v1/push", username: mw, password: {file: ${file('mimir')}}}
    - {url: "http://thanos:19291/api/v1/receive", bearer_token: {file: ${file('thanos')}}}
alerting:
  receivers:
    pagerduty: {routing_key: {file: ${file('pd')}}}
    slack: {api_url: {file: ${file('slack')}}, channel: "#x"}
    email: {to: a@example.com, from: b@example.com, smarthost: "smtp:25", auth_password: {file: ${file('smtp')}}}
grafana: {admin_password: {file: ${file('grafana')}}}
log_stores:
  - {name: pg, kind: postgres, connection: {file: ${file('dsn')}}, table: predictions}
  - {name: loki, kind: loki, url: "${api.url}", query: "{app=\\"m\\"}", auth: {file: ${file('loki')}}}
billing:
  - {name: openai, provider: openai, url: "${api.url}", api_key: {env: CANARY_OPENAI}}
  - {name: claude, provider: anthropic, url: "${api.url}", api_key: {file: ${file('anthropic')}}}
models:
  - name: chat
    task: llm
    endpoint: {protocol: openai, url: "${api.url}", model_name: m, api_key: {env: CANARY_GATEWAY}, interval: 10s, timeout: 2s}
`;
  writeFileSync(join(dir, 'modelwatch.yaml'), yaml);
  h = await startHarness(yaml);
  await h.exporter.scheduler.pollAll();
  await h.exporter.exposition.refresh();
});

afterAll(async () => {
  await h.exporter.stop();
  await api.close();
  delete process.env.CANARY_OPENAI;
  delete process.env.CANARY_GATEWAY;
});

describe('secrets', () => {
  it('cover every secret field of the schema in this test', () => {
    for (const key of SECRET_KEYS) expect(yaml).toContain(`${key}:`);
  });

  it('reach the APIs that need them', () => {
    expect(api.requests.length).toBeGreaterThan(0);
  });

  it('never appear in generated files', () => {
    const loaded = parseConfig(yaml, 'modelwatch.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    for (const a of generateAll(loaded.model)) expect(a.content, a.path).not.toContain(CANARY);
  });

  it('never appear in logs, on /metrics or on the landing page', async () => {
    expect(h.logs.join('')).toContain('poll failed');
    expect(h.logs.join('')).not.toContain(CANARY);
    expect((await h.scrape()).text).not.toContain(CANARY);
    expect(await (await fetch(`${h.exporter.url}/`)).text()).not.toContain(CANARY);
  });

  it('never appear in CLI output, including errors', () => {
    const out = run('node', ['--import', 'tsx', 'src/cli/index.ts', 'validate', '-c', join(dir, 'modelwatch.yaml')]).out;
    expect(out).toContain('valid');
    expect(out).not.toContain(CANARY);
    writeFileSync(join(dir, 'inline.yaml'), `version: 1\nbilling: [{name: o, provider: openai, api_key: "${CANARY}-inline"}]\nmodels: [{name: a, task: llm}]\n`);
    const bad = run('node', ['--import', 'tsx', 'src/cli/index.ts', 'validate', '-c', join(dir, 'inline.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('inline secrets are not allowed');
    expect(bad.out).not.toContain(CANARY);
  });
});
