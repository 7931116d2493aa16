// Kubernetes output for the Prometheus Operator and the Grafana dashboard sidecar: the exporter's
// Deployment and Service, a ServiceMonitor, a PrometheusRule, an AlertmanagerConfig and one
// ConfigMap per dashboard. Operator resources are built and validated with the typed models of
// @kubernetes-models/prometheus-operator; secrets are Secret references, never values.
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1';
import yaml from 'js-yaml';
import type { Model, ReceiverKind } from '../config/index.js';
import { SEVERITIES } from '../catalog/labels.js';
import { header, type Artifact } from './artifact.js';
import { dur } from './promql.js';
import { alertFamilies } from './prometheus/index.js';
import { ruleGroups } from './prometheus/rules.js';
import { dashboards } from './grafana/index.js';

export const NAMESPACE = 'modelwatch';
/** Secret holding the alerting credentials, one key per secret file name. */
export const ALERTING_SECRET = 'modelwatch-alerting';
const LABELS = { 'app.kubernetes.io/name': 'modelwatch', 'app.kubernetes.io/component': 'exporter' };
const secretKey = (path: string) => path.split('/').pop() as string;

function deployment(model: Model, version: string) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'modelwatch', namespace: NAMESPACE, labels: LABELS },
    spec: {
      replicas: 1, selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 },
          containers: [{
            name: 'exporter', image: `modelwatch/modelwatch:${version}`,
            args: ['serve', '-c', '/etc/modelwatch/modelwatch.yaml'],
            ports: [{ name: 'http-metrics', containerPort: model.exporter.port }],
            readinessProbe: { httpGet: { path: '/readyz', port: 'http-metrics' }, periodSeconds: 10 },
            livenessProbe: { httpGet: { path: '/healthz', port: 'http-metrics' }, periodSeconds: 20 },
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
            volumeMounts: [{ name: 'config', mountPath: '/etc/modelwatch', readOnly: true }, { name: 'state', mountPath: model.exporter.stateDir }],
          }],
          // The config is your modelwatch.yaml: kubectl create configmap modelwatch-config --from-file=modelwatch.yaml
          volumes: [{ name: 'config', configMap: { name: 'modelwatch-config' } }, { name: 'state', emptyDir: {} }],
        },
      },
    },
  };
}

const service = (model: Model) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'modelwatch', namespace: NAMESPACE, labels: LABELS },
  spec: { selector: LABELS, ports: [{ name: 'http-metrics', port: model.exporter.port, targetPort: 'http-metrics' }] },
});

function serviceMonitor(model: Model): ServiceMonitor {
  const sm = new ServiceMonitor({
    metadata: { name: 'modelwatch', namespace: NAMESPACE, labels: LABELS },
    spec: {
      selector: { matchLabels: LABELS }, sampleLimit: model.prometheus.sampleLimit,
      endpoints: [{ port: 'http-metrics', interval: dur(model.prometheus.scrapeIntervalSeconds) as never, path: '/metrics' }],
    },
  });
  sm.validate();
  return sm;
}

function prometheusRule(model: Model): PrometheusRule {
  const groups = [...ruleGroups(model, alertFamilies(model)).values()].flat();
  const rule = new PrometheusRule({ metadata: { name: 'modelwatch', namespace: NAMESPACE, labels: LABELS }, spec: { groups: groups as never } });
  rule.validate();
  return rule;
}

function alertmanagerConfig(model: Model): AlertmanagerConfig {
  const r = model.alerting.receivers;
  const ref = (path: string | undefined) => ({ name: ALERTING_SECRET, key: secretKey(path ?? 'missing') });
  const receiver = (tier: (typeof SEVERITIES)[number], kinds: readonly ReceiverKind[]) => ({
    name: `modelwatch-${tier}`,
    ...(kinds.includes('pagerduty') && r.pagerduty ? { pagerdutyConfigs: [{ routingKey: ref(r.pagerduty.routing_key.file), severity: tier, sendResolved: true }] } : {}),
    ...(kinds.includes('slack') && r.slack ? { slackConfigs: [{ apiURL: ref(r.slack.api_url.file), channel: r.slack.channel, sendResolved: tier !== 'info' }] } : {}),
    ...(kinds.includes('email') && r.email ? { emailConfigs: [{ to: r.email.to, from: r.email.from, smarthost: r.email.smarthost, ...(r.email.auth_username ? { authUsername: r.email.auth_username } : {}), ...(r.email.auth_password?.file ? { authPassword: ref(r.email.auth_password.file) } : {}) }] } : {}),
    ...(kinds.includes('webhook') && r.webhook ? { webhookConfigs: [{ url: r.webhook.url, sendResolved: true }] } : {}),
  });
  const amc = new AlertmanagerConfig({
    metadata: { name: 'modelwatch', namespace: NAMESPACE, labels: LABELS },
    spec: {
      route: {
        receiver: 'modelwatch-info', groupBy: ['alertname', 'model'], groupWait: dur(model.alerting.groupWaitSeconds),
        routes: SEVERITIES.map((tier) => ({ receiver: `modelwatch-${tier}`, matchers: [{ name: 'severity', value: tier, matchType: '=' }] })) as never,
      },
      receivers: SEVERITIES.map((tier) => receiver(tier, model.alerting.tiers[tier])) as never,
      inhibitRules: [
        { sourceMatch: [{ name: 'severity', value: 'critical', matchType: '=' }], targetMatch: [{ name: 'severity', value: 'warning', matchType: '=' }], equal: ['alertname', 'model'] },
        { sourceMatch: [{ name: 'alertname', value: 'ModelwatchEndpointDown', matchType: '=' }], targetMatch: [{ name: 'category', value: 'drift|quality|accuracy|freshness', matchType: '=~' }], equal: ['model'] },
        { sourceMatch: [{ name: 'alertname', value: 'ModelwatchStaleFeed', matchType: '=' }], targetMatch: [{ name: 'category', value: 'drift', matchType: '=' }], equal: ['model'] },
      ] as never,
    },
  });
  amc.validate();
  return amc;
}

const dashboardConfigMaps = (model: Model) => dashboards(model).map((d) => ({
  apiVersion: 'v1', kind: 'ConfigMap',
  // The Grafana sidecar (kube-prometheus-stack) loads every ConfigMap with this label.
  metadata: { name: `modelwatch-${d.file.replace(/\.json$/, '')}`, namespace: NAMESPACE, labels: { ...LABELS, grafana_dashboard: '1' }, annotations: { grafana_folder: model.grafana.folder } },
  data: { [d.file]: JSON.stringify(d.dashboard) },
}));

const docs = (configPath: string, objects: unknown[]): string =>
  `# ${header(configPath)}\n${objects.map((o) => yaml.dump(JSON.parse(JSON.stringify(o)) as unknown, { sortKeys: true, noRefs: true, lineWidth: -1 })).join('---\n')}`;

export function kubernetesArtifacts(model: Model, version: string): Artifact[] {
  const src = model.configPath;
  return [
    { path: 'kubernetes/exporter.yaml', content: docs(src, [deployment(model, version), service(model)]) },
    { path: 'kubernetes/servicemonitor.yaml', content: docs(src, [serviceMonitor(model).toJSON()]) },
    { path: 'kubernetes/prometheusrule.yaml', content: docs(src, [prometheusRule(model).toJSON()]) },
    { path: 'kubernetes/alertmanagerconfig.yaml', content: docs(src, [alertmanagerConfig(model).toJSON()]) },
    { path: 'kubernetes/dashboards.yaml', content: docs(src, dashboardConfigMaps(model)) },
  ];
}
