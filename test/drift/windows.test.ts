// Drift windows through the real pipeline, JSONL in and the exposition out: a late record never
// touches the window, an empty window exposes no statistic, shifts outside the reference range
// show, and a line with Python's NaN keeps its other fields.
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';
import { ProfileBuilder } from '../../src/stats/profile.js';

const NOW = 1_800_000_000;

function setup(reference: number[]) {
  const dir = mkdtempSync(join(tmpdir(), 'drift-'));
  const b = new ProfileBuilder('m', [{ name: 'x', type: 'numeric' }, { name: 'c', type: 'categorical' }]);
  const rows = reference.map((x, i) => ({ x, c: ['a', 'b'][i % 2] }));
  for (const r of rows) b.first(r);
  b.freeze();
  for (const r of rows) b.second(r);
  writeFileSync(join(dir, 'baseline.json'), JSON.stringify(b.profile()));
  const loaded = parseConfig(`version: 1
log_stores: [{name: logs, kind: jsonl, path: ${dir}/p-*.jsonl, fields: {timestamp: ts, features: f}}]
models:
  - name: m
    task: classification
    log_store: logs
    baseline: ${dir}/baseline.json
    drift_window: 1h
    features: [{name: x, type: numeric}, {name: c, type: categorical, categories: [a, b]}]
`, 'drift.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  let now = NOW;
  const registry = new Registry();
  const p = new IngestPipeline(loaded.model, { registry, policy: labelPolicy(loaded.model, 1000), stateDir: join(dir, 'state'), now: () => now });
  const write = (lines: string[]) => appendFileSync(join(dir, 'p-1.jsonl'), `${lines.join('\n')}\n`);
  /** One sample of the exposition, or undefined when the series is absent. */
  const sample = async (name: string, labels: string) => {
    const text = await registry.metrics();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { p, write, sample, setNow: (t: number) => { now = t; } };
}

const record = (x: unknown, ts: number, c = 'a') => `{"ts":${ts},"f":{"x":${x},"c":"${c}"}}`;
const normal = (seed: number) => {
  let s = seed;
  const u = () => { s = (s * 1103515245 + 12345) % 2147483648; return (s + 0.5) / 2147483648; };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
};

describe('drift windows', () => {
  it('counts a record older than the window as late, without wiping the window', async () => {
    const s = setup(Array.from({ length: 2000 }, (_, i) => i % 100));
    s.write(Array.from({ length: 1000 }, (_, i) => record(i % 100, NOW - 60)));
    s.write([record(50, NOW - 3600 - 300)]);
    s.write(Array.from({ length: 1000 }, (_, i) => record(i % 100, NOW - 30)));
    await s.p.poll('logs');
    expect(await s.sample('modelwatch_drift_window_samples', 'feature="x"')).toBe(2000);
    expect(await s.sample('modelwatch_drift_late_values_total', 'feature="x"')).toBe(1);
    expect(await s.sample('modelwatch_drift_late_values_total', 'feature="c"')).toBe(1);
  });

  it('removes the statistics of a window that emptied, instead of leaving their last values', async () => {
    const s = setup(Array.from({ length: 2000 }, (_, i) => i % 100));
    s.write(Array.from({ length: 600 }, (_, i) => record(i % 100, NOW - 60)));
    await s.p.poll('logs');
    expect(await s.sample('modelwatch_drift_psi', 'feature="x"')).toBeGreaterThanOrEqual(0);
    expect(await s.sample('modelwatch_drift_noise_floor', 'statistic="psi"')).toBeGreaterThan(0);
    s.setNow(NOW + 2 * 3600);
    await s.p.poll('logs');
    expect(await s.sample('modelwatch_drift_window_samples', 'feature="x"')).toBe(0);
    for (const name of ['modelwatch_drift_psi', 'modelwatch_drift_ks_statistic', 'modelwatch_drift_ks_statistic_upper_bound', 'modelwatch_drift_js_distance', 'modelwatch_drift_chi_square_statistic', 'modelwatch_drift_noise_floor']) {
      expect(await s.sample(name, 'model="m"'), name).toBeUndefined();
    }
  });

  it('sees a feature constant in the reference move below it: PSI far above 0, D = 1', async () => {
    const s = setup(Array.from({ length: 6000 }, () => 5));
    s.write(Array.from({ length: 600 }, () => record(4, NOW - 60)));
    await s.p.poll('logs');
    expect(await s.sample('modelwatch_drift_psi', 'feature="x"')).toBeGreaterThan(5);
    expect(await s.sample('modelwatch_drift_ks_statistic', 'feature="x"')).toBe(1);
    expect(await s.sample('modelwatch_drift_ks_statistic_upper_bound', 'feature="x"')).toBe(1);
  });

  it('keeps the KS bound tight when values move beyond the reference maximum', async () => {
    const draw = normal(7);
    const reference = Array.from({ length: 20_000 }, draw);
    const max = Math.max(...reference);
    const s = setup(reference);
    const again = normal(7);
    // The same values as the reference's first 3000, and 3000 more beyond its maximum: exact D = 0.5.
    s.write([...Array.from({ length: 3000 }, () => record(again(), NOW - 60)), ...Array.from({ length: 3000 }, (_, i) => record(max + 1 + i, NOW - 60))]);
    await s.p.poll('logs');
    const d = await s.sample('modelwatch_drift_ks_statistic', 'feature="x"') as number;
    const upper = await s.sample('modelwatch_drift_ks_statistic_upper_bound', 'feature="x"') as number;
    expect(d).toBeGreaterThan(0.49);
    expect(d).toBeLessThanOrEqual(0.5 + 1e-12);
    // The old bound added the overflow's whole window mass (0.5) and said 1.
    expect(upper).toBeLessThan(0.52);
    expect(upper).toBeGreaterThanOrEqual(0.5);
  });

  it('reads NaN and Infinity (Python json) as non-finite numbers of that field only', async () => {
    const s = setup(Array.from({ length: 2000 }, (_, i) => i % 100));
    s.write([record('NaN', NOW - 60, 'a'), record('Infinity', NOW - 60, 'b'), record('-Infinity', NOW - 60, 'a'), record(3, NOW - 60, 'b')]);
    await s.p.poll('logs');
    expect(await s.sample('modelwatch_records_rejected_total', 'reason="malformed"')).toBe(0);
    expect(await s.sample('modelwatch_feature_type_errors_total', 'feature="x"')).toBe(3);
    expect(await s.sample('modelwatch_feature_values_total', 'feature="c"')).toBe(4);
    expect(await s.sample('modelwatch_drift_window_samples', 'feature="c"')).toBe(4);
    expect(await s.sample('modelwatch_drift_window_samples', 'feature="x"')).toBe(1);
  });
});
