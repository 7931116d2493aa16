// W3 (PERFORMANCE.md): exposition at 10k and 100k series, 8 concurrent scrapers.
// Compares modelwatch's cached exposition with bare prom-client rendering per scrape, in the
// same process on the same registry. Run: npm run bench.
import { fork } from 'node:child_process';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Gauge, Registry } from 'prom-client';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/index.js';
import { labelPolicy } from '../src/exporter/index.js';
import { IngestPipeline } from '../src/ingest/index.js';
import { Exposition } from '../src/exporter/exposition.js';
import { createApp } from '../src/exporter/server.js';

const FAMILIES = 100;
const SCRAPERS = 8;

function buildRegistry(series: number): Registry {
  const registry = new Registry();
  const perFamily = series / FAMILIES;
  for (let f = 0; f < FAMILIES; f++) {
    const g = new Gauge({ name: `bench_family_${f}`, help: `Family ${f}.`, labelNames: ['model', 'feature', 'window'], registers: [registry] });
    for (let i = 0; i < perFamily; i++) g.set({ model: `model_${i % 10}`, feature: `feature_${Math.floor(i / 10)}`, window: '1h' }, Math.random());
  }
  return registry;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number;

async function time(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return median(t);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

/** One raw scrape: the bytes as sent (gzip stays compressed, as on the wire to Prometheus). */
const scrapeOnce = (url: string) => new Promise<void>((resolve, reject) => {
  get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
});

/**
 * The scrapers run in a child process, like Prometheus servers on other machines: flat out for
 * `total` scrapes, or paced (each scraper once per `intervalMs`) until the parent says stop.
 */
async function scraperProcess(url: string, total: number, intervalMs: number): Promise<void> {
  const latencies: number[] = [];
  let left = total;
  let stopped = false;
  process.on('message', () => { stopped = true; });
  await Promise.all(Array.from({ length: SCRAPERS }, async () => {
    while (intervalMs > 0 ? !stopped : left-- > 0) {
      const s = performance.now();
      await scrapeOnce(url);
      latencies.push(performance.now() - s);
      if (intervalMs > 0) await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (performance.now() - s))));
    }
  }));
  process.send?.(latencies);
}

async function hammer(url: string, total: number, paced?: { intervalMs: number; until: Promise<unknown> }): Promise<{ p50: number; p99: number; maxBlockMs: number; scrapes: number }> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const child = fork(new URL(import.meta.url).pathname, ['--scrape', url, String(total), String(paced?.intervalMs ?? 0)], { execArgv: import.meta.url.endsWith('.ts') ? ['--import', 'tsx'] : [] });
  const result = new Promise<number[]>((resolve) => child.once('message', (m) => resolve(m as number[])));
  if (paced) void paced.until.then(() => child.send('stop'));
  const latencies = await result;
  loop.disable();
  return { p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), maxBlockMs: loop.max / 1e6, scrapes: latencies.length };
}

async function run(series: number): Promise<void> {
  const registry = buildRegistry(series);
  const exposition = new Exposition(registry);
  const bare = await time(() => registry.metrics(), 5);
  const refresh = await time(() => exposition.refresh(), 5);

  const cachedServer = createApp(() => exposition, () => true).listen(0);
  await new Promise((r) => cachedServer.once('listening', r));
  const cachedUrl = `http://127.0.0.1:${(cachedServer.address() as AddressInfo).port}/metrics`;
  const naiveServer = createServer((_req, res) => void registry.metrics().then((t) => res.end(t)));
  const naiveUrl = await listen(naiveServer);

  const scrapes = series >= 100_000 ? 64 : 400;
  const cached = await hammer(cachedUrl, scrapes);
  const naive = await hammer(naiveUrl, scrapes);
  cachedServer.close();
  naiveServer.close();

  const f = (n: number) => n.toFixed(1);
  console.log(`| ${series.toLocaleString('en')} | ${f(bare)} | ${f(refresh)} (${(refresh / bare).toFixed(2)}x) | ${f(cached.p50)} / ${f(cached.p99)} | ${f(naive.p50)} / ${f(naive.p99)} | ${(cached.p99 / naive.p99).toFixed(2)}x | ${f(cached.maxBlockMs)} |`);
}

if (process.argv[2] === '--scrape') {
  await scraperProcess(process.argv[3] as string, Number(process.argv[4]), Number(process.argv[5]));
  process.exit(0);
}

/** W4: scrapes of 10k series while the same process ingests prediction logs. */
async function underIngest(records: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-w4-'));
  const lines = Array.from({ length: records }, (_, i) => JSON.stringify({ id: i, model: 'm', v: 'v1', f: Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`f${k}`, Math.random()])), lat: Math.random() }));
  writeFileSync(join(dir, 'p-1.jsonl'), `${lines.join('\n')}\n`);
  const loaded = parseConfig(`version: 1
log_stores: [{name: p, kind: jsonl, path: ${join(dir, 'p-*.jsonl')}, fields: {request_id: id, model: model, version: v, features: f, latency: lat}}]
models: [{name: m, task: llm, log_store: p, versions: [v1], features: [${Array.from({ length: 20 }, (_, k) => `{name: f${k}, type: numeric, range: [0, 1]}`).join(', ')}]}]
`, 'w4.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const ingest = async () => {
    const p = new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model), stateDir: mkdtempSync(join(dir, 's-')) });
    const s = performance.now();
    await p.poll('p');
    return performance.now() - s;
  };
  await ingest(); // JIT warm-up, not measured
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  const alone = median([await ingest(), await ingest(), await ingest()]);
  const registry = buildRegistry(10_000);
  const exposition = new Exposition(registry);
  await exposition.refresh();
  const server = createApp(() => exposition, () => true).listen(0);
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  const underLoad = async (paced: boolean) => {
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const ingesting = ingest();
    const scrapes = await (paced ? hammer(url, 0, { intervalMs: 250, until: ingesting }) : hammer(url, 2000));
    const ms = await ingesting;
    loop.disable();
    return { ms, scrapes, block: Math.max(scrapes.maxBlockMs, loop.max / 1e6) };
  };
  const flat = await underLoad(false);
  const paced = await underLoad(true);
  server.close();
  console.log(`\nW4: ${records.toLocaleString('en')} records ingested while 8 scrapers read 10,000 series (ingest alone: median of 3 after a warm-up)`);
  console.log('| scrapers | scrapes | ingest alone ms | ingest under scrapes ms | ingest ratio | scrape p50 / p99 ms | max event-loop block ms |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, r] of [['flat out (next scrape as soon as one ends)', flat], ['paced: each every 250 ms', paced]] as const) {
    console.log(`| ${name} | ${r.scrapes.scrapes} | ${alone.toFixed(0)} | ${r.ms.toFixed(0)} | ${(alone / r.ms).toFixed(2)}x | ${r.scrapes.p50.toFixed(1)} / ${r.scrapes.p99.toFixed(1)} | ${r.block.toFixed(1)} |`);
  }
}

console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${SCRAPERS} concurrent scrapers, gzip accepted`);
console.log('| series | prom-client metrics() ms | modelwatch refresh ms | cached scrape p50 / p99 ms | render-per-scrape p50 / p99 ms | p99 ratio | max event-loop block ms (cached) |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const series of [10_000, 100_000]) await run(series);
await underIngest(300_000);
