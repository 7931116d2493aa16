// `generate --target kubernetes`: every Prometheus Operator resource validates against the typed
// models (the CRD schemas), the PrometheusRule holds exactly the generated rule groups and passes
// promtool, and every dashboard ships in a sidecar ConfigMap.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { generateAll } from '../src/generate/index.js';
import { hasTool, run } from './tools.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const loaded = loadConfig('examples/modelwatch.yaml');
if (!loaded.ok) throw new Error('example must load');
const artifacts = generateAll(loaded.model, { target: 'kubernetes' });
const docs = (path: string) => yaml.loadAll(artifacts.find((a) => a.path === path)?.content ?? '') as Json[];

describe('the Kubernetes target', () => {
  it('writes the exporter, ServiceMonitor, PrometheusRule, AlertmanagerConfig, dashboards and runbooks', () => {
    expect(artifacts.filter((a) => a.path.startsWith('kubernetes/')).map((a) => a.path).sort()).toEqual(['kubernetes/alertmanagerconfig.yaml', 'kubernetes/dashboards.yaml', 'kubernetes/exporter.yaml', 'kubernetes/prometheusrule.yaml', 'kubernetes/servicemonitor.yaml']);
    expect(artifacts.some((a) => a.path.startsWith('runbooks/'))).toBe(true);
    expect(docs('kubernetes/exporter.yaml').map((d) => d.kind)).toEqual(['Deployment', 'Service']);
  });

  it('validates every operator resource against the CRD schemas', () => {
    expect(() => new ServiceMonitor(docs('kubernetes/servicemonitor.yaml')[0] as never).validate()).not.toThrow();
    expect(() => new PrometheusRule(docs('kubernetes/prometheusrule.yaml')[0] as never).validate()).not.toThrow();
    expect(() => new AlertmanagerConfig(docs('kubernetes/alertmanagerconfig.yaml')[0] as never).validate()).not.toThrow();
    // The validation is real: a broken resource is refused.
    const broken = docs('kubernetes/servicemonitor.yaml')[0] as Json;
    broken.spec.endpoints[0].port = 9746;
    expect(() => new ServiceMonitor(broken as never).validate()).toThrow(/port/);
  });

  it('puts exactly the generated rule groups in the PrometheusRule, and promtool accepts them', () => {
    const groups = (docs('kubernetes/prometheusrule.yaml')[0] as Json).spec.groups as Json[];
    const compose = generateAll(loaded.model).filter((a) => a.path.startsWith('prometheus/rules/')).flatMap((a) => (yaml.load(a.content) as Json).groups as Json[]);
    expect(groups).toEqual(compose);
    if (!hasTool('promtool')) return;
    const dir = mkdtempSync(join(tmpdir(), 'k8s-'));
    writeFileSync(join(dir, 'rules.yml'), yaml.dump({ groups }));
    const r = run('promtool', ['check', 'rules', join(dir, 'rules.yml')]);
    expect(r.code, r.out).toBe(0);
  });

  it('ships every dashboard in a ConfigMap the Grafana sidecar picks up', () => {
    const maps = docs('kubernetes/dashboards.yaml');
    expect(maps).toHaveLength(4);
    for (const m of maps) {
      expect(m.metadata.labels.grafana_dashboard).toBe('1');
      const [file, json] = Object.entries(m.data as Record<string, string>)[0] as [string, string];
      expect(file).toMatch(/\.json$/);
      expect((JSON.parse(json) as Json).uid).toMatch(/^modelwatch-/);
    }
  });

  it('references secrets by Secret key, never by value', () => {
    const amc = docs('kubernetes/alertmanagerconfig.yaml')[0] as Json;
    const pd = (amc.spec.receivers as Json[]).find((r) => r.name === 'modelwatch-critical')?.pagerdutyConfigs[0];
    expect(pd.routingKey).toEqual({ name: 'modelwatch-alerting', key: 'pagerduty_routing_key' });
  });
});
