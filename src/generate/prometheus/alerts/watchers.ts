// Watch the watchers: a heartbeat that always fires (its absence at the dead man's switch is the
// alert), Prometheus failing to evaluate rules or to deliver alerts, Alertmanager failing to
// notify, and either one running on an old config after a failed reload. The metrics are
// Prometheus' and Alertmanager's own (catalog/upstream.ts), scraped by the generated config.
import { UPSTREAM, upstreamJob } from '../../../catalog/upstream.js';
import { DASHBOARDS } from '../../dashboards.js';
import { sel } from '../../promql.js';
import type { AlertFamily, InputSeries } from '../types.js';
import { conditionFamily, type ConditionScenario } from './condition.js';

const U = UPSTREAM;
const labelsOf = (metric: string, extra: Record<string, string> = {}) => ({ job: upstreamJob(metric), instance: `${upstreamJob(metric)}:9090`, ...extra });
const series = (metric: string, values: string, extra: Record<string, string> = {}): InputSeries => ({ series: sel(metric, labelsOf(metric, extra)), values });
const base = { domain: 'watchers' as const, category: 'watchers', model: null, dashboard: DASHBOARDS.overview.uid };
const scenario = (name: string, input: InputSeries[], fires: Record<string, string> | null, evalSeconds = 1200, value?: number): ConditionScenario =>
  ({ name, intervalSeconds: 60, evalSeconds, series: input, fires, ...(value !== undefined ? { value } : {}) });

