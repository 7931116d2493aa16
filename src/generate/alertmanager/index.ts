// alertmanager/alertmanager.yml and its templates. Alerts are routed by their tier label (the
// paging policy, catalog/alerts.ts): page -> PagerDuty (+ Slack), ticket -> Slack in business
// hours, digest -> email, heartbeat -> the dead man's switch. Secrets only through *_file.
// Valid on Alertmanager 0.25 (CI) and current releases: no inhibit-rule names, no url_file.
import type { Model, ReceiverKind } from '../../config/index.js';
import { TIERS } from '../../catalog/alerts.js';
import { textArtifact, yamlArtifact, type Artifact } from '../artifact.js';
import { TEMPLATE } from './template.js';
import { dur } from '../promql.js';
import { containerPath } from '../paths.js';
import { utcBusinessHours } from './business-hours.js';

export type RoutedTier = (typeof TIERS)[number];
export const receiverName = (tier: RoutedTier | 'heartbeat') => `modelwatch-${tier}`;
export const BUSINESS_HOURS = 'business-hours';

function receiverConfigs(model: Model, kinds: readonly ReceiverKind[], tier: RoutedTier) {
  const r = model.alerting.receivers;
  const out: Record<string, unknown> = {};
  for (const kind of kinds) {
    if (kind === 'pagerduty' && r.pagerduty) {
      out.pagerduty_configs = [{
        routing_key_file: containerPath(r.pagerduty.routing_key.file as string),
        ...(r.pagerduty.url ? { url: r.pagerduty.url } : {}),
        severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}',
        // The summary PagerDuty shows is the alert's own sentence, with the value and the level.
        description: '{{ template "modelwatch.summary" . }}',
        client: 'modelwatch',
        client_url: model.alerting.externalUrl,
        links: [{ href: '{{ .CommonAnnotations.runbook_url }}', text: 'Runbook' }, { href: '{{ .CommonAnnotations.dashboard_url }}', text: 'Dashboard' }],
        details: { firing: '{{ template "modelwatch.text" . }}', owner: '{{ .CommonAnnotations.owner }}', runbook: '{{ .CommonAnnotations.runbook_url }}', dashboard: '{{ .CommonAnnotations.dashboard_url }}' },
        send_resolved: true,
      }];
    }
    if (kind === 'slack' && r.slack) {
      out.slack_configs = [{
        api_url_file: containerPath(r.slack.api_url.file as string),
        channel: r.slack.channel,
        title: '{{ template "modelwatch.title" . }}',
        title_link: '{{ .CommonAnnotations.dashboard_url }}',
        text: '{{ template "modelwatch.text" . }}',
        color: '{{ template "modelwatch.color" . }}',
        send_resolved: tier !== 'digest',
      }];
    }
    if (kind === 'email' && r.email) {
      out.email_configs = [{
        to: r.email.to, from: r.email.from, smarthost: r.email.smarthost,
        ...(r.email.auth_username ? { auth_username: r.email.auth_username } : {}),
        ...(r.email.auth_password?.file ? { auth_password_file: containerPath(r.email.auth_password.file) } : {}),
        headers: { Subject: '{{ template "modelwatch.title" . }}' },
        send_resolved: false,
      }];
    }
    if (kind === 'webhook' && r.webhook) out.webhook_configs = [{ url: r.webhook.url, max_alerts: 20, send_resolved: true }];
  }
  return out;
}

function tierRouting(model: Model): Record<RoutedTier, object> {
  const wait = model.alerting.groupWaitSeconds;
  const digest = model.alerting.digestIntervalSeconds;
  return {
    page: { group_by: ['alertname', 'model'], group_wait: dur(wait), group_interval: '5m', repeat_interval: '1h' },
    // One ticket per model and kind of cause: a drifted upstream change moves several features
    // and the predictions at once, and opens one ticket, not one per statistic.
    ticket: { group_by: ['model', 'category'], group_wait: dur(wait * 2), group_interval: '10m', repeat_interval: '12h', active_time_intervals: [BUSINESS_HOURS] },
    // The digest: collected for up to an hour, re-sent once per digest interval.
    digest: { group_wait: dur(Math.min(3600, digest)), group_interval: dur(digest), repeat_interval: dur(Math.max(digest, 3600)) },
  };
}

