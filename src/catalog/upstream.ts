// Metrics of Prometheus and Alertmanager themselves that the watcher alerts read ("watch the
// watchers"). Names as Prometheus 2.42+ and Alertmanager 0.25+ expose them; test/e2e/stack.test.ts
// checks each one against the running binaries' /metrics.
export const UPSTREAM = {
  ruleEvaluationFailures: 'prometheus_rule_evaluation_failures_total',
  notificationsDropped: 'prometheus_notifications_dropped_total',
  notificationsErrors: 'prometheus_notifications_errors_total',
  notificationsSent: 'prometheus_notifications_sent_total',
  notificationsQueueLength: 'prometheus_notifications_queue_length',
  notificationsQueueCapacity: 'prometheus_notifications_queue_capacity',
  alertmanagersDiscovered: 'prometheus_notifications_alertmanagers_discovered',
  prometheusConfigReload: 'prometheus_config_last_reload_successful',
  alertmanagerNotificationsFailed: 'alertmanager_notifications_failed_total',
  alertmanagerNotifications: 'alertmanager_notifications_total',
  alertmanagerConfigReload: 'alertmanager_config_last_reload_successful',
} as const;

/** Which server exposes a metric (the job that scrapes it in the generated scrape config). */
export const upstreamJob = (metric: string): 'prometheus' | 'alertmanager' => (metric.startsWith('alertmanager_') ? 'alertmanager' : 'prometheus');
