// Scrapes under attack: `modelwatch serve` with basic auth (bcrypt cost 10) in its own process;
// a scraper with the right password measures /metrics latency while (a) nobody attacks, (b) 40
// connections from 40 addresses send wrong passwords as fast as they are answered, (c) 1,000
// connections from 100 addresses ask for /metrics and never read the answer. Run: npm run
// bench:auth. Loopback addresses 127.0.0.2... stand for distinct clients (Linux routes 127/8).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';

const PASSWORD = 'right-password';

// 40 loops, one per loopback address, each sending a new wrong password as soon as the last is
// answered; prints how many were refused without a password check (429/503) when stopped.
const ATTACKERS = `
const http = require('node:http');
const port = Number(process.argv[1]);
let refused = 0, on = true;
process.on('SIGTERM', () => { on = false; process.stdout.write(refused + '\\n'); process.exit(0); });
for (let a = 0; a < 40; a++) (async () => {
  for (let n = 0; on; n++) {
    const status = await new Promise((resolve) => {
      const auth = 'Basic ' + Buffer.from('prometheus:wrong-' + a + '-' + n).toString('base64');
      const req = http.request({ host: '127.0.0.1', port, path: '/metrics', localAddress: '127.0.0.' + (2 + a), headers: { authorization: auth }, agent: false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
      req.on('error', () => resolve(0));
      req.end();
    });
    if (status === 429 || status === 503) refused++;
  }
})();
`;
// The control: a bare server in its own process that refuses every request after 1 s, as the
// exporter does. The same attackers aimed at it load the machine without touching the exporter.
const SINK = `
const http = require('node:http');
http.createServer((req, res) => { req.resume(); setTimeout(() => { res.statusCode = 401; res.end('unauthorized\\n'); }, 1000); }).listen(Number(process.argv[1]), '127.0.0.1');
`;
const SCRAPES = 1000;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const auth = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function get(port: number, authorization: string, localAddress = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', localAddress, headers: { authorization, 'accept-encoding': 'gzip' }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function scrapes(port: number): Promise<{ p50: number; p99: number; failed: number }> {
  const t: number[] = [];
  let failed = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const s = performance.now();
    if ((await get(port, auth('prometheus', PASSWORD))) !== 200) failed++;
    t.push(performance.now() - s);
    await sleep(10);
  }
  return { p50: pct(t, 0.5), p99: pct(t, 0.99), failed };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-auth-'));
  writeFileSync(join(dir, 'web.yml'), `basic_auth_users:\n  prometheus: "${bcrypt.hashSync(PASSWORD, 10)}"\n`);
  const models = Array.from({ length: 100 }, (_, i) => `  - {name: m${i}, task: classification, endpoint: {protocol: http, url: "http://127.0.0.1:9", interval: 5s}}`).join('\n');
  writeFileSync(join(dir, 'modelwatch.yaml'), `version: 1\nexporter: {state_dir: ${join(dir, 'state')}}\nmodels:\n${models}\n`);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [join(import.meta.dirname, '../src/cli/index.js'), 'serve', '-c', join(dir, 'modelwatch.yaml'), '--port', String(port), '--listen', '127.0.0.1', '--web.config.file', join(dir, 'web.yml')], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && (await get(port, auth('prometheus', PASSWORD))) !== 200; i++) await sleep(100);
    const rows: string[] = [];
    const row = (name: string, r: { p50: number; p99: number; failed: number }, base?: number) =>
      rows.push(`| ${name} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${base ? `${(r.p99 / base).toFixed(2)}x` : '1x'} | ${r.failed} |`);

    const quiet = await scrapes(port);
    row('no attack', quiet);

    // The attackers run in a process of their own: sharing the scraper's event loop, their
    // answers would delay its measurements and count as exporter latency.
    const attackers = spawn(process.execPath, ['-e', ATTACKERS, String(port)], { stdio: ['ignore', 'pipe', 'ignore'] });
    let refusedText = '';
    attackers.stdout.on('data', (c: Buffer) => { refusedText += c.toString(); });
    await sleep(300);
    const wrong = await scrapes(port);
    attackers.kill('SIGTERM');
    await new Promise((r) => attackers.once('exit', r));
    const refused = Number(refusedText.trim().split('\n').pop() ?? 0);
    row('40 connections sending wrong passwords (40 addresses)', wrong, quiet.p99);

    const sinkPort = port + 1;
    const sink = spawn(process.execPath, ['-e', SINK, String(sinkPort)], { stdio: 'ignore' });
    await sleep(300);
    const elsewhere = spawn(process.execPath, ['-e', ATTACKERS, String(sinkPort)], { stdio: 'ignore' });
    await sleep(300);
    const control = await scrapes(port);
    elsewhere.kill('SIGTERM');
    sink.kill('SIGTERM');
    await new Promise((r) => elsewhere.once('exit', r));
    row('the same 40 attackers against another server on this machine (control)', control, quiet.p99);

    const held: Socket[] = [];
    for (let i = 0; i < 1000; i++) {
      const s = connect({ port, host: '127.0.0.1', localAddress: `127.0.1.${1 + (i % 100)}` });
      s.on('error', () => undefined);
      s.pause();
      s.write(`GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth('prometheus', PASSWORD)}\r\nAccept-Encoding: identity\r\n\r\n`);
      held.push(s);
    }
    await sleep(500);
    const slow = await scrapes(port);
    for (const s of held) s.destroy();
    row('1,000 connections that never read (100 addresses)', slow, quiet.p99);

    process.stdout.write(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; ${SCRAPES} sequential scrapes with the right password (cached after the first), 100 models\n\n`);
    process.stdout.write('| while | scrape p50 ms | scrape p99 ms | p99 vs no attack | failed scrapes |\n| --- | --- | --- | --- | --- |\n');
    process.stdout.write(`${rows.join('\n')}\n\nwrong-password requests turned away with 429/503 (no bcrypt, or queue full): ${refused}\n`);
  } finally {
    child.kill('SIGTERM');
  }
}

void main();