const ALL_SIGNALS_OF_A_MODEL = 'drift|quality|accuracy|freshness';

export function alertmanagerConfig(model: Model) {
  const bh = model.alerting.businessHours;
  const hb = model.alerting.heartbeat;
  return {
    global: { resolve_timeout: '5m' },
    templates: ['templates/*.tmpl'],
    // Spelled out in UTC (exact, DST included; see business-hours.ts): the prom/alertmanager image
    // has no zoneinfo and its binary embeds none, so `location: Europe/London` would stop it.
    time_intervals: [{ name: BUSINESS_HOURS, time_intervals: utcBusinessHours(bh) }],
    route: {
      receiver: receiverName('digest'),
      group_by: ['alertname', 'model'],
      group_wait: '30s', group_interval: '5m', repeat_interval: '4h',
      routes: [
        // The heartbeat goes out every interval for as long as the pipeline works; with no URL
        // configured it goes nowhere (a receiver without configs), never into the digest.
        { matchers: ['tier="heartbeat"'], receiver: receiverName('heartbeat'), group_by: ['alertname'], group_wait: '0s', group_interval: dur(hb?.intervalSeconds ?? 60), repeat_interval: dur(hb?.intervalSeconds ?? 60) },
        ...TIERS.map((tier) => ({ matchers: [`tier="${tier}"`], receiver: receiverName(tier), ...tierRouting(model)[tier] })),
      ],
    },
    receivers: [
      ...TIERS.map((tier) => ({ name: receiverName(tier), ...receiverConfigs(model, model.alerting.tiers[tier], tier) })),
      { name: receiverName('heartbeat'), ...(hb ? { webhook_configs: [{ url: hb.url, send_resolved: false }] } : {}) },
    ],
    inhibit_rules: [
      // The critical copy of an alert silences its warning copy.
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'model'] },
      // One page per symptom: a fast error-budget burn already says the error ratio is high.
      { source_matchers: ['alertname="ModelwatchErrorBudgetFastBurn"'], target_matchers: ['alertname=~"ModelwatchHighErrorRatio|ModelwatchErrorBudgetSlowBurn"'], equal: ['model'] },
      // Accuracy measured against labels says more than accuracy estimated from confidence.
      { source_matchers: ['alertname="ModelwatchLowAccuracy"'], target_matchers: ['alertname="ModelwatchLowEstimatedAccuracy"'], equal: ['model'] },
      // A model whose endpoint is down has no meaningful drift, quality or accuracy signal.
      { source_matchers: ['alertname="ModelwatchEndpointDown"'], target_matchers: [`category=~"${ALL_SIGNALS_OF_A_MODEL}"`], equal: ['model'] },
      // A stale feed makes drift windows empty or old: silence drift until records flow again.
      { source_matchers: ['alertname="ModelwatchStaleFeed"'], target_matchers: ['category="drift"'], equal: ['model'] },
      // A billing source that cannot be polled makes cost alerts meaningless.
      { source_matchers: ['alertname="ModelwatchSourceDown"', 'kind="billing"'], target_matchers: ['category="cost"'], equal: ['source'] },
      // With the exporter gone every model signal is blind: page for that, not for each symptom.
      { source_matchers: ['alertname=~"ModelwatchExporterDown|ModelwatchExporterAbsent"'], target_matchers: [`category=~"${ALL_SIGNALS_OF_A_MODEL}|cost|endpoint"`] },
    ],
  };
}

export const alertmanagerArtifacts = (model: Model): Artifact[] => [
  yamlArtifact('alertmanager/alertmanager.yml', model.configPath, alertmanagerConfig(model)),
  textArtifact('alertmanager/templates/modelwatch.tmpl', TEMPLATE(model.configPath)),
];
