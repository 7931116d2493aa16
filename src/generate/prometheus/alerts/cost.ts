// Cost alerts: a model's spend per hour from its logs; on billing sources, a daily spend spike and
// the month-end budget forecast.
import type { BillingSource, Model, ModelSpec } from '../../../config/index.js';
import { M } from '../../../catalog/metrics.js';
import { DASHBOARDS } from '../../dashboards.js';
import { dur, num, rate, sel, sumWithout } from '../../promql.js';
import { R } from '../recording.js';
import { counter, gauge, TEST_JOB } from '../series.js';
import type { AlertFamily } from '../types.js';
import { conditionFamily } from './condition.js';
import { thresholdFamily } from './threshold.js';

const billingLabels = (b: BillingSource, period: string) => ({ source: b.name, provider: b.provider, project: 'default', model: 'default', line_item: 'default', period });

/** Spend per hour of one model over 10 minutes, from the logged cost (or tokens x prices). */
export function costRateAlert(m: ModelSpec): AlertFamily | null {
  const w = 600;
  const perMinute = (usdPerHour: number) => [counter(M.predictionCost.name, { model: m.name, version: m.versions[0] ?? 'unknown' }, [[usdPerHour / 60, 40]])];
  return thresholdFamily({
    name: 'ModelwatchHighCostRate', domain: 'cost', category: 'cost', model: m.name, dashboard: DASHBOARDS.cost.uid,
    summary: 'A model spends more per hour than expected.',
    levels: m.thresholds.costPerHourUsd, unit: 'number', suffix: ' USD/h', forSeconds: 900,
    what: `The spend of {{ $labels.model }} over the last ${dur(w)}, per hour,`,
    expr: (lvl) => `${sumWithout(['instance', 'segment', 'version'], rate(sel(M.predictionCost.name, { model: m.name }), w))} * 3600 ${lvl}`,
    scenario: {
      intervalSeconds: 60, evalSeconds: 2100, labels: { job: TEST_JOB.job, model: m.name },
      series: perMinute,
      noTraffic: perMinute(0),
    },
  });
}

export function dailyCostAlert(model: Model, b: BillingSource): AlertFamily | null {
  const x = model.defaultThresholds.dailyCostIncreaseRatio;
  const today = sel(R.billingCost, { period: 'today', source: b.name });
  const week = sel(R.billingCost, { period: 'trailing_7d', source: b.name });
  const series = (todayUsd: number, weekUsd: number) => [
    gauge(M.billingCost.name, billingLabels(b, 'today'), todayUsd, 10),
    gauge(M.billingCost.name, billingLabels(b, 'trailing_7d'), weekUsd, 10),
  ];
  return thresholdFamily({
    name: 'ModelwatchDailyCostSpike', domain: 'cost', category: 'cost', model: null, dashboard: DASHBOARDS.cost.uid,
    summary: 'Spend today is well above its recent daily average.',
    levels: { warning: 1 + x, critical: null }, unit: 'percent', forSeconds: 3600,
    what: 'Spend so far today on {{ $labels.source }} relative to its 7-day daily average',
    expr: (lvl) => `${today} / ignoring (period) (${week} / 7) ${lvl} and ignoring (period) ${week} > 0`,
    scenario: {
      intervalSeconds: 600, evalSeconds: 4800, labels: { job: TEST_JOB.job, source: b.name, provider: b.provider },
      series: (v) => series(100 * v, 700),
      // A new account has no history: any spend today divided by zero must not page.
      noTraffic: series(50, 0),
    },
  });
}

const MONTH_SECONDS_LEFT = 'scalar((days_in_month() - day_of_month() + 1) * 86400 - hour() * 3600 - minute() * 60)';
const FORECAST_STEPS = 300;
const FOLDED = ['instance', 'line_item', 'model', 'period', 'project']; // 10-minute samples: a little over two days into the month

