// Every alert family for a Model: the alert catalog of DESIGN.md §3, one function per concern.
import type { Model } from '../../../config/index.js';
import type { AlertFamily } from '../types.js';
import { budgetForecastAlert, costRateAlert, dailyCostAlert, estimateGapAlert, priceTableAlert } from './cost.js';
import { saturationAlert, ttftAlert } from './engines.js';
import { llmQualityAlerts } from './llm-quality.js';
import { canaryAlert, postDeployAlert } from './releases.js';
import { disparateImpactAlert, segmentAlert } from './segments.js';
import { exporterAlerts, exporterHealthAlerts, predictionsAbsentAlert } from './exporter.js';
import { watcherAlerts } from './watchers.js';
import { burnRateAlerts, errorRatioAlert } from './serving.js';
import { driftAlerts, freshnessAlerts, goldenSetAlert, qualityAlerts } from './signals.js';
import { modelQualityAlerts } from './model-quality.js';
import { latencyAlert, satisfactionDropAlert, throughputDropAlert } from './trends.js';

export function alertFamilies(model: Model): AlertFamily[] {
  const perModel = model.models.flatMap((m) => {
    const fromLogs = m.logStore ? [errorRatioAlert(m), canaryAlert(m), postDeployAlert(m), segmentAlert(m), disparateImpactAlert(m), ...burnRateAlerts(m), latencyAlert(m), throughputDropAlert(m), satisfactionDropAlert(m), costRateAlert(m)] : [];
    return [...fromLogs, ...llmQualityAlerts(m), ttftAlert(m), saturationAlert(m), goldenSetAlert(m), ...driftAlerts(m), ...qualityAlerts(m), ...freshnessAlerts(m), ...modelQualityAlerts(model, m), predictionsAbsentAlert(m, model.models)];
  });
  const perBilling = model.billing.flatMap((b) => [dailyCostAlert(model, b), budgetForecastAlert(b)]);
  return [...watcherAlerts(), ...exporterAlerts(model), ...exporterHealthAlerts(model), ...perModel, ...perBilling, estimateGapAlert(model), priceTableAlert(model)].filter((f): f is AlertFamily => f !== null);
}
