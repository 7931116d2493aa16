// prometheus/prometheus.yml: valid on Prometheus 2.42 (CI) and 3.x (users), so no
// fallback_scrape_protocol, scrape_protocols or name-validation keys (CONVENTIONS.md §6).
import type { Model } from '../../config/index.js';
import { dur } from '../promql.js';
import { containerPath } from '../paths.js';

export function prometheusConfig(model: Model) {
  const p = model.prometheus;
  const e = model.exporter;
  const modelServers = model.models.flatMap((m) => {
    if (!m.endpoint?.metricsPath) return [];
    const url = new URL(m.endpoint.url);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return [{
      job_name: `model-server-${m.name}`,
      metrics_path: m.endpoint.metricsPath,
      scheme: url.protocol.replace(':', ''),
      static_configs: [{ targets: [`${url.hostname}:${port}`], labels: { model: m.name } }],
    }];
  });
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
