// docker-compose.yml for the config it was generated from: the exporter (its image, or built
// from the repository when generated inside a clone), Prometheus, Alertmanager and Grafana.
// Every file the config names is mounted where the config says it is (see paths.ts), every
// {env: X} passes through from the host, state_dir is on a named volume. Nothing waits on the
// exporter's health: monitoring must come up, and page, when the thing it watches is down.
import { posix, relative, resolve } from 'node:path';
import type { Model } from '../config/index.js';
import { yamlArtifact, type Artifact } from './artifact.js';
import { DASHBOARD_DIR } from './grafana/index.js';
import { CONFIG_DIR, containerConfig, containerPath, envNames, fileReferences, globDir, secretName, underConfigDir, type FileReference } from './paths.js';
import { serverTargets } from './prometheus/config.js';

export const IMAGES = { prometheus: 'prom/prometheus:v3.14.0', alertmanager: 'prom/alertmanager:v0.34.0', grafana: 'grafana/grafana:13.2.3' } as const;

export interface ComposeOptions {
  /** The exporter runs `modelwatch demo` (simulated models) instead of `serve`. */
  readonly demo: boolean;
  /** Directory the compose file is written to: host paths are written relative to it. */
  readonly outDir: string;
  /** Build context holding the Dockerfile (a clone of this repository), relative to outDir; absent: the image is pulled. */
  readonly buildContext?: string;
}

const every = { interval: '10s', timeout: '5s', retries: 5, start_period: '30s' };
/** busybox wget: what the prom/* and grafana/grafana (Alpine) images ship for probing. */
const wget = (url: string) => ({ test: ['CMD', 'wget', '-q', '--spider', url], ...every });
// The exporter image is node:*-bookworm-slim: no wget, no curl, but node. The certificate is not
// verified: the probe only asks whether this very process answers, over loopback.
export const NODE_PROBE = "const u=new URL(process.argv[1]);require(u.protocol.slice(0,-1)).get(u,{rejectUnauthorized:false,timeout:4000},(r)=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))";

/** The path a server answers readiness on, under the route prefix its external URL implies. */
const readyPath = (externalUrl: string) => `${new URL(externalUrl).pathname.replace(/\/+$/, '')}/-/ready`;

