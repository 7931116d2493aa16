// Every file, glob and environment variable a config makes some component read, with who reads
// it. Bundles (compose, Kubernetes) are built from this one list, so a new key that names a file
// cannot be forgotten by one generator and remembered by another.
import type { Consumer, Reference } from './model.js';
import type { SecretRef, WrittenConfig } from './schema.js';

export function references(c: WrittenConfig): Reference[] {
  const out: Reference[] = [];
  const file = (consumer: Consumer, written: string | undefined, at: string, kind: 'file' | 'glob' = 'file') => {
    if (written) out.push({ kind, consumer, written, at });
  };
  const secret = (consumer: Consumer, ref: SecretRef | undefined, at: string) => {
    if (ref?.file) out.push({ kind: 'secret', consumer, written: ref.file, at });
    // Only the exporter takes secrets from its environment (the schema refuses env elsewhere).
    if (ref?.env) out.push({ kind: 'env', consumer: 'exporter', name: ref.env, at });
  };

  const web = c.exporter?.web;
  file('exporter', web?.config_file, 'exporter.web.config_file');
  file('prometheus', web?.tls?.ca_file, 'exporter.web.tls.ca_file');
  secret('prometheus', web?.basic_auth?.password, 'exporter.web.basic_auth.password');
  (c.prometheus?.remote_write ?? []).forEach((r, i) => {
    secret('prometheus', r.password, `prometheus.remote_write[${i}].password`);
    secret('prometheus', r.bearer_token, `prometheus.remote_write[${i}].bearer_token`);
  });
  const r = c.alerting?.receivers;
  secret('alertmanager', r?.pagerduty?.routing_key, 'alerting.receivers.pagerduty.routing_key');
  secret('alertmanager', r?.slack?.api_url, 'alerting.receivers.slack.api_url');
  secret('alertmanager', r?.email?.auth_password, 'alerting.receivers.email.auth_password');
  secret('grafana', c.grafana?.admin_password, 'grafana.admin_password');
  (c.log_stores ?? []).forEach((s, i) => {
    if (s.kind === 'jsonl') file('exporter', s.path, `log_stores[${i}].path`, 'glob');
    secret('exporter', s.connection, `log_stores[${i}].connection`);
    secret('exporter', s.auth, `log_stores[${i}].auth`);
  });
  (c.billing ?? []).forEach((b, i) => secret('exporter', b.api_key, `billing[${i}].api_key`));
  c.models.forEach((m, i) => {
    file('exporter', m.golden_set?.path, `models[${i}].golden_set.path`);
    file('exporter', m.baseline, `models[${i}].baseline`);
    secret('exporter', m.endpoint?.api_key, `models[${i}].endpoint.api_key`);
  });
  return out;
}
