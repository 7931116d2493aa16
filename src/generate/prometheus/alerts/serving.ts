// Symptom alerts on serving: error ratio and SLO burn rate (multiwindow, multi-burn-rate).
import type { ModelSpec } from '../../../config/index.js';
import { M } from '../../../catalog/metrics.js';
import { DASHBOARDS } from '../../dashboards.js';
import { dur, num, sel } from '../../promql.js';
import { R } from '../recording.js';
import { counter, TEST_JOB } from '../series.js';
import type { AlertFamily } from '../types.js';
import { conditionFamily } from './condition.js';
import { budgetLeft, errorContext } from './context.js';
import { thresholdFamily } from './threshold.js';

const versionOf = (m: ModelSpec) => m.versions[0] ?? 'unknown';

/** Predictions and errors counters whose error ratio is v, for `steps` one-minute samples. */
export function trafficSeries(m: ModelSpec, v: number, steps: number, perStep = 100) {
  return [
    counter(M.predictions.name, { model: m.name, version: versionOf(m), segment: 'default' }, [[perStep, steps]]),
    counter(M.predictionErrors.name, { model: m.name, version: versionOf(m), reason: 'timeout' }, [[perStep * v, steps]]),
  ];
}

export function errorRatioAlert(m: ModelSpec): AlertFamily | null {
  const w = 300;
  return thresholdFamily({
    name: 'ModelwatchHighErrorRatio', domain: 'serving', category: 'serving', model: m.name, dashboard: DASHBOARDS.overview.uid,
    summary: 'A model is failing more predictions than usual.',
    // Error bursts come and go within minutes: one alert per incident, not one per burst.
    levels: m.thresholds.errorRatio, unit: 'percent', forSeconds: 300, keepFiringSeconds: 600,
    what: `The error ratio of {{ $labels.model }} over ${dur(w)}`,
    context: errorContext(m.name),
    expr: (lvl) => `${sel(R.errorRatio(w), { model: m.name })} ${lvl} and ${sel(R.predictionRate(w), { model: m.name })} > 0`,
    scenario: {
      intervalSeconds: 60, evalSeconds: 900, labels: { job: TEST_JOB.job, model: m.name }, max: 1,
      series: (v) => trafficSeries(m, v, 20),
      noTraffic: trafficSeries(m, 0, 20, 0),
    },
  });
}

// Burn-rate factors scale with the SLO window: a factor spends `budget` of the error budget in `long`.
const BURN_TIERS = [
  { severity: 'critical', budget: 0.02, long: 3600, short: 300, forSeconds: 120 },
  { severity: 'critical', budget: 0.05, long: 21600, short: 1800, forSeconds: 120 },
  { severity: 'warning', budget: 0.1, long: 86400, short: 7200, forSeconds: 900 },
  { severity: 'warning', budget: 0.1, long: 259200, short: 21600, forSeconds: 900 },
] as const;

export function burnRateAlerts(m: ModelSpec): AlertFamily[] {
  if (!m.slo) return [];
  const { availability, windowSeconds } = m.slo;
  const allowed = 1 - availability;
  const factor = (t: (typeof BURN_TIERS)[number]) => (t.budget * windowSeconds) / t.long;
  // The value is the burn rate of the long window: how many times faster than the SLO allows the budget goes.
  const clause = (t: (typeof BURN_TIERS)[number]) => {
    const burn = (w: number) => `${sel(R.errorRatio(w), { model: m.name })} / ${num(allowed)}`;
    return `(${burn(t.long)} > ${num(factor(t))} and ${burn(t.short)} > ${num(factor(t))})`;
  };
  const [page1, page2, ticket1, ticket2] = BURN_TIERS;
  const pageFactor = factor(page1);
  const ticketFactor = factor(ticket1);
  const labels = { job: TEST_JOB.job, model: m.name };
  const slo = `${num(availability * 100)}%`;
  const make = (severity: 'critical' | 'warning', a: typeof page1 | typeof ticket1, b: typeof page2 | typeof ticket2, f: number) => {
    // Scenarios: a steady error ratio past this tier's fastest factor fires; one just under the slowest stays silent.
    // A steady ratio is the same over every window, so 40 minutes of data cover the 3d and 6h windows too.
    const hot = f * allowed * 1.5;
    const cold = factor(b) * allowed * 0.5;
    return conditionFamily({
      name: severity === 'critical' ? 'ModelwatchErrorBudgetFastBurn' : 'ModelwatchErrorBudgetSlowBurn',
      domain: 'serving', category: 'serving', model: m.name, dashboard: DASHBOARDS.overview.uid, severity,
      summary: severity === 'critical' ? 'A model is burning its error budget fast enough to exhaust it within days.' : 'A model is burning its error budget faster than its SLO allows.',
      expr: `${clause(a)} or ${clause(b)}`, forSeconds: a.forSeconds,
      description: `{{ $labels.model }} is burning its ${dur(windowSeconds)} error budget (SLO ${slo}) {{ $value | printf "%.4g" }} times as fast as the SLO allows, `
        + `over ${dur(a.long)} and the last ${dur(a.short)} (above ${num(factor(a))}x) or over ${dur(b.long)} and the last ${dur(b.short)} (above ${num(factor(b))}x): `
        + `at ${num(factor(a))}x the whole budget lasts ${dur(windowSeconds / factor(a))}. ${budgetLeft(m.name, allowed, windowSeconds)}`,
      scenarios: [
        { name: `fires at a steady ${num(hot * 100)}% error ratio`, intervalSeconds: 60, evalSeconds: 2100, series: trafficSeries(m, hot, 40), fires: labels, value: hot / allowed },
        { name: `silent at a steady ${num(cold * 100)}% error ratio`, intervalSeconds: 60, evalSeconds: 2100, series: trafficSeries(m, cold, 40), fires: null },
        { name: 'silent without traffic', intervalSeconds: 60, evalSeconds: 2100, series: trafficSeries(m, 0, 40, 0), fires: null },
      ],
    });
  };
  return [make('critical', page1, page2, pageFactor), make('warning', ticket1, ticket2, ticketFactor)];
}