export function composeConfig(model: Model, o: ComposeOptions) {
  const host = (abs: string) => {
    const rel = relative(o.outDir, abs);
    return rel === '' ? '.' : rel.startsWith('.') || posix.isAbsolute(rel) ? rel : `./${rel}`;
  };
  const hostPath = (written: string) => (posix.isAbsolute(written) ? written : host(resolve(model.configDir, written)));
  const secrets = new Set<string>();

  /** Volumes and secrets that bring a component's files to the paths its config names. */
  function mounts(refs: readonly FileReference[]) {
    const volumes = new Set<string>();
    const own = new Set<string>();
    for (const r of refs) {
      const name = r.kind === 'secret' ? secretName(r.written) : null;
      if (name) { own.add(name); secrets.add(name); continue; }
      const path = r.kind === 'glob' ? globDir(r.written) : r.written;
      volumes.add(`${hostPath(path)}:${containerPath(path)}:ro`);
    }
    return { volumes: [...volumes].sort(), secrets: [...own].sort() };
  }

  const e = model.exporter;
  // Files under the config directory arrive with its mount; the demo writes its own logs and golden sets.
  const exporterRefs = fileReferences(model, 'exporter').filter((r) => !underConfigDir(r.kind === 'glob' ? `${globDir(r.written)}/x` : r.written))
    .filter((r) => !o.demo || r.kind === 'secret');
  const ex = mounts(exporterRefs);
  const webConfig = model.references.find((r) => r.at === 'exporter.web.config_file' && r.kind === 'file');
  const scheme = e.web?.tls ? 'https' : 'http';
  const env = envNames(model);
  const withSecrets = (m: { volumes: string[]; secrets: string[] }) => (m.secrets.length ? { secrets: m.secrets } : {});
  const prom = mounts(fileReferences(model, 'prometheus'));
  const am = mounts(fileReferences(model, 'alertmanager'));
  const graf = mounts(fileReferences(model, 'grafana'));
  const grafanaPassword = fileReferences(model, 'grafana')[0];

  const demoHosts = [...new Set(serverTargets(model).map((t) => t.address.split(':')[0] as string))].filter((h) => h !== e.host).sort();
  const services = {
    [e.host]: {
      image: e.image,
      ...(o.buildContext !== undefined ? { build: o.buildContext } : {}),
      command: o.demo
        ? ['demo', '-c', containerConfig(model), '--dir', posix.join(e.stateDir, 'demo')]
        : ['serve', '-c', containerConfig(model), ...(webConfig && 'written' in webConfig ? ['--web.config.file', containerPath(webConfig.written)] : [])],
      volumes: [`${host(model.configDir)}:${CONFIG_DIR}:ro`, `modelwatch-state:${e.stateDir}`, ...ex.volumes],
      ...withSecrets(ex),
      // Variables pass through from the host environment by name; their values are never written here.
      ...(env.length ? { environment: env } : {}),
      ports: [`127.0.0.1:${e.port}:${e.port}`],
      // The demo answers for the model servers and GPU exporters the config names: Prometheus scrapes them by those names.
      ...(o.demo && demoHosts.length ? { networks: { default: { aliases: demoHosts } } } : {}),
      healthcheck: { test: ['CMD', 'node', '-e', NODE_PROBE, `${scheme}://127.0.0.1:${e.port}/healthz`], ...every },
      restart: 'unless-stopped',
    },
    prometheus: {
      image: IMAGES.prometheus,
      // No --web.enable-lifecycle: reload with `docker compose kill -s HUP prometheus`, so /-/quit
      // is not an unauthenticated endpoint.
      command: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', `--storage.tsdb.retention.time=${Math.round(model.prometheus.retentionSeconds / 86400) || 1}d`, `--web.external-url=${model.prometheus.url}`],
      volumes: ['./prometheus:/etc/prometheus:ro', 'prometheus-data:/prometheus', ...prom.volumes],
      ...withSecrets(prom),
      ports: ['127.0.0.1:9090:9090'],
      healthcheck: wget(`http://localhost:9090${readyPath(model.prometheus.url)}`),
      restart: 'unless-stopped',
    },
    alertmanager: {
      image: IMAGES.alertmanager,
      command: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager', '--cluster.listen-address=', `--web.external-url=${model.alerting.externalUrl}`],
      volumes: ['./alertmanager:/etc/alertmanager:ro', 'alertmanager-data:/alertmanager', ...am.volumes],
      ...withSecrets(am),
      ports: ['127.0.0.1:9093:9093'],
      healthcheck: wget(`http://localhost:9093${readyPath(model.alerting.externalUrl)}`),
      restart: 'unless-stopped',
    },
    grafana: {
      image: IMAGES.grafana,
      environment: { GF_USERS_ALLOW_SIGN_UP: 'false', ...(grafanaPassword ? { GF_SECURITY_ADMIN_PASSWORD__FILE: containerPath(grafanaPassword.written) } : {}) },
      volumes: ['./grafana/provisioning:/etc/grafana/provisioning:ro', `./grafana/dashboards:${DASHBOARD_DIR}:ro`, 'grafana-data:/var/lib/grafana', ...graf.volumes],
      ...withSecrets(graf),
      // Started, not healthy: dashboards say "no data" rather than Grafana not starting at all.
      depends_on: ['prometheus'],
      ports: ['3000:3000'],
      healthcheck: wget('http://localhost:3000/api/health'),
      restart: 'unless-stopped',
    },
  };
  return {
    services,
    volumes: { 'modelwatch-state': {}, 'prometheus-data': {}, 'alertmanager-data': {}, 'grafana-data': {} },
    ...(secrets.size ? { secrets: Object.fromEntries([...secrets].sort().map((s) => [s, { file: `./secrets/${s}` }])) } : {}),
  };
}

export const composeArtifact = (model: Model, o: ComposeOptions): Artifact => yamlArtifact('docker-compose.yml', model.configPath, composeConfig(model, o));
