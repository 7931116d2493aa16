// W1/W5 (PERFORMANCE.md): binned-KS accuracy against exact KS, drift evaluation time for
// 20 features x 1000 bins, and ingest throughput of the real pipeline against a plain
// split + JSON.parse loop over the same file. Run: npm run bench:drift [records]
import { copyFileSync, createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { parseConfig } from '../src/config/index.js';
import { labelPolicy } from '../src/exporter/index.js';
import { IngestPipeline } from '../src/ingest/index.js';
import { M } from '../src/catalog/metrics.js';
import { BinIndex, quantileEdges } from '../src/stats/bins.js';
import { evaluateNumeric } from '../src/stats/evaluate.js';
import { ksBinned, ksExact } from '../src/stats/numeric.js';
import { normalFrom, ProfileBuilder, prng } from '../src/stats/profile.js';

const random = prng(2026);
const normal = normalFrom(random);

function accuracy(): void {
  console.log('\n### Binned KS vs exact (k = 1000 reference-quantile bins)\n');
  console.log('| data | n = m | shift (sd) | D exact | D binned | upper bound | D exact - D binned | bound holds |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  // Each distribution drawn with a shift (in standard deviations, or in log scale for the skewed ones).
  const distributions: [string, (shift: number) => number][] = [
    ['normal', (shift) => normal() + shift],
    ['log-normal', (shift) => Math.exp(normal() + shift)],
    ['Pareto (alpha 1.5)', (shift) => (1 - random()) ** (-1 / 1.5) * Math.exp(shift)],
    ['bimodal (N(-2,1) + N(2,1))', (shift) => (random() < 0.5 ? -2 : 2) + normal() + shift],
  ];
  for (const [name, draw] of distributions) {
    for (const n of [10_000, 100_000, 1_000_000]) {
      const ref = Float64Array.from({ length: n }, () => draw(0));
      const index = new BinIndex(quantileEdges(Float64Array.from(ref).sort(), 1000));
      const refCounts = new Float64Array(index.bins);
      for (const v of ref) { const b = index.binOf(v); refCounts[b] = (refCounts[b] as number) + 1; }
      for (const shift of [0, 0.01, 0.03, 0.1]) {
        const cur = Float64Array.from({ length: n }, () => draw(shift));
        const curCounts = new Float64Array(index.bins);
        for (const v of cur) { const b = index.binOf(v); curCounts[b] = (curCounts[b] as number) + 1; }
        const exact = ksExact(ref, cur);
        const b = ksBinned(refCounts, curCounts);
        console.log(`| ${name} | ${n.toLocaleString('en')} | ${shift} | ${exact.toFixed(5)} | ${b.d.toFixed(5)} | ${b.upper.toFixed(5)} | ${(exact - b.d).toExponential(1)} | ${b.d <= exact + 1e-12 && exact <= b.upper + 1e-12 ? 'yes' : 'NO'} |`);
      }
    }
  }
}

function evaluation(): void {
  const features = Array.from({ length: 20 }, () => {
    const b = new ProfileBuilder('m', [{ name: 'x', type: 'numeric' }]);
    const xs = Array.from({ length: 20_000 }, normal);
    for (const x of xs) b.first({ x });
    b.freeze();
    for (const x of xs) b.second({ x });
    const p = b.profile().features.x;
    if (p?.type !== 'numeric') throw new Error('numeric');
    return { p: { ...p, sample: null }, counts: Float64Array.from(p.counts, (c) => c + 1) };
  });
  const runs: number[] = [];
  for (let r = 0; r < 50; r++) {
    const s = performance.now();
    for (const f of features) evaluateNumeric(f.p, { counts: f.counts, raw: null });
    runs.push(performance.now() - s);
  }
  runs.sort((a, b) => a - b);
  console.log(`\nDrift evaluation, 20 numeric features x 1000 bins (PSI + KS + bound + p-value): median ${runs[25]?.toFixed(2)} ms\n`);
}

async function ingest(records: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-drift-'));
  const names = Array.from({ length: 20 }, (_, i) => `f${i}`);
  const lines: string[] = [];
  for (let i = 0; i < records; i++) {
    const f: Record<string, unknown> = { c1: ['a', 'b', 'c', 'd'][i % 4], c2: `k${i % 50}` };
    for (const n of names) f[n] = Math.round(normal() * 1000) / 1000;
    lines.push(JSON.stringify({ ts: 1_800_000_000, id: String(i), model: 'm', v: 'v1', f, out: { label: i % 3 ? 'a' : 'b', score: random() }, lat: random() }));
  }
  const file = join(dir, 'preds-1.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const b = new ProfileBuilder('m', [...names.map((name) => ({ name, type: 'numeric' as const })), { name: 'c1', type: 'categorical' }, { name: 'c2', type: 'categorical' }]);
  const sample = lines.slice(0, 20_000).map((l) => (JSON.parse(l) as { f: Record<string, unknown> }).f);
  for (const r of sample) b.first(r);
  b.freeze();
  for (const r of sample) b.second(r);
  writeFileSync(join(dir, 'baseline.json'), JSON.stringify(b.profile()));
  lines.length = 0; // the file holds them now: keep them out of the memory measured below
  const loaded = parseConfig(`version: 1
log_stores: [{name: preds, kind: jsonl, path: ${join(dir, 'preds-*.jsonl')}, fields: {timestamp: ts, request_id: id, model: model, version: v, features: f, prediction: out.label, confidence: out.score, latency: lat}}]
models:
  - name: m
    task: classification
    versions: [v1]
    log_store: preds
    baseline: ${join(dir, 'baseline.json')}
    features: [${[...names.map((n) => `{name: ${n}, type: numeric, range: [-10, 10]}`), '{name: c1, type: categorical}', '{name: c2, type: categorical}'].join(', ')}]
`, 'bench.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));

  // Baseline: split on newlines and JSON.parse every record, nothing else.
  const parseOnly = async () => {
    let rest = '';
    let n = 0;
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20, encoding: 'utf8' })) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) if (p) { JSON.parse(p); n++; }
    }
    return n;
  };
  const pipeline = async () => {
    const p = new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model, 10_000), stateDir: mkdtempSync(join(dir, 'state-')), now: () => 1_800_000_000 });
    await p.poll('preds');
    return p.aggregates.samples(M.predictions)[0]?.value;
  };
  const time = async (f: () => Promise<unknown>) => { const s = performance.now(); await f(); return performance.now() - s; };
  if ((await pipeline()) !== records) throw new Error('the pipeline did not count every record');
  await parseOnly();
  // Alternating rounds, so drift in machine load hits both sides alike; medians, with the spread of the ratio.
  const base: number[] = [];
  const ours: number[] = [];
  for (let r = 0; r < 7; r++) {
    base.push(await time(parseOnly));
    ours.push(await time(pipeline));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
  const ratios = base.map((b, i) => b / (ours[i] as number)).sort((a, b) => a - b);
  const rate = (ms: number) => Math.round(records / (ms / 1000)).toLocaleString('en');
  console.log(`\n### Ingest, ${records.toLocaleString('en')} records x 20 numeric + 2 categorical features (median of 7 alternating rounds)\n`);
  console.log('| pipeline | records/s | ratio (min-max over rounds) |');
  console.log('| --- | --- | --- |');
  console.log(`| split + JSON.parse only | ${rate(median(base))} | 1.00x |`);
  console.log(`| modelwatch ingest (read, parse mapped fields, quality checks, 20 x 1000-bin drift windows, categorical counts, serving counters, checkpoint) | ${rate(median(ours))} | ${median(ratios).toFixed(2)}x (${ratios[0]?.toFixed(2)}-${ratios[ratios.length - 1]?.toFixed(2)}) |`);

  // W2: one pipeline reads the file, then 9 copies of it (10x the records); RSS must not follow.
  const mb = () => process.memoryUsage().rss / 2 ** 20;
  const p = new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model, 10_000), stateDir: mkdtempSync(join(dir, 'state-')), now: () => 1_800_000_000 });
  await p.poll('preds');
  const after1 = mb();
  let peak = after1;
  for (let k = 2; k <= 10; k++) {
    copyFileSync(file, join(dir, `preds-${k}.jsonl`));
    await p.poll('preds');
    peak = Math.max(peak, mb());
  }
  rmSync(dir, { recursive: true, force: true });
  const counted = p.aggregates.samples(M.predictions)[0]?.value ?? 0;
  console.log(`\n### Memory (W2): RSS after ${records.toLocaleString('en')} records ${after1.toFixed(0)} MB; after ${counted.toLocaleString('en')} records ${mb().toFixed(0)} MB (peak ${peak.toFixed(0)} MB, growth ${(peak - after1).toFixed(0)} MB)\n`);
}

accuracy();
evaluation();
await ingest(Number(process.argv[2] ?? 1_000_000));