export function watcherAlerts(): AlertFamily[] {
  const prom = (extra: Record<string, string> = {}) => ({ job: 'prometheus', instance: 'prometheus:9090', ...extra });
  const am = (extra: Record<string, string> = {}) => ({ job: 'alertmanager', instance: 'alertmanager:9090', ...extra });
  return [
    conditionFamily({
      ...base, name: 'ModelwatchWatchdog', severity: 'info', forSeconds: 0,
      summary: 'Always firing, by design: the alerting pipeline works as long as this reaches the heartbeat receiver.',
      expr: 'vector(1)',
      description: 'This alert fires all the time. The dead man\'s switch behind alerting.heartbeat raises the alarm when it stops arriving: then Prometheus, Alertmanager or the way between them is down.',
      scenarios: [scenario('fires with no input at all', [], {}, 60, 1)],
    }),
    conditionFamily({
      ...base, name: 'ModelwatchPrometheusRuleFailures', severity: 'critical', forSeconds: 600,
      summary: 'Prometheus fails to evaluate some rules: alerts in those groups cannot fire.',
      expr: `sum without (rule_group) (increase(${U.ruleEvaluationFailures}[5m])) > 0`,
      description: 'Prometheus {{ $labels.instance }} failed rule evaluations in the last 5 minutes ({{ $value | humanize }}): some alerts cannot fire. Its log names the rule.',
      scenarios: [
        scenario('fires while evaluations keep failing', [series(U.ruleEvaluationFailures, '0+1x25', { rule_group: 'g' })], prom(), 1200, 5),
        scenario('silent when no evaluation fails', [series(U.ruleEvaluationFailures, '0x25', { rule_group: 'g' })], null),
      ],
    }),
    conditionFamily({
      ...base, name: 'ModelwatchPrometheusNotificationsFailing', severity: 'critical', forSeconds: 300,
      summary: 'Prometheus cannot hand alerts to Alertmanager: they are dropped, failing or queueing up.',
      expr: `sum without (alertmanager) (rate(${U.notificationsErrors}[5m])) / sum without (alertmanager) (rate(${U.notificationsSent}[5m])) > 0.01`
        + ` or sum without (alertmanager) (increase(${U.notificationsDropped}[5m])) > 0`
        + ` or ${U.notificationsQueueLength} / ${U.notificationsQueueCapacity} > 0.9`,
      description: 'Prometheus {{ $labels.instance }} is failing to deliver alerts to Alertmanager (errors above 1 %, dropped alerts, or a queue over 90 % full): notifications are being lost.',
      scenarios: [
        scenario('fires when alerts are dropped', [series(U.notificationsDropped, '0+1x25'), series(U.notificationsQueueLength, '0x25'), series(U.notificationsQueueCapacity, '10000x25')], prom(), 1200, 5),
        scenario('fires when the queue is nearly full', [series(U.notificationsDropped, '0x25'), series(U.notificationsQueueLength, '9500x25'), series(U.notificationsQueueCapacity, '10000x25')], prom(), 1200, 0.95),
        scenario('silent when every alert is delivered', [series(U.notificationsDropped, '0x25'), series(U.notificationsQueueLength, '3x25'), series(U.notificationsQueueCapacity, '10000x25'),
          series(U.notificationsSent, '0+100x25', { alertmanager: 'http://am:9093/api/v2/alerts' }), series(U.notificationsErrors, '0x25', { alertmanager: 'http://am:9093/api/v2/alerts' })], null),
      ],
    }),
    conditionFamily({
      ...base, name: 'ModelwatchPrometheusAlertmanagerUnreachable', severity: 'critical', forSeconds: 600,
      summary: 'Prometheus has no Alertmanager to send alerts to: nothing notifies anyone.',
      expr: `max_over_time(${U.alertmanagersDiscovered}[5m]) < 1`,
      description: 'Prometheus {{ $labels.instance }} has discovered no Alertmanager for 10 minutes: alerts fire in Prometheus and reach nobody.',
      scenarios: [
        scenario('fires with no Alertmanager discovered', [series(U.alertmanagersDiscovered, '0x25')], prom(), 1200, 0),
        scenario('silent with one Alertmanager', [series(U.alertmanagersDiscovered, '1x25')], null),
      ],
    }),
    conditionFamily({
      ...base, name: 'ModelwatchPrometheusConfigReloadFailed', severity: 'warning', forSeconds: 600,
      summary: 'Prometheus rejected its new configuration and runs on the previous one.',
      expr: `max_over_time(${U.prometheusConfigReload}[5m]) == 0`,
      description: 'The last configuration reload of Prometheus {{ $labels.instance }} failed: rule or scrape changes are not in effect (promtool check config tells why).',
      scenarios: [
        scenario('fires after a failed reload', [series(U.prometheusConfigReload, '0x25')], prom(), 1200, 0),
        scenario('silent after a good reload', [series(U.prometheusConfigReload, '1x25')], null),
      ],
    }),
    conditionFamily({
      ...base, name: 'ModelwatchAlertmanagerNotificationsFailing', severity: 'critical', forSeconds: 300,
      summary: 'Alertmanager fails to deliver notifications through one of its integrations.',
      expr: `sum without (reason) (rate(${U.alertmanagerNotificationsFailed}[5m])) / sum without (reason) (rate(${U.alertmanagerNotifications}[5m])) > 0.01`,
      description: 'More than 1 % of {{ $labels.integration }} notifications from Alertmanager {{ $labels.instance }} fail ({{ $value | humanizePercentage }}): the receiver\'s key, URL or network is broken. This notice may not get through the same way: check the heartbeat.',
      scenarios: [
        scenario('fires when a tenth of PagerDuty notifications fail', [series(U.alertmanagerNotifications, '0+10x25', { integration: 'pagerduty' }), series(U.alertmanagerNotificationsFailed, '0+1x25', { integration: 'pagerduty' })], am({ integration: 'pagerduty' }), 1200, 0.1),
        scenario('silent when every notification is delivered', [series(U.alertmanagerNotifications, '0+10x25', { integration: 'pagerduty' }), series(U.alertmanagerNotificationsFailed, '0x25', { integration: 'pagerduty' })], null),
      ],
    }),
    conditionFamily({
      ...base, name: 'ModelwatchAlertmanagerConfigReloadFailed', severity: 'warning', forSeconds: 600,
      summary: 'Alertmanager rejected its new configuration and runs on the previous one.',
      expr: `max_over_time(${U.alertmanagerConfigReload}[5m]) == 0`,
      description: 'The last configuration reload of Alertmanager {{ $labels.instance }} failed: routing changes are not in effect (amtool check-config tells why).',
      scenarios: [
        scenario('fires after a failed reload', [series(U.alertmanagerConfigReload, '0x25')], am(), 1200, 0),
        scenario('silent after a good reload', [series(U.alertmanagerConfigReload, '1x25')], null),
      ],
    }),
  ];
}
