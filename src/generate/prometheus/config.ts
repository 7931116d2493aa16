// prometheus/prometheus.yml: valid on Prometheus 2.42 (CI) and 3.x (users), so no
// fallback_scrape_protocol, scrape_protocols or name-validation keys (CONVENTIONS.md §6).
import type { Model } from '../../config/index.js';
import { dur } from '../promql.js';
import { containerPath } from '../paths.js';

export interface ServerTarget { readonly job: string; readonly model: string; readonly scheme: 'http' | 'https'; readonly address: string; readonly path: string }

/**
 * The model servers and GPU exporters Prometheus scrapes besides modelwatch. The model label the
 * scrape attaches is the modelwatch name: engine rules aggregate by it (a server's own model
 * label, as Triton's, is kept as exported_model).
 */
export function serverTargets(model: Model): ServerTarget[] {
  const target = (u: string, job: string, name: string): ServerTarget => {
    const url = new URL(u);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return { job, model: name, scheme: url.protocol === 'https:' ? 'https' : 'http', address: `${url.hostname}:${port}`, path: url.pathname.replace(/^\/$/, '/metrics') };
  };
  return model.models.flatMap((m) => [
    ...(m.endpoint?.metricsUrl ? [target(m.endpoint.metricsUrl, `model-server-${m.name}`, m.name)] : []),
    ...(m.endpoint?.gpuExporter ? [target(m.endpoint.gpuExporter, `gpu-${m.name}`, m.name)] : []),
  ]);
}

export function prometheusConfig(model: Model) {
  const p = model.prometheus;
  const e = model.exporter;
  const modelServers = serverTargets(model).map((t) => ({ job_name: t.job, metrics_path: t.path, scheme: t.scheme, static_configs: [{ targets: [t.address], labels: { model: t.model } }] }));
  return {
    global: {
      scrape_interval: dur(p.scrapeIntervalSeconds),
      scrape_timeout: dur(Math.min(10, p.scrapeIntervalSeconds)),
      evaluation_interval: dur(p.evaluationIntervalSeconds),
    },
    rule_files: ['rules/*.yml'],
    ...(p.remoteWrite.length ? { remote_write: p.remoteWrite.map((r) => ({
      url: r.url,
      ...(r.username && r.password?.file ? { basic_auth: { username: r.username, password_file: containerPath(r.password.file) } } : {}),
      ...(r.bearer_token?.file ? { authorization: { type: 'Bearer', credentials_file: containerPath(r.bearer_token.file) } } : {}),
      ...(r.tenant ? { headers: { 'X-Scope-OrgID': r.tenant } } : {}),
    })) } : {}),
    alerting: { alertmanagers: [{ static_configs: [{ targets: [p.alertmanager] }] }] },
    scrape_configs: [
      {
        job_name: e.job,
        // Values are polled in the background and served from cache: a scrape never waits on a source.
        sample_limit: p.sampleLimit,
        ...(e.web?.tls ? { scheme: 'https', tls_config: { ...(e.web.tls.ca_file ? { ca_file: containerPath(e.web.tls.ca_file) } : {}), ...(e.web.tls.server_name ? { server_name: e.web.tls.server_name } : {}) } } : {}),
        ...(e.web?.basic_auth?.password.file ? { basic_auth: { username: e.web.basic_auth.username, password_file: containerPath(e.web.basic_auth.password.file) } } : {}),
        static_configs: [{ targets: [`${e.host}:${e.port}`] }],
      },
      { job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'] }] },
      { job_name: 'alertmanager', static_configs: [{ targets: [p.alertmanager] }] },
      ...modelServers,
    ],
  };
}
