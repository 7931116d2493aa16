// /metrics over TLS with basic auth from an exporter-toolkit web config: the handshake, the right
// user, a wrong password, an unknown user, and a rotated config taking effect without restart.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { createLogger, startExporter, type RunningExporter } from '../../src/exporter/index.js';

const dir = mkdtempSync(join(tmpdir(), 'web-'));
let exporter: RunningExporter;
let ca: Buffer;

const webConfig = (users: Record<string, string>) => `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n${Object.entries(users).map(([u, p]) => `  ${u}: "${bcrypt.hashSync(p, 4)}"`).join('\n')}\n`;

function scrape(auth?: string): Promise<number> {
  const url = new URL(`${exporter.url}/metrics`);
  return new Promise((resolve, reject) => {
    get({ host: url.hostname, port: url.port, path: url.pathname, ca, servername: 'localhost', headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {} }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'server.key'), '-out', join(dir, 'server.crt'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  ca = readFileSync(join(dir, 'server.crt'));
  writeFileSync(join(dir, 'web.yml'), webConfig({ prometheus: 'scrape-secret' }));
  const loaded = parseConfig(`version: 1\nexporter: {state_dir: ${join(dir, 'state')}}\nmodels: [{name: a, task: llm}]\n`, 'c.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  exporter = await startExporter(loaded.model, { logger: createLogger('silent'), port: 0, host: '127.0.0.1', start: false, webConfigFile: join(dir, 'web.yml') });
});

afterAll(() => exporter.stop());

describe('the web config', () => {
  it('serves over TLS', () => {
    expect(exporter.url.startsWith('https://')).toBe(true);
  });

  it('lets the right user in and keeps everyone else out', async () => {
    expect(await scrape('prometheus:scrape-secret')).toBe(200);
    expect(await scrape('prometheus:wrong')).toBe(401);
    expect(await scrape('mallory:scrape-secret')).toBe(401);
    expect(await scrape()).toBe(401);
  });

  it('takes a rotated config without a restart', async () => {
    writeFileSync(join(dir, 'web.yml'), webConfig({ prometheus: 'rotated-secret' }));
    try {
      await new Promise((r) => setTimeout(r, 1100));
      await expect.poll(() => scrape('prometheus:rotated-secret'), { timeout: 5000 }).toBe(200);
      expect(await scrape('prometheus:scrape-secret')).toBe(401);
    } finally {
      // Rotated back, so the other tests find the password they expect, in any order.
      writeFileSync(join(dir, 'web.yml'), webConfig({ prometheus: 'scrape-secret' }));
      await new Promise((r) => setTimeout(r, 1100));
      await expect.poll(() => scrape('prometheus:scrape-secret'), { timeout: 5000 }).toBe(200);
    }
  });
});
