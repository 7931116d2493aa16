// docker-compose.yml: exporter and demo built from the repo's Dockerfile, Prometheus,
// Alertmanager and Grafana with provisioning; pinned images, healthchecks, named volumes,
// secrets from ./secrets files (never inline).
import type { Model } from '../config/index.js';
import { yamlArtifact, type Artifact } from './artifact.js';
import { DASHBOARD_DIR } from './grafana/index.js';

export const IMAGES = { prometheus: 'prom/prometheus:v3.14.0', alertmanager: 'prom/alertmanager:v0.34.0', grafana: 'grafana/grafana:13.2.3' } as const;

const health = (url: string) => ({ test: ['CMD', 'wget', '-q', '--spider', url], interval: '10s', timeout: '5s', retries: 5 });
const secretName = (path: string) => path.split('/').pop() as string;

export function composeConfig(model: Model, demo: boolean) {
  const r = model.alerting.receivers;
  const amSecrets = [r.pagerduty?.routing_key.file, r.slack?.api_url.file, r.email?.auth_password?.file].filter((p): p is string => !!p);
  const grafanaSecret = model.grafana.adminPassword?.file;
  const promSecrets = [...model.prometheus.remoteWrite.flatMap((r) => [r.password?.file, r.bearer_token?.file]), model.exporter.web?.basic_auth?.password.file].filter((p): p is string => !!p);
  const exporterEnv = [...model.billing.map((b) => b.apiKey?.env), ...model.models.map((m) => m.endpoint?.apiKey?.env)].filter((e): e is string => !!e);
  const secrets = [...new Set([...amSecrets, ...promSecrets, ...(grafanaSecret ? [grafanaSecret] : [])].map(secretName))].sort();
  const port = model.exporter.port;
  return {
    services: {
      [model.exporter.host]: {
        build: '.',
        // The demo simulates the models, logs and billing API in the same container; `serve` watches real ones.
        command: demo ? ['demo', '-c', '/etc/modelwatch/modelwatch.yaml', '--dir', '/var/lib/modelwatch/demo'] : ['serve', '-c', '/etc/modelwatch/modelwatch.yaml'],
        volumes: ['./examples:/etc/modelwatch:ro', 'modelwatch-state:/var/lib/modelwatch'],
        // API keys pass through from the host environment by name; their values are never written here.
        ...(exporterEnv.length ? { environment: [...new Set(exporterEnv)].sort() } : {}),
        ports: [`${port}:${port}`],
        healthcheck: health(`http://localhost:${port}/healthz`),
        restart: 'unless-stopped',
      },
      prometheus: {
        image: IMAGES.prometheus,
        command: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', `--storage.tsdb.retention.time=${Math.round(model.prometheus.retentionSeconds / 86400)}d`, '--web.enable-lifecycle', `--web.external-url=${model.prometheus.url}`],
        volumes: ['./prometheus:/etc/prometheus:ro', 'prometheus-data:/prometheus'],
        ports: ['9090:9090'],
        depends_on: { [model.exporter.host]: { condition: 'service_healthy' } },
        ...(promSecrets.length ? { secrets: promSecrets.map(secretName) } : {}),
        healthcheck: health('http://localhost:9090/-/ready'),
        restart: 'unless-stopped',
      },
      alertmanager: {
        image: IMAGES.alertmanager,
        command: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager', '--cluster.listen-address='],
        volumes: ['./alertmanager:/etc/alertmanager:ro', 'alertmanager-data:/alertmanager'],
        ports: ['9093:9093'],
        secrets: amSecrets.map(secretName),
        healthcheck: health('http://localhost:9093/-/ready'),
        restart: 'unless-stopped',
      },
      grafana: {
        image: IMAGES.grafana,
        environment: { GF_USERS_ALLOW_SIGN_UP: 'false', ...(grafanaSecret ? { GF_SECURITY_ADMIN_PASSWORD__FILE: grafanaSecret } : {}) },
        volumes: ['./grafana/provisioning:/etc/grafana/provisioning:ro', `./grafana/dashboards:${DASHBOARD_DIR}:ro`, 'grafana-data:/var/lib/grafana'],
        ports: ['3000:3000'],
        ...(grafanaSecret ? { secrets: [secretName(grafanaSecret)] } : {}),
        depends_on: { prometheus: { condition: 'service_healthy' } },
        healthcheck: health('http://localhost:3000/api/health'),
        restart: 'unless-stopped',
      },
    },
    volumes: { 'modelwatch-state': {}, 'prometheus-data': {}, 'alertmanager-data': {}, 'grafana-data': {} },
    secrets: Object.fromEntries(secrets.map((s) => [s, { file: `./secrets/${s}` }])),
  };
}

export const composeArtifact = (model: Model, demo: boolean): Artifact => yamlArtifact('docker-compose.yml', model.configPath, composeConfig(model, demo));
