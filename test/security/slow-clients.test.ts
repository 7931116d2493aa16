// Clients that hold connections cannot take the exporter away from Prometheus: a request whose
// headers never finish is cut at the headers timeout, a client that never reads its response at
// the idle timeout, and connections beyond the cap are closed at once. Limits are shortened here.
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { createLogger, startExporter, type RunningExporter } from '../../src/exporter/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let exporter: RunningExporter;
let port: number;
const MAX = 20;
const PER_ADDRESS = 8;

beforeAll(async () => {
  // A /metrics body (about 8 MB uncompressed) larger than loopback socket buffers hold, so a
  // client that does not read leaves the server blocked mid-response.
  const models = Array.from({ length: 6000 }, (_, i) => `  - {name: m${i}, task: classification, endpoint: {protocol: http, url: "http://127.0.0.1:9"}}`).join('\n');
  const r = parseConfig(`version: 1\nexporter: {series_limit: 45000}\nprometheus: {sample_limit: 100000}\nmodels:\n${models}\n`, 'slow.yaml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  exporter = await startExporter(r.model, {
    logger: createLogger('silent', new Writable({ write(_c, _e, done) { done(); } })), port: 0, host: '127.0.0.1', stateDir: mkdtempSync(join(tmpdir(), 'slow-')),
    limits: { headersTimeoutMs: 500, requestTimeoutMs: 1000, idleTimeoutMs: 800, maxConnections: MAX, maxConnectionsPerAddress: PER_ADDRESS },
  });
  port = Number(new URL(exporter.url).port);
});
afterAll(async () => { await exporter.stop(); });

const open = (from = '127.0.0.1') => new Promise<Socket>((resolve, reject) => { const s = connect({ port, host: '127.0.0.1', localAddress: from }, () => resolve(s)); s.once('error', reject); });
// Loopback addresses 127.0.0.2... are distinct clients to the server (Linux routes all of 127/8).
const addresses = (n: number) => Array.from({ length: n }, (_, i) => `127.0.0.${2 + (i % 200)}`);
const closed = (s: Socket) => new Promise<void>((resolve) => { if (s.destroyed) resolve(); else s.once('close', () => resolve()); });

describe('slow and hoarding clients', () => {
  it('cuts a request whose headers never finish (slowloris)', async () => {
    const s = await open();
    let answer = '';
    s.on('data', (c: Buffer) => { answer += c.toString(); });
    s.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
    await closed(s);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect((await fetch(`${exporter.url}/healthz`)).status).toBe(200);
  });

  it('lets go of a client that asks for /metrics and never reads the answer', async () => {
    const s = await open();
    s.pause();
    s.write('GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n');
    await expect.poll(() => exporter.connections(), { timeout: 5000 }).toBe(1);
    // The response cannot complete, so no keep-alive timer applies: only the idle timeout frees it.
    await expect.poll(() => exporter.connections(), { timeout: 10_000, interval: 200 }).toBe(0);
    expect(s.destroyed).toBe(false);
    s.resume();
    await closed(s);
    // It got part of the answer, then the server hung up.
    expect(s.bytesRead).toBeGreaterThan(0);
    expect(s.bytesRead).toBeLessThan(8_000_000);
  });

  it('closes an address\'s connections beyond its share, while another address is served', async () => {
    const held = await Promise.all(Array.from({ length: PER_ADDRESS }, () => open('127.0.0.250')));
    const extra = await open('127.0.0.250');
    await closed(extra);
    expect(extra.bytesRead).toBe(0);
    expect((await fetch(`${exporter.url}/healthz`)).status).toBe(200);
    for (const s of held) s.destroy();
  });

  it('at the cap, a light client (Prometheus) takes a connection from the heaviest holder', async () => {
    const held = await Promise.all([...Array.from({ length: PER_ADDRESS }, () => open('127.0.0.240')), ...Array.from({ length: PER_ADDRESS }, () => open('127.0.0.241')), ...addresses(MAX - 2 * PER_ADDRESS).map((a) => open(a))]);
    await expect.poll(() => exporter.connections(), { timeout: 2000 }).toBe(MAX);
    const res = await fetch(`${exporter.url}/healthz`);
    expect(res.status).toBe(200);
    // Exactly one held connection went, from a heaviest address.
    await expect.poll(() => held.filter((s) => s.readyState !== 'open').length, { timeout: 2000 }).toBe(1);
    for (const s of held) s.destroy();
  });

  it('closes connections beyond the cap at once, and serves again when held ones go', async () => {
    const held = await Promise.all(addresses(MAX).map((a) => open(a)));
    const extra = await open('127.0.0.251');
    await closed(extra);
    expect(extra.bytesRead).toBe(0);
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`${exporter.url}/metrics`)).status).toBe(200);
  });
});