export function budgetForecastAlert(b: BillingSource): AlertFamily | null {
  if (b.monthlyBudgetUsd === null) return null;
  const mtd = sel(M.billingCost.name, { period: 'month_to_date', source: b.name });
  const evalSeconds = FORECAST_STEPS * 600;
  // The scenario month starts at t=0 (1970-01-01) and spends linearly, so the forecast is slope x 31 days.
  const series = (forecast: number) => {
    const perStep = (forecast * 600) / (31 * 86400);
    return [{ series: sel(M.billingCost.name, { ...TEST_JOB, ...billingLabels(b, 'month_to_date') }), values: `0+${num(perStep)}x${FORECAST_STEPS + 5}` }];
  };
  return thresholdFamily({
    name: 'ModelwatchBudgetForecastExceeded', domain: 'cost', category: 'cost', model: null, dashboard: DASHBOARDS.cost.uid,
    summary: 'At the current pace, spend will pass the monthly budget before the month ends.',
    levels: { warning: b.monthlyBudgetUsd, critical: null }, unit: 'number', forSeconds: 3600,
    what: 'The month-end spend forecast in USD for {{ $labels.source }} (linear over the last 2d)',
    // A line through minutes or hours of spend says nothing about a month: only forecast from at
    // least a day of it (the oldest sample of the last 2 days, at hour resolution, a day old).
    expr: (lvl) => `${sumWithout(FOLDED, `predict_linear(${mtd}[2d], ${MONTH_SECONDS_LEFT})`)} ${lvl}`
      + ` and max without (${[...FOLDED].sort().join(', ')}) (time() - min_over_time(timestamp(${mtd})[2d:1h])) >= 86400`,
    scenario: {
      intervalSeconds: 600, evalSeconds, labels: { job: TEST_JOB.job, source: b.name, provider: b.provider },
      series,
      noTraffic: series(0),
    },
  });
}

export function priceTableAlert(model: Model): AlertFamily | null {
  if (!model.prices) return null;
  const maxAge = 90 * 86400;
  return conditionFamily({
    name: 'ModelwatchPriceTableStale', domain: 'cost', category: 'cost', model: null, dashboard: DASHBOARDS.cost.uid, severity: 'info',
    summary: 'The configured price table is old, so estimated costs may be wrong.',
    expr: `time() - ${M.priceTableAsOf.name} > ${maxAge}`, forSeconds: 3600,
    description: 'The price table used for cost estimates is {{ $value | humanizeDuration }} old; check the providers\' current prices and update prices.as_of.',
    scenarios: [
      { name: 'fires when the table is 100 days old', intervalSeconds: 600, evalSeconds: 4800, series: [gauge(M.priceTableAsOf.name, {}, 4800 - 100 * 86400, 10)], fires: { ...TEST_JOB }, value: 100 * 86400 },
      { name: 'silent when the table is 30 days old', intervalSeconds: 600, evalSeconds: 4800, series: [gauge(M.priceTableAsOf.name, {}, 4800 - 30 * 86400, 10)], fires: null },
    ],
  });
}

export function estimateGapAlert(model: Model): AlertFamily | null {
  if (!model.billing.length || !model.prices) return null;
  const x = model.defaultThresholds.costEstimateGapRatio;
  const labels = { model: 'gpt-test', period: 'yesterday' };
  const series = (estimated: number, billed: number) => [
    gauge(M.estimatedCost.name, labels, estimated, 10),
    gauge(M.billingCost.name, { ...labels, source: 'openai', provider: 'openai', project: 'default', line_item: 'default' }, billed, 10),
  ];
  return thresholdFamily({
    name: 'ModelwatchCostEstimateGap', domain: 'cost', category: 'cost', model: null, dashboard: DASHBOARDS.cost.uid,
    summary: 'Spend estimated from logs and billed spend disagree: the price table or the logs are off.',
    levels: { warning: x, critical: null }, unit: 'percent', forSeconds: 3600,
    what: 'The gap between estimated and billed spend of provider model {{ $labels.provider_model }} yesterday (check prices.as_of)',
    // The rows name the provider's model (gpt-4.1-mini), not a modelwatch model: the label says so,
    // so per-model inhibitions and dashboard links do not take it for one.
    expr: (lvl) => `label_replace(label_replace(abs(${sel(R.estimateGap, { period: 'yesterday' })}) ${lvl} and ${sel(R.billedByModel, { period: 'yesterday' })} > 0, "provider_model", "$1", "model", "(.*)"), "model", "", "", "")`,
    scenario: {
      intervalSeconds: 600, evalSeconds: 4800, labels: { job: TEST_JOB.job, provider_model: labels.model, period: labels.period },
      series: (v) => series(100 * (1 + v), 100),
      // Nothing billed yet: a gap against zero must not fire.
      noTraffic: series(50, 0),
    },
  });
}
