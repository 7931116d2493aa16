// What the Prometheus Operator makes of an AlertmanagerConfig, following its converter
// (prometheus-operator pkg/alertmanager/amcfg.go at 6adcebc, 2026-08): names get the prefix
// <namespace>/<name>/, the top route gets `continue: true` and a namespace="<ns>" matcher and
// goes before the routes of the base config, inhibit rules get namespace="<ns>" on both sides,
// time intervals are copied without a location (the CRD has none). Secret references are
// resolved to placeholder values, enough for amtool check-config.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const matcher = (m: Json) => `${m.name}${m.matchType ?? (m.regex ? '=~' : '=')}${JSON.stringify(m.value)}`;

function convertRoute(r: Json, prefix: (s: string) => string): Json {
  return {
    ...(r.receiver ? { receiver: prefix(r.receiver) } : {}),
    ...(r.groupBy ? { group_by: r.groupBy } : {}),
    ...(r.groupWait ? { group_wait: r.groupWait } : {}),
    ...(r.groupInterval ? { group_interval: r.groupInterval } : {}),
    ...(r.repeatInterval ? { repeat_interval: r.repeatInterval } : {}),
    ...(r.continue ? { continue: true } : {}),
    ...(r.matchers ? { matchers: (r.matchers as Json[]).map(matcher) } : {}),
    ...(r.routes ? { routes: (r.routes as Json[]).map((c) => convertRoute(c, prefix)) } : {}),
    ...(r.muteTimeIntervals ? { mute_time_intervals: (r.muteTimeIntervals as string[]).map(prefix) } : {}),
    ...(r.activeTimeIntervals ? { active_time_intervals: (r.activeTimeIntervals as string[]).map(prefix) } : {}),
  };
}

const placeholder = 'operator-resolved-secret';

function convertReceiver(r: Json, prefix: (s: string) => string): Json {
  const kv = (list: Json[] | undefined) => Object.fromEntries((list ?? []).map((x) => [x.key, x.value]));
  return {
    name: prefix(r.name),
    ...(r.pagerdutyConfigs ? { pagerduty_configs: (r.pagerdutyConfigs as Json[]).map((p) => ({ routing_key: placeholder, ...(p.url ? { url: p.url } : {}), severity: p.severity, description: p.description, details: kv(p.details), send_resolved: p.sendResolved })) } : {}),
    ...(r.slackConfigs ? { slack_configs: (r.slackConfigs as Json[]).map((s) => ({ api_url: 'https://hooks.slack.invalid/operator', channel: s.channel, title: s.title, title_link: s.titleLink, text: s.text, send_resolved: s.sendResolved })) } : {}),
    ...(r.emailConfigs ? { email_configs: (r.emailConfigs as Json[]).map((e) => ({ to: e.to, from: e.from, smarthost: e.smarthost, ...(e.authUsername ? { auth_username: e.authUsername, auth_password: placeholder } : {}), headers: kv(e.headers), send_resolved: e.sendResolved })) } : {}),
    ...(r.webhookConfigs ? { webhook_configs: (r.webhookConfigs as Json[]).map((w) => ({ url: w.url, max_alerts: w.maxAlerts, send_resolved: w.sendResolved })) } : {}),
  };
}

function convertTimeInterval(t: Json): Json {
  return {
    ...(t.times ? { times: (t.times as Json[]).map((x) => ({ start_time: x.startTime, end_time: x.endTime })) } : {}),
    ...(t.weekdays ? { weekdays: t.weekdays } : {}),
    ...(t.daysOfMonth ? { days_of_month: (t.daysOfMonth as Json[]).map((d) => `${d.start}:${d.end}`) } : {}),
    ...(t.months ? { months: t.months } : {}),
    ...(t.years ? { years: t.years } : {}),
  };
}

/** kube-prometheus-stack's default Alertmanager config (values.yaml alertmanager.config), trimmed to routing. */
export const KPS_BASE: Json = {
  global: { resolve_timeout: '5m' },
  route: { group_by: ['namespace'], group_wait: '30s', group_interval: '5m', repeat_interval: '12h', receiver: 'null', routes: [{ receiver: 'null', matchers: ['alertname = "Watchdog"'] }] },
  receivers: [{ name: 'null' }],
  inhibit_rules: [],
};

export function mergeAlertmanagerConfig(base: Json, amc: Json): Json {
  const ns = amc.metadata.namespace as string;
  const prefix = (s: string) => `${ns}/${amc.metadata.name}/${s}`;
  const nsMatcher = `namespace="${ns}"`;
  const top = convertRoute(amc.spec.route, prefix);
  top.matchers = [...(top.matchers ?? []), nsMatcher];
  top.continue = true;
  return {
    ...base,
    route: { ...base.route, routes: [top, ...((base.route.routes ?? []) as Json[])] },
    receivers: [...base.receivers, ...((amc.spec.receivers ?? []) as Json[]).map((r) => convertReceiver(r, prefix))],
    inhibit_rules: [...(base.inhibit_rules ?? []), ...((amc.spec.inhibitRules ?? []) as Json[]).map((i) => ({
      source_matchers: [...(i.sourceMatch as Json[]).map(matcher), nsMatcher],
      target_matchers: [...(i.targetMatch as Json[]).map(matcher), nsMatcher],
      ...(i.equal ? { equal: i.equal } : {}),
    }))],
    mute_time_intervals: ((amc.spec.muteTimeIntervals ?? []) as Json[]).map((m) => ({ name: prefix(m.name), time_intervals: ((m.timeIntervals ?? []) as Json[]).map(convertTimeInterval) })),
  };
}
