// The generated alertmanager.yml against the README's notification policy, written out here by
// hand: grouping and timings per tier, business hours for tickets, the heartbeat, what each
// receiver sends (resolved or not, PagerDuty links, Slack colours) and the inhibitions. Routing
// by amtool is routing.test.ts; inhibitions on a running Alertmanager are inhibition.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { alertmanagerConfig } from '../../src/generate/alertmanager/index.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Setup { alerting?: string; pagerduty?: string; email?: string; tiers?: string }

function generate(o: Setup = {}): Json {
  const dir = mkdtempSync(join(tmpdir(), 'am-policy-'));
  const text = `version: 1
alerting:
  external_url: https://alerts.example.com
${o.alerting ?? ''}
  receivers:
    pagerduty: {routing_key: {file: ${dir}/pd}${o.pagerduty ?? ''}}
    slack: {api_url: {file: ${dir}/slack}, channel: "#ml"}
    email: {to: a@example.com, from: b@example.com, smarthost: "smtp:587"${o.email ?? ''}}
    webhook: {url: "http://hook.example.com/x"}
  tiers: ${o.tiers ?? '{page: [pagerduty, slack], ticket: [slack], digest: [email, webhook]}'}
models: [{name: m, task: llm}]
`;
  writeFileSync(join(dir, 'c.yaml'), text);
  const loaded = parseConfig(text, join(dir, 'c.yaml'));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return alertmanagerConfig(loaded.model) as Json;
}

const route = (c: Json, tier: string) => (c.route.routes as Json[]).find((r) => (r.matchers as string[]).includes(`tier="${tier}"`)) as Json;
const receiver = (c: Json, name: string) => (c.receivers as Json[]).find((r) => r.name === name) as Json;

