// Every alert modelwatch generates, and what it is for the people it reaches: a symptom (users
// are hurt now: its critical level pages), a cause (something that may hurt users later, or
// explains a symptom: a ticket, however severe), or information (the digest). The paging
// policy of README "Alerts" is this table; alerting.paging overrides it per alert.
import type { Severity } from './labels.js';

export type Nature = 'symptom' | 'cause' | 'info' | 'heartbeat';
/** Where an alert is routed: page (PagerDuty), ticket (chat, in business hours), digest (email), heartbeat (the dead man's switch). */
export const TIERS = ['page', 'ticket', 'digest'] as const;
export type Tier = (typeof TIERS)[number] | 'heartbeat';

export const ALERTS = {
  // Symptoms: predictions fail, are slow, or are wrong.
  ModelwatchEndpointDown: 'symptom',
  ModelwatchHighErrorRatio: 'symptom',
  ModelwatchErrorBudgetFastBurn: 'symptom',
  ModelwatchErrorBudgetSlowBurn: 'symptom',
  ModelwatchHighLatency: 'symptom',
  ModelwatchCanaryRegression: 'symptom',
  ModelwatchPostDeployRegression: 'symptom',
  ModelwatchSegmentDisparity: 'symptom',
  ModelwatchTimeToFirstTokenHigh: 'symptom',
  ModelwatchLowAccuracy: 'symptom',
  ModelwatchLowEstimatedAccuracy: 'symptom',
  ModelwatchLowPrecision: 'symptom',
  ModelwatchLowRecall: 'symptom',
  ModelwatchLowF1: 'symptom',
  ModelwatchLowClassRecall: 'symptom',
  ModelwatchHighMeanAbsoluteError: 'symptom',
  ModelwatchHighRootMeanSquaredError: 'symptom',
  ModelwatchTaskSuccessDrop: 'symptom',
  ModelwatchHallucinationRateHigh: 'symptom',
  ModelwatchErrorAboveBaseline: 'symptom',
  // The watchers: when they are blind, every symptom above is invisible.
  ModelwatchExporterDown: 'symptom',
  ModelwatchExporterAbsent: 'symptom',
  ModelwatchPrometheusRuleFailures: 'symptom',
  ModelwatchPrometheusNotificationsFailing: 'symptom',
  ModelwatchPrometheusAlertmanagerUnreachable: 'symptom',
  ModelwatchAlertmanagerNotificationsFailing: 'symptom',
  ModelwatchWatchdog: 'heartbeat',
  // Causes: why a model may go wrong, or why a signal is missing.
  ModelwatchFeatureDrift: 'cause',
  ModelwatchFeatureDriftKs: 'cause',
  ModelwatchPredictionDrift: 'cause',
  ModelwatchFeatureNulls: 'cause',
  ModelwatchFeatureOutOfRange: 'cause',
  ModelwatchSchemaViolations: 'cause',
  ModelwatchLowConfidence: 'cause',
  ModelwatchHighCalibrationError: 'cause',
  ModelwatchStaleFeed: 'cause',
  ModelwatchGoldenSetFailing: 'cause',
  ModelwatchLabelsDelayed: 'cause',
  ModelwatchServerSaturated: 'cause',
  ModelwatchDisparateImpact: 'cause',
  ModelwatchThroughputDrop: 'cause',
  ModelwatchSatisfactionDrop: 'cause',
  ModelwatchPredictionsAbsent: 'cause',
  ModelwatchSourceDown: 'cause',
  ModelwatchHighCostRate: 'cause',
  ModelwatchDailyCostSpike: 'cause',
  ModelwatchBudgetForecastExceeded: 'cause',
  ModelwatchCostEstimateGap: 'cause',
  ModelwatchConfigReloadFailed: 'cause',
  ModelwatchSeriesDropped: 'cause',
  ModelwatchRecordsRejected: 'cause',
  ModelwatchLabelsExpiring: 'cause',
  ModelwatchPrometheusConfigReloadFailed: 'cause',
  ModelwatchAlertmanagerConfigReloadFailed: 'cause',
  // Information.
  ModelwatchPriceTableStale: 'info',
} as const satisfies Record<string, Nature>;

export type AlertName = keyof typeof ALERTS;
export const isAlertName = (name: string): name is AlertName => Object.hasOwn(ALERTS, name);

/**
 * The tier an alert's rule routes to: a symptom's critical level pages, every other critical and
 * warning level is a ticket, info goes to the digest; `paging` (alerting.paging) sets the tier of
 * an alert's critical level instead.
 */
export function tierOf(name: AlertName, severity: Severity, paging: Readonly<Record<string, Tier>> = {}): Tier {
  const nature: Nature = ALERTS[name];
  if (nature === 'heartbeat') return 'heartbeat';
  if (severity === 'info' || nature === 'info') return 'digest';
  if (severity === 'warning') return 'ticket';
  return paging[name] ?? (nature === 'symptom' ? 'page' : 'ticket');
}
