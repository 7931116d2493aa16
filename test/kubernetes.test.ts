// `generate --target kubernetes`, as a kube-prometheus-stack user applies it: every resource
// validates against the published schemas (Kubernetes core via kubernetes-models, the operator
// CRDs via @kubernetes-models/prometheus-operator), `kubectl kustomize` builds the directory once
// the secret files are in place, and every Secret, ConfigMap and key a resource refers to exists
// in that build. The PrometheusRule holds exactly the compose rule groups (plus the namespace
// label the operator routes on) and passes promtool.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertmanagerConfig, ScrapeConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../src/config/index.js';
import { generateAll, writeArtifacts, type Artifact } from '../src/generate/index.js';
import { hasTool, run } from './tools.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const build = (config: string, text?: string): Artifact[] => {
  const loaded = text === undefined ? loadConfig(config) : parseConfig(text, config);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return generateAll(loaded.model, { target: 'kubernetes' });
};
const docsOf = (artifacts: Artifact[], path: string) => yaml.loadAll(artifacts.find((a) => a.path === path)?.content ?? '') as Json[];
const all = (artifacts: Artifact[]) => artifacts.filter((a) => a.path.startsWith('kubernetes/') && a.path !== 'kubernetes/kustomization.yaml').flatMap((a) => yaml.loadAll(a.content) as Json[]);

const CORE: Record<string, new (data: never) => { validate(): void }> = { StatefulSet, ConfigMap, Namespace, Service };
const OPERATOR: Record<string, new (data: never) => { validate(): void }> = { ServiceMonitor, PrometheusRule, AlertmanagerConfig, ScrapeConfig };

/** Every (Secret|ConfigMap, key) a resource reads. */
function references(objects: Json[]): { kind: 'Secret' | 'ConfigMap'; name: string; key: string }[] {
  const out: { kind: 'Secret' | 'ConfigMap'; name: string; key: string }[] = [];
  const walk = (node: unknown, parent?: string) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, parent));
    if (!node || typeof node !== 'object') return;
    const o = node as Json;
    if (o.secretKeyRef) out.push({ kind: 'Secret', name: o.secretKeyRef.name, key: o.secretKeyRef.key });
    for (const source of ['secret', 'configMap'] as const) {
      const s = o[source];
      if (s?.name && Array.isArray(s.items)) for (const i of s.items) out.push({ kind: source === 'secret' ? 'Secret' : 'ConfigMap', name: s.name, key: i.key });
    }
    // Operator SecretKeySelectors: {name, key} under a known secret field.
    if (parent && ['routingKey', 'apiURL', 'authPassword', 'username', 'password', 'secret'].includes(parent) && typeof o.name === 'string' && typeof o.key === 'string') out.push({ kind: 'Secret', name: o.name, key: o.key });
    for (const [k, v] of Object.entries(o)) walk(v, k);
  };
  walk(objects);
  return out;
}

const CASES = {
  example: () => build('examples/modelwatch.yaml'),
  'TLS, basic auth, own namespace and labels': () => build('test/golden/minimal/config.yaml', `${readFileSync('test/golden/minimal/config.yaml', 'utf8')}kubernetes:\n  namespace: ml-monitoring\n  labels: {release: monitoring, team: ml}\n`),
};

