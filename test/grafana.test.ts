// Grafana accepts semantically broken provisioning silently (grafana#25866), so the generator
// checks its dashboards itself: the rules of grafana/dashboard-linter that apply, and more.
import yaml from 'js-yaml';
import { ENGINE_SERIES } from '../src/generate/prometheus/engines.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { generateAll } from '../src/generate/index.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const loaded = loadConfig('examples/modelwatch.yaml');
if (!loaded.ok) throw new Error('example must load');
const artifacts = generateAll(loaded.model);
const dashboards = artifacts.filter((a) => a.path.startsWith('grafana/dashboards/')).map((a) => ({ path: a.path, d: JSON.parse(a.content) as Json }));
const panels = dashboards.flatMap(({ path, d }) => (d.panels as Json[]).filter((p) => p.type !== 'row').map((p) => ({ path, p })));

describe('generated dashboards', () => {
  it('cover the four audiences with stable, unique uids', () => {
    expect(dashboards.map(({ d }) => d.uid).sort()).toEqual(['modelwatch-business-cost', 'modelwatch-data-quality-drift', 'modelwatch-model-detail', 'modelwatch-overview']);
  });

  it.each(dashboards)('$path is read-only, current and tagged', ({ d }) => {
    expect(d.editable).toBe(false);
    expect(d.schemaVersion).toBeGreaterThanOrEqual(41);
    expect(d.tags).toContain('generated');
    expect(d.description).toContain('DO NOT EDIT');
  });

  it.each(dashboards)('$path has the datasource, job and model variables', ({ d }) => {
    const vars = d.templating.list as Json[];
    expect(vars.find((v) => v.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'prometheus', label: 'Data source' });
    for (const name of ['job', 'model']) {
      expect(vars.find((v) => v.name === name)).toMatchObject({ type: 'query', refresh: 2, multi: true, includeAll: true, allValue: '.+', datasource: { uid: '${datasource}' } });
    }
  });

  it('give every panel, rows included, an id unique in its dashboard (viewPanel deep links)', () => {
    for (const { path, d } of dashboards) {
      const ids = (d.panels as Json[]).map((p) => p.id as unknown);
      expect(ids.every((id) => Number.isInteger(id) && (id as number) > 0), path).toBe(true);
      expect(new Set(ids).size, path).toBe(ids.length);
    }
  });

  it('colour what needs colour: an endpoint at 0 is red, levels are dashed lines at the configured values', () => {
    const byTitle = (t: string) => panels.find(({ p }) => p.title === t)?.p as Json;
    expect(byTitle('Endpoints ready').fieldConfig.defaults.thresholds.steps).toEqual([{ value: null, color: 'red' }, { value: 1, color: 'green' }]);
    expect(byTitle('Endpoints ready').options.colorMode).toBe('background');
    expect(byTitle('Firing alerts').targets[0].expr).toContain('or on() label_replace(vector(0)');
    const errors = byTitle('Error ratio').fieldConfig;
    expect(errors.defaults.custom.thresholdsStyle.mode).toBe('dashed');
    expect(errors.defaults.thresholds.steps.slice(1)).toEqual([{ value: 0.02, color: 'orange' }, { value: 0.05, color: 'red' }]);
    expect(byTitle('PSI by feature').fieldConfig.defaults.thresholds.steps.slice(1)).toEqual([{ value: 0.1, color: 'orange' }, { value: 0.2, color: 'red' }]);
  });

  it('link to one another, keeping the time range and the variables', () => {
    for (const { path, d } of dashboards) expect(d.links, path).toEqual([expect.objectContaining({ type: 'dashboards', tags: ['modelwatch'], includeVars: true, keepTime: true })]);
  });

  it('give every panel a title, a description, a unit and the datasource variable', () => {
    const bad = panels.filter(({ p }) => !p.title || !p.description || !p.fieldConfig?.defaults?.unit || p.datasource?.uid !== '${datasource}');
    expect(bad.map(({ path, p }) => `${path} ${p.title}`)).toEqual([]);
  });

  it('give every panel at least one target, scoped to the job (engine series: to the model)', () => {
    // Engine series come from the model servers' own scrape jobs, not modelwatch's: their model label scopes them.
    const engineSeries = new Set(Object.values(ENGINE_SERIES));
    for (const { path, p } of panels) {
      expect(p.targets?.length, `${path} ${p.title}`).toBeGreaterThan(0);
      for (const t of p.targets as Json[]) {
        const expr = String(t.expr);
        if (engineSeries.has(expr.split('{')[0] as string)) expect(expr, `${path} ${p.title}`).toContain('model=~"$model"');
        else if (!expr.includes('ALERTS')) expect(expr, `${path} ${p.title}`).toContain('job=~"$job"');
      }
    }
  });

  it('use $__rate_interval for every rate', () => {
    const ranges = panels.flatMap(({ path, p }) => (p.targets as Json[]).flatMap((t) =>
      [...String(t.expr).matchAll(/\b(rate|irate|increase)\([^[]*\[([^\]]+)\]/g)].map((m) => ({ where: `${path} ${p.title}`, range: m[2] }))));
    expect(ranges.length).toBeGreaterThan(10);
    expect(ranges.filter((r) => r.range !== '$__rate_interval')).toEqual([]);
  });

  it('lay panels out without overlap', () => {
    for (const { d } of dashboards) {
      const cells = new Set<string>();
      for (const p of d.panels as Json[]) {
        const { x, y, w, h } = p.gridPos;
        expect(x + w).toBeLessThanOrEqual(24);
        for (let i = x; i < x + w; i++) for (let j = y; j < y + h; j++) {
          expect(cells.has(`${i},${j}`), `${d.uid} ${p.title}`).toBe(false);
          cells.add(`${i},${j}`);
        }
      }
    }
  });
});

describe('grafana provisioning', () => {
  const file = (p: string) => yaml.load(artifacts.find((a) => a.path === p)?.content ?? '') as Json;

  it('provisions the Prometheus datasource with the real scrape interval', () => {
    const ds = file('grafana/provisioning/datasources/modelwatch.yml').datasources[0];
    expect(ds).toMatchObject({ type: 'prometheus', access: 'proxy', url: 'http://prometheus:9090', jsonData: { timeInterval: '15s' } });
  });

  it('provisions dashboards from the directory compose mounts', () => {
    const provider = file('grafana/provisioning/dashboards/modelwatch.yml').providers[0];
    const compose = file('docker-compose.yml');
    expect(compose.services.grafana.volumes).toContain(`./grafana/dashboards:${provider.options.path}:ro`);
    expect(provider).toMatchObject({ type: 'file', folder: 'ModelWatch', allowUiUpdates: false });
  });
});