describe('the notification policy in alertmanager.yml', () => {
  const c = generate();

  it('pages per alert and model at once: 30s, then every 5m, repeated hourly', () => {
    expect(route(c, 'page')).toEqual({ matchers: ['tier="page"'], receiver: 'modelwatch-page', group_by: ['alertname', 'model'], group_wait: '30s', group_interval: '5m', repeat_interval: '1h' });
  });

  it('opens one ticket per model and category, waiting twice as long, in business hours only, repeated twice a day', () => {
    expect(route(c, 'ticket')).toEqual({ matchers: ['tier="ticket"'], receiver: 'modelwatch-ticket', group_by: ['model', 'category'], group_wait: '1m', group_interval: '10m', repeat_interval: '12h', active_time_intervals: ['business-hours'] });
    expect((c.time_intervals as Json[]).map((t) => t.name)).toEqual(['business-hours']);
  });

  it('collects the digest for up to an hour and sends it once a day', () => {
    expect(route(c, 'digest')).toEqual({ matchers: ['tier="digest"'], receiver: 'modelwatch-digest', group_wait: '1h', group_interval: '1d', repeat_interval: '1d' });
  });

  it('sends the heartbeat every minute to nobody when no URL is set, never into the digest', () => {
    expect(c.route.routes[0]).toEqual({ matchers: ['tier="heartbeat"'], receiver: 'modelwatch-heartbeat', group_by: ['alertname'], group_wait: '0s', group_interval: '1m', repeat_interval: '1m' });
    expect(receiver(c, 'modelwatch-heartbeat')).toEqual({ name: 'modelwatch-heartbeat' });
    expect(c.route).toMatchObject({ receiver: 'modelwatch-digest', group_by: ['alertname', 'model'] });
    expect(c.global).toEqual({ resolve_timeout: '5m' });
    expect(c.templates).toEqual(['templates/*.tmpl']);
  });

  it('pages PagerDuty with the alert\'s sentence, its severity, runbook and dashboard links, and the resolution', () => {
    const pd = receiver(c, 'modelwatch-page').pagerduty_configs[0] as Json;
    expect(pd).toMatchObject({
      description: '{{ template "modelwatch.summary" . }}', client: 'modelwatch', client_url: 'https://alerts.example.com', send_resolved: true,
      severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}',
      links: [{ href: '{{ .CommonAnnotations.runbook_url }}', text: 'Runbook' }, { href: '{{ .CommonAnnotations.dashboard_url }}', text: 'Dashboard' }],
      details: { firing: '{{ template "modelwatch.text" . }}', owner: '{{ .CommonAnnotations.owner }}', runbook: '{{ .CommonAnnotations.runbook_url }}', dashboard: '{{ .CommonAnnotations.dashboard_url }}' },
    });
    expect(pd.url).toBeUndefined();
  });

  it('posts pages and tickets to Slack in colour, with the resolution; the digest by email without one', () => {
    const slack = {
      channel: '#ml', title: '{{ template "modelwatch.title" . }}', title_link: '{{ .CommonAnnotations.dashboard_url }}',
      text: '{{ template "modelwatch.text" . }}', color: '{{ template "modelwatch.color" . }}', send_resolved: true,
    };
    expect(receiver(c, 'modelwatch-page').slack_configs[0]).toMatchObject(slack);
    expect(receiver(c, 'modelwatch-ticket').slack_configs[0]).toMatchObject(slack);
    expect(receiver(c, 'modelwatch-ticket').pagerduty_configs).toBeUndefined();
    const digest = receiver(c, 'modelwatch-digest');
    expect(digest.email_configs[0]).toMatchObject({ to: 'a@example.com', from: 'b@example.com', smarthost: 'smtp:587', headers: { Subject: '{{ template "modelwatch.title" . }}' }, send_resolved: false });
    expect(digest.email_configs[0].auth_username).toBeUndefined();
    expect(digest.webhook_configs).toEqual([{ url: 'http://hook.example.com/x', max_alerts: 20, send_resolved: true }]);
    expect(digest.pagerduty_configs).toBeUndefined();
    // Each tier gets exactly the receivers it lists, however many are configured.
    const kinds = (name: string) => Object.keys(receiver(c, name)).filter((k) => k.endsWith('_configs')).sort();
    expect(kinds('modelwatch-page')).toEqual(['pagerduty_configs', 'slack_configs']);
    expect(kinds('modelwatch-ticket')).toEqual(['slack_configs']);
    expect(kinds('modelwatch-digest')).toEqual(['email_configs', 'webhook_configs']);
  });

  it('passes a PagerDuty URL and SMTP credentials through; Slack in the digest sends no resolutions', () => {
    const t = generate({ pagerduty: ', url: "https://events.eu.pagerduty.com/v2/enqueue"', email: ', auth_username: mw, auth_password: {file: /run/secrets/smtp}', tiers: '{page: [pagerduty], ticket: [email], digest: [slack]}' });
    expect(receiver(t, 'modelwatch-page').pagerduty_configs[0].url).toBe('https://events.eu.pagerduty.com/v2/enqueue');
    expect(receiver(t, 'modelwatch-ticket').email_configs[0]).toMatchObject({ auth_username: 'mw', auth_password_file: '/run/secrets/smtp' });
    expect(receiver(t, 'modelwatch-digest').slack_configs[0].send_resolved).toBe(false);
    expect(Object.keys(receiver(t, 'modelwatch-page')).filter((k) => k.endsWith('_configs'))).toEqual(['pagerduty_configs']);
  });

  it('inhibits: critical over warning, the fast burn over the error ratio and slow burn, measured over estimated accuracy, a down endpoint over its signals, a stale feed over drift, a failing billing source over cost, the exporter down over every model signal', () => {
    expect(c.inhibit_rules).toEqual([
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'model'] },
      { source_matchers: ['alertname="ModelwatchErrorBudgetFastBurn"'], target_matchers: ['alertname=~"ModelwatchHighErrorRatio|ModelwatchErrorBudgetSlowBurn"'], equal: ['model'] },
      { source_matchers: ['alertname="ModelwatchLowAccuracy"'], target_matchers: ['alertname="ModelwatchLowEstimatedAccuracy"'], equal: ['model'] },
      { source_matchers: ['alertname="ModelwatchEndpointDown"'], target_matchers: ['category=~"drift|quality|accuracy|freshness"'], equal: ['model'] },
      { source_matchers: ['alertname="ModelwatchStaleFeed"'], target_matchers: ['category="drift"'], equal: ['model'] },
      { source_matchers: ['alertname="ModelwatchSourceDown"', 'kind="billing"'], target_matchers: ['category="cost"'], equal: ['source'] },
      { source_matchers: ['alertname=~"ModelwatchExporterDown|ModelwatchExporterAbsent"'], target_matchers: ['category=~"drift|quality|accuracy|freshness|cost|endpoint"'] },
    ]);
  });

  it('follows the configured group wait, digest interval and heartbeat', () => {
    const t = generate({ alerting: '  group_wait: 20s\n  digest_interval: 30m\n  heartbeat: {url: "https://hc.example.com/ping", interval: 5m}' });
    expect(route(t, 'page')).toMatchObject({ group_wait: '20s' });
    expect(route(t, 'ticket')).toMatchObject({ group_wait: '40s' });
    // A digest more often than hourly waits for its own interval, and repeats at most hourly.
    expect(route(t, 'digest')).toMatchObject({ group_wait: '30m', group_interval: '30m', repeat_interval: '1h' });
    expect(t.route.routes[0]).toMatchObject({ group_interval: '5m', repeat_interval: '5m' });
    expect(receiver(t, 'modelwatch-heartbeat').webhook_configs).toEqual([{ url: 'https://hc.example.com/ping', send_resolved: false }]);
  });
});