describe.each(Object.entries(CASES))('the Kubernetes bundle: %s', (_name, make) => {
  const artifacts = make();
  const objects = all(artifacts);

  it('validates every resource against the Kubernetes and operator schemas', () => {
    for (const o of objects) {
      const Model = CORE[o.kind] ?? OPERATOR[o.kind];
      expect(Model, `no schema for ${o.kind}`).toBeDefined();
      expect(() => new (Model as new (d: never) => { validate(): void })(o as never).validate(), `${o.kind} ${o.metadata?.name}`).not.toThrow();
    }
    // The validation is real: a broken resource is refused.
    const broken = structuredClone(objects.find((o) => o.kind === 'StatefulSet')) as Json;
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new StatefulSet(broken as never).validate()).toThrow();
  });

  it('puts every resource in one configurable namespace, and the operator selector labels on the operator resources', () => {
    const ns = objects.find((o) => o.kind === 'Namespace')?.metadata.name as string;
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe(ns);
    for (const o of objects.filter((x) => OPERATOR[x.kind])) expect(Object.keys(o.metadata.labels)).toContain('release');
  });

  it.skipIf(!hasTool('kubectl'))('builds with kubectl kustomize once the secret files exist, and every Secret and ConfigMap key a resource reads is in the build', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-'));
    writeArtifacts(dir, artifacts);
    const kustomization = docsOf(artifacts, 'kubernetes/kustomization.yaml')[0] as Json;
    mkdirSync(join(dir, 'kubernetes', 'secrets'));
    const files = ((kustomization.secretGenerator ?? []) as Json[]).flatMap((g) => (g.files ?? []) as string[]).map((f) => f.split('=')[1] as string);
    for (const f of files) writeFileSync(join(dir, 'kubernetes', f), 'placeholder\n');
    const built = yaml.loadAll(execFileSync('kubectl', ['kustomize', join(dir, 'kubernetes')], { encoding: 'utf8' })) as Json[];
    expect(built.filter((o) => o.kind !== 'Secret').length).toBe(objects.length);
    const have = new Set(built.flatMap((o) => (o.kind === 'Secret' || o.kind === 'ConfigMap' ? Object.keys(o.data ?? {}).map((k) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}/${k}`) : [])));
    const ns = objects.find((o) => o.kind === 'Namespace')?.metadata.name as string;
    const refs = references(objects.filter((o) => o.kind !== 'ConfigMap' || !o.metadata.labels?.grafana_dashboard));
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(have, `${r.kind} ${r.name} key ${r.key}`).toContain(`${r.kind}/${ns}/${r.name}/${r.key}`);
  });

  it('holds exactly the compose rule groups, every alert labelled with the namespace, and promtool accepts them', () => {
    const rule = objects.find((o) => o.kind === 'PrometheusRule') as Json;
    const ns = rule.metadata.namespace as string;
    const groups = rule.spec.groups as Json[];
    for (const r of groups.flatMap((g) => g.rules as Json[]).filter((r) => r.alert)) expect(r.labels.namespace).toBe(ns);
    const strip = (gs: Json[]) => gs.map((g) => ({ ...g, rules: (g.rules as Json[]).map((r) => (r.alert ? { ...r, labels: Object.fromEntries(Object.entries(r.labels as Json).filter(([k]) => k !== 'namespace')) } : r)) }));
    const loaded = loadConfig('examples/modelwatch.yaml');
    if (!loaded.ok || !_name.startsWith('example')) return;
    const compose = generateAll(loaded.model).filter((a) => a.path.startsWith('prometheus/rules/')).flatMap((a) => (yaml.load(a.content) as Json).groups as Json[]);
    expect(strip(groups)).toEqual(compose);
    if (!hasTool('promtool')) return;
    const dir = mkdtempSync(join(tmpdir(), 'k8s-'));
    writeFileSync(join(dir, 'rules.yml'), yaml.dump({ groups }));
    const r = run('promtool', ['check', 'rules', join(dir, 'rules.yml')]);
    expect(r.code, r.out).toBe(0);
  });

  it('ships every dashboard in a ConfigMap the Grafana sidecar picks up', () => {
    const maps = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    expect(maps).toHaveLength(4);
    for (const m of maps) expect((JSON.parse(Object.values(m.data as Record<string, string>)[0] as string) as Json).uid).toMatch(/^modelwatch-/);
  });
});

describe('the exporter pod', () => {
  const example = all(build('examples/modelwatch.yaml'));
  const tls = all(CASES['TLS, basic auth, own namespace and labels']());
  const pod = (objects: Json[]) => (objects.find((o) => o.kind === 'StatefulSet') as Json).spec.template.spec;

  it('mounts the config, golden sets and baselines at the paths the config names, and keeps state on a claim', () => {
    const spec = pod(example);
    const c = spec.containers[0];
    expect(c.args).toEqual(['serve', '-c', '/etc/modelwatch/modelwatch.yaml']);
    const files = (spec.volumes as Json[]).flatMap((v) => (v.projected?.sources ?? []).flatMap((s: Json) => ((s.configMap ?? s.secret).items as Json[]).map((i) => `${(c.volumeMounts as Json[]).find((m) => m.name === v.name)?.mountPath}/${i.path}`)));
    expect(files.sort()).toEqual(['/etc/modelwatch/baselines/fraud-classifier.json', '/etc/modelwatch/golden/fraud.jsonl', '/etc/modelwatch/golden/support.jsonl', '/etc/modelwatch/modelwatch.yaml']);
    const configMap = example.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'modelwatch-config') as Json;
    expect(configMap.data['modelwatch.yaml']).toBe(readFileSync('examples/modelwatch.yaml', 'utf8'));
    expect((c.volumeMounts as Json[]).find((m) => m.name === 'state')?.mountPath).toBe('/var/lib/modelwatch');
    const sts = example.find((o) => o.kind === 'StatefulSet') as Json;
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('state');
    expect((c.env as Json[]).map((e) => e.name)).toEqual(['LLM_GATEWAY_KEY', 'OPENAI_ADMIN_KEY']);
  });

  it('with TLS and basic auth: the web config and its keys from a Secret, HTTPS probes, a ServiceMonitor with https and basic auth', () => {
    const c = pod(tls).containers[0];
    expect(c.args).toContain('--web.config.file');
    expect(c.args[c.args.indexOf('--web.config.file') + 1]).toBe('/etc/modelwatch/tls/web.yml');
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/readyz', scheme: 'HTTPS' });
    expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz', scheme: 'HTTPS' });
    const secretItems = (pod(tls).volumes as Json[]).flatMap((v) => (v.projected?.sources ?? []).filter((s: Json) => s.secret).flatMap((s: Json) => (s.secret.items as Json[]).map((i) => i.path)));
    expect(secretItems.sort()).toEqual(['tls/exporter.crt', 'tls/exporter.key', 'tls/web.yml']);
    const ep = (tls.find((o) => o.kind === 'ServiceMonitor') as Json).spec.endpoints[0];
    expect(ep.scheme).toBe('https');
    expect(ep.tlsConfig).toEqual({ ca: { secret: { name: 'modelwatch-scrape', key: 'ca.crt' } }, serverName: 'modelwatch-exporter' });
    expect(ep.basicAuth).toEqual({ username: { name: 'modelwatch-scrape', key: 'username' }, password: { name: 'modelwatch-scrape', key: 'password' } });
    expect((tls.find((o) => o.kind === 'ServiceMonitor') as Json).metadata.labels).toMatchObject({ release: 'monitoring', team: 'ml' });
  });

  it('with mandatory client certificates, probes check the socket (the kubelet has no client certificate)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-mtls-'));
    cpSync('test/golden/minimal', dir, { recursive: true });
    writeFileSync(join(dir, 'tls', 'web.yml'), 'tls_server_config: {cert_file: exporter.crt, key_file: exporter.key, client_ca_file: ca.crt, client_auth_type: RequireAndVerifyClientCert}\n');
    const c = pod(all(build(join(dir, 'config.yaml')))).containers[0];
    expect(c.readinessProbe).toEqual({ tcpSocket: { port: 'http-metrics' }, periodSeconds: 10 });
  });

  it('refuses, with the config key, a referenced file that does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-missing-'));
    writeFileSync(join(dir, 'm.yaml'), 'version: 1\nmodels:\n  - {name: m, task: regression, baseline: baselines/missing.json}\n');
    const r = run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'generate', '--target', 'kubernetes', '-c', join(dir, 'm.yaml'), '-o', join(dir, 'out')]);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain('models[0].baseline: cannot read');
  });
});
