// The AlertmanagerConfig: alertmanager.yml's routing tree, inhibitions and time intervals,
// translated field by field (one source, so the two cannot drift), with what the CRD cannot say
// spelled out: notification templates inlined (business hours are already in UTC there).
// The operator scopes it to alerts with namespace=<its namespace>, which is why the
// PrometheusRule puts that label on every alert.
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1';
import type { Model, ReceiverKind } from '../../config/index.js';
import { TIERS } from '../../catalog/alerts.js';
import { alertmanagerConfig, receiverName, type RoutedTier } from '../alertmanager/index.js';
import type { TimeIntervalSpec } from '../alertmanager/business-hours.js';
import { COLOR, SUMMARY, TEXT, TITLE } from '../alertmanager/template.js';
import { secretName } from '../paths.js';

export const ALERTING_SECRET = 'modelwatch-alerting';

/** `name op "value"` (the portable matcher form alertmanager.yml uses) as an operator Matcher. */
export function parseMatcher(text: string): { name: string; matchType: '=' | '!=' | '=~' | '!~'; value: string } {
  const m = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (!m) throw new Error(`not a matcher: ${text}`);
  return { name: m[1] as string, matchType: m[2] as '=', value: (m[3] as string).replace(/\\(.)/g, '$1') };
}

/** Key of a secret file in the alerting Secret: its file name. */
export const alertingKey = (written: string): string => secretName(written) ?? written.split('/').pop() as string;

function receiver(model: Model, tier: RoutedTier, kinds: readonly ReceiverKind[]) {
  const r = model.alerting.receivers;
  const ref = (written: string | undefined) => ({ name: ALERTING_SECRET, key: alertingKey(written as string) });
  return {
    name: receiverName(tier),
    ...(kinds.includes('pagerduty') && r.pagerduty ? { pagerdutyConfigs: [{
      routingKey: ref(r.pagerduty.routing_key.file), ...(r.pagerduty.url ? { url: r.pagerduty.url } : {}),
      severity: '{{ if .CommonLabels.severity }}{{ .CommonLabels.severity }}{{ else }}critical{{ end }}',
      description: SUMMARY, client: 'modelwatch', clientURL: model.alerting.externalUrl,
      pagerDutyLinkConfigs: [{ href: '{{ .CommonAnnotations.runbook_url }}', alt: 'Runbook' }, { href: '{{ .CommonAnnotations.dashboard_url }}', alt: 'Dashboard' }],
      details: [{ key: 'firing', value: TEXT }, { key: 'owner', value: '{{ .CommonAnnotations.owner }}' }, { key: 'runbook', value: '{{ .CommonAnnotations.runbook_url }}' }, { key: 'dashboard', value: '{{ .CommonAnnotations.dashboard_url }}' }],
      sendResolved: true,
    }] } : {}),
    ...(kinds.includes('slack') && r.slack ? { slackConfigs: [{
      apiURL: ref(r.slack.api_url.file), channel: r.slack.channel, title: TITLE, titleLink: '{{ .CommonAnnotations.dashboard_url }}', text: TEXT, color: COLOR, sendResolved: tier !== 'digest',
    }] } : {}),
    ...(kinds.includes('email') && r.email ? { emailConfigs: [{
      to: r.email.to, from: r.email.from, smarthost: r.email.smarthost,
      ...(r.email.auth_username ? { authUsername: r.email.auth_username } : {}),
      ...(r.email.auth_password?.file ? { authPassword: ref(r.email.auth_password.file) } : {}),
      headers: [{ key: 'Subject', value: TITLE }], sendResolved: false,
    }] } : {}),
    ...(kinds.includes('webhook') && r.webhook ? { webhookConfigs: [{ url: r.webhook.url, maxAlerts: 20, sendResolved: true }] } : {}),
  };
}

const timeInterval = (t: TimeIntervalSpec) => ({
  times: t.times.map((x) => ({ startTime: x.start_time, endTime: x.end_time })),
  weekdays: [...t.weekdays],
  ...(t.days_of_month ? { daysOfMonth: t.days_of_month.map((d) => { const [s, e = s] = d.split(':').map(Number) as [number, number?]; return { start: s, end: e }; }) } : {}),
  ...(t.months ? { months: [...t.months] } : {}),
  ...(t.years ? { years: [...t.years] } : {}),
});

interface AmRoute { receiver?: string; continue?: boolean; matchers?: string[]; group_by?: string[]; group_wait?: string; group_interval?: string; repeat_interval?: string; active_time_intervals?: string[]; routes?: AmRoute[] }

const route = (r: AmRoute): Record<string, unknown> => ({
  ...(r.receiver ? { receiver: r.receiver } : {}),
  ...(r.matchers ? { matchers: r.matchers.map(parseMatcher) } : {}),
  ...(r.group_by ? { groupBy: r.group_by } : {}),
  ...(r.group_wait ? { groupWait: r.group_wait } : {}),
  ...(r.group_interval ? { groupInterval: r.group_interval } : {}),
  ...(r.repeat_interval ? { repeatInterval: r.repeat_interval } : {}),
  ...(r.active_time_intervals ? { activeTimeIntervals: r.active_time_intervals } : {}),
  ...(r.routes ? { routes: r.routes.map(route) } : {}),
});

export function alertmanagerConfigResource(model: Model, metadata: object): AlertmanagerConfig {
  const am = alertmanagerConfig(model) as unknown as { route: AmRoute; inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal?: string[] }[]; time_intervals: { name: string; time_intervals: TimeIntervalSpec[] }[] };
  const amc = new AlertmanagerConfig({
    metadata: metadata as never,
    spec: {
      // Every timing set explicitly: the operator's top route otherwise inherits the root of
      // whatever Alertmanager config it is merged into.
      route: route(am.route) as never,
      receivers: [
        ...TIERS.map((tier) => receiver(model, tier, model.alerting.tiers[tier])),
        { name: receiverName('heartbeat'), ...(model.alerting.heartbeat ? { webhookConfigs: [{ url: model.alerting.heartbeat.url, sendResolved: false }] } : {}) },
      ] as never,
      inhibitRules: am.inhibit_rules.map((i) => ({ sourceMatch: i.source_matchers.map(parseMatcher), targetMatch: i.target_matchers.map(parseMatcher), ...(i.equal ? { equal: i.equal } : {}) })) as never,
      muteTimeIntervals: am.time_intervals.map((t) => ({ name: t.name, timeIntervals: t.time_intervals.map(timeInterval) })) as never,
    },
  });
  amc.validate();
  return amc;
}
