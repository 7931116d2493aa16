// Nothing generated may reference a metric that does not exist: every metric in every rule,
// promtool input series, dashboard target, variable and annotation is a catalog series, a
// generated recording rule, or a Prometheus built-in.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CATALOG, exposedSeriesNames } from '../src/catalog/metrics.js';
import { UPSTREAM } from '../src/catalog/upstream.js';
import { ENGINES, engineSeriesNames } from '../src/catalog/engines.js';
import { loadConfig } from '../src/config/index.js';
import { generateAll } from '../src/generate/index.js';
import { collectExprs, metricNames } from './exprs.js';

const BUILT_INS = new Set(['up', 'ALERTS', ...Object.values(UPSTREAM)]);
// Serving-engine metrics, as the engine catalog names them (checked against the engines' own
// declarations and captures in test/engines.test.ts).
const ENGINE_METRICS = Object.values(ENGINES).flatMap(engineSeriesNames);

describe.each(['examples/modelwatch.yaml', 'test/golden/minimal/config.yaml', 'test/golden/quality/config.yaml'])('%s', (file) => {
  const loaded = loadConfig(file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const artifacts = generateAll(loaded.model);
  const exprs = collectExprs(artifacts);
  const recorded = new Set(artifacts.filter((a) => a.path.startsWith('prometheus/rules/'))
    .flatMap((a) => (yaml.load(a.content) as { groups: { rules: { record?: string }[] }[] }).groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : [])))));
  const known = new Set([...CATALOG.flatMap(exposedSeriesNames), ...recorded, ...BUILT_INS, ...ENGINE_METRICS]);

  it('finds expressions in rules, tests and every dashboard', () => {
    for (const prefix of ['prometheus/rules/', 'prometheus/tests/', 'grafana/dashboards/']) {
      expect(exprs.some((e) => e.where.startsWith(prefix)), prefix).toBe(true);
    }
    expect(exprs.some((e) => e.where.includes(' variable '))).toBe(true);
    expect(exprs.some((e) => e.where.includes(' annotation '))).toBe(true);
  });

  it('parses every expression without syntax errors', () => {
    const broken = exprs.filter((e) => metricNames(e.expr).errors > 0).map((e) => `${e.where}: ${e.expr}`);
    expect(broken).toEqual([]);
  });

  it('names only catalog metrics, generated recording rules and built-ins', () => {
    const unknown = exprs.flatMap((e) => metricNames(e.expr).names.filter((n) => !known.has(n)).map((n) => `${e.where}: ${n}`));
    expect(unknown).toEqual([]);
  });

  it('selects at least one metric in every expression', () => {
    const empty = exprs.filter((e) => metricNames(e.expr).names.length === 0 && !/^(time\(\)|vector\(1\))$/.test(e.expr)).map((e) => e.where);
    expect(empty).toEqual([]);
  });
});

describe('the catalog', () => {
  it('follows Prometheus naming', () => {
    for (const m of CATALOG) {
      expect(m.name).toMatch(/^modelwatch_[a-z0-9_]+$/);
      expect(m.name.endsWith('_total')).toBe(m.type === 'counter');
      if (m.unit === 'seconds') expect(m.name).toMatch(/_seconds(_total)?$/);
      if (m.unit === 'timestamp') expect(m.name).toMatch(/_timestamp_seconds$/);
      if (m.unit === 'ratio') expect(m.name).toMatch(/_ratio$/);
      if (m.unit === 'info') expect(m.name).toMatch(/_info$/);
      if (m.type === 'histogram') expect(m.buckets?.length).toBeGreaterThan(0);
      expect(m.help.length).toBeGreaterThan(10);
      expect(m.labels).not.toContain('le');
      expect(m.labels).not.toContain('quantile');
    }
  });

  it('has unique names', () => {
    const names = CATALOG.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
