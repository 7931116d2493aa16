// Per-model alerts on polled gauges: golden sets, drift, data quality, freshness and accuracy.
import type { Levels, ModelSpec } from '../../../config/index.js';
import { OUTPUT_FEATURES } from '../../../catalog/labels.js';
import { M } from '../../../catalog/metrics.js';
import type { AlertName } from '../../../catalog/alerts.js';
import { DASHBOARDS } from '../../dashboards.js';
import { num, oneOf, sel, type Matchers } from '../../promql.js';
import { R } from '../recording.js';
import { counter, gauge, TEST_JOB } from '../series.js';
import type { AlertFamily, Domain } from '../types.js';
import { thresholdFamily } from './threshold.js';

export const version = (m: ModelSpec) => m.versions[0] ?? 'unknown';
export const withJob = (labels: Record<string, string>) => ({ ...TEST_JOB, ...labels });

export function goldenSetAlert(m: ModelSpec): AlertFamily | null {
  if (!m.goldenSet) return null;
  const labels = { model: m.name, version: version(m) };
  return thresholdFamily({
    name: 'ModelwatchGoldenSetFailing', domain: 'endpoints', category: 'endpoint', model: m.name, dashboard: DASHBOARDS.model.uid,
    summary: 'The live model fails its golden-set cases.',
    levels: m.thresholds.goldenPassRatio, below: true, unit: 'percent', forSeconds: 300,
    what: 'The golden-set pass ratio of {{ $labels.model }} {{ $labels.version }}',
    expr: (lvl) => `${sel(M.goldenPassRatio.name, { model: m.name })} ${lvl}`,
    scenario: {
      intervalSeconds: 60, evalSeconds: 600, labels: withJob(labels), max: 1,
      series: (v) => [gauge(M.goldenPassRatio.name, labels, v, 15)],
      noTraffic: [],
    },
  });
}

const FEATURES_ONLY = { not: OUTPUT_FEATURES.join('|') };
const OUTPUTS_ONLY = oneOf(OUTPUT_FEATURES);

function driftAlert(m: ModelSpec, name: AlertName, metric: string, statistic: 'psi' | 'ks', levels: Levels, featureMatch: Matchers[string], feature: string, what: string): AlertFamily | null {
  const n = m.thresholds.driftMinSamples;
  const scope = { model: m.name, feature: featureMatch };
  const labels = { model: m.name, feature };
  const floor = { ...labels, statistic };
  return thresholdFamily({
    name, domain: 'drift', category: 'drift', model: m.name, dashboard: DASHBOARDS.drift.uid,
    summary: feature === 'prediction' ? 'A model\'s output distribution moved away from its baseline.' : 'A model\'s input feature distribution moved away from its baseline.',
    levels, unit: 'number', forSeconds: 900,
    what: `${what} of {{ $labels.model }} / {{ $labels.feature }} (above its noise floor, window of at least ${n} values)`,
    // The noise floor: what the statistic reaches with no drift at this window size (drift_false_alarm_rate).
    expr: (lvl) => `${sel(metric, scope)} ${lvl} and ${sel(metric, scope)} > ignoring(statistic) ${sel(M.driftNoiseFloor.name, { ...scope, statistic })} and ${sel(M.driftWindowSamples.name, scope)} >= ${n}`,
    scenario: {
      intervalSeconds: 60, evalSeconds: 1200, labels: withJob(labels),
      series: (v) => [gauge(metric, labels, v, 25), gauge(M.driftNoiseFloor.name, floor, v / 2, 25), gauge(M.driftWindowSamples.name, labels, n * 2, 25)],
      // A large statistic on a window too small to trust must stay silent.
      noTraffic: [gauge(metric, labels, 1, 25), gauge(M.driftNoiseFloor.name, floor, 0.01, 25), gauge(M.driftWindowSamples.name, labels, Math.floor(n / 2), 25)],
    },
  });
}

export function driftAlerts(m: ModelSpec): AlertFamily[] {
  const first = m.features[0];
  const out: (AlertFamily | null)[] = [];
  if (first) {
    out.push(driftAlert(m, 'ModelwatchFeatureDrift', M.driftPsi.name, 'psi', m.thresholds.featurePsi, FEATURES_ONLY, first.name, 'PSI'));
    const numeric = m.features.find((f) => f.type === 'numeric');
    if (numeric) out.push(driftAlert(m, 'ModelwatchFeatureDriftKs', M.driftKs.name, 'ks', m.thresholds.featureKs, FEATURES_ONLY, numeric.name, 'The KS statistic D'));
  }
  if (m.baseline || m.rollingReferenceSeconds) out.push(driftAlert(m, 'ModelwatchPredictionDrift', M.driftPsi.name, 'psi', m.thresholds.predictionPsi, OUTPUTS_ONLY, 'prediction', 'PSI'));
  return out.filter((f): f is AlertFamily => f !== null);
}

interface RatioSpec { name: AlertName; summary: string; record: string; levels: Levels; what: string; numerator: string; denominator: string; perFeature: boolean; forSeconds: number }

function ratioAlert(m: ModelSpec, s: RatioSpec): AlertFamily | null {
  const feature = m.features[0]?.name;
  if (s.perFeature && !feature) return null;
  const labels: Record<string, string> = s.perFeature ? { model: m.name, feature: feature as string } : { model: m.name };
  const denominatorLabels = s.perFeature ? labels : { model: m.name, version: version(m), segment: 'default' };
  const numeratorLabels = s.perFeature || s.numerator === M.schemaViolations.name ? labels : { model: m.name, version: version(m) };
  const guard = s.perFeature ? ` and ${sel(R.featureValueRate, { model: m.name })} > 0` : '';
  const traffic = (v: number, per: number) => [
    counter(s.denominator, denominatorLabels, [[per, 90]]),
    counter(s.numerator, numeratorLabels, [[per * v, 90]]),
    ...(s.record === R.outOfRangeRatio ? [counter(M.featureSentinels.name, labels, [[0, 90]])] : []),
  ];
  return thresholdFamily({
    name: s.name, domain: 'quality', category: 'quality', model: m.name, dashboard: DASHBOARDS.drift.uid, summary: s.summary,
    levels: s.levels, unit: 'percent', forSeconds: s.forSeconds, what: s.what,
    expr: (lvl) => `${sel(s.record, { model: m.name })} ${lvl}${guard}`,
    scenario: {
      intervalSeconds: 60, evalSeconds: 5100, labels: { job: TEST_JOB.job, ...labels }, max: 1,
      series: (v) => traffic(v, 100),
      noTraffic: traffic(0, 0),
    },
  });
}

export function qualityAlerts(m: ModelSpec): AlertFamily[] {
  if (!m.logStore) return [];
  const t = m.thresholds;
  const specs: RatioSpec[] = [
    { name: 'ModelwatchFeatureNulls', summary: 'A feature arrives null or missing more often than usual.', record: R.nullRatio, levels: t.nullRatio, what: 'The null ratio of {{ $labels.model }} / {{ $labels.feature }} over 1h', numerator: M.featureNulls.name, denominator: M.featureValues.name, perFeature: true, forSeconds: 900 },
    { name: 'ModelwatchFeatureOutOfRange', summary: 'A feature arrives outside its valid range or as a sentinel value.', record: R.outOfRangeRatio, levels: t.outOfRangeRatio, what: 'The out-of-range and sentinel ratio of {{ $labels.model }} / {{ $labels.feature }} over 1h', numerator: M.featureOutOfRange.name, denominator: M.featureValues.name, perFeature: true, forSeconds: 900 },
    { name: 'ModelwatchSchemaViolations', summary: 'Prediction records break the configured feature schema.', record: R.schemaViolationRatio, levels: t.schemaViolationRatio, what: 'The share of records of {{ $labels.model }} with type errors or unknown categories over 1h', numerator: M.schemaViolations.name, denominator: M.predictions.name, perFeature: false, forSeconds: 900 },
  ];
  if (m.task !== 'regression') {
    specs.push({ name: 'ModelwatchLowConfidence', summary: 'A model is unsure of more of its predictions than usual.', record: R.lowConfidenceRatio, levels: t.lowConfidenceRatio, what: `The share of predictions of {{ $labels.model }} below confidence ${num(m.confidenceFloor)} over 1h`, numerator: M.lowConfidence.name, denominator: M.predictions.name, perFeature: false, forSeconds: 1800 });
  }
  return specs.map((s) => ratioAlert(m, s)).filter((f): f is AlertFamily => f !== null);
}

/** An "age of a timestamp" alert: time() - gauge, with the gauge set so the age at eval time is v. */
/** The unit an age reads in: the largest of days, hours, minutes in which the lowest level is at least 2. */
function ageUnit(levels: Levels): { scale: number; name: string } {
  const lowest = Math.min(...[levels.warning, levels.critical].filter((l): l is number => l !== null));
  for (const u of [{ scale: 86400, name: 'days' }, { scale: 3600, name: 'hours' }, { scale: 60, name: 'minutes' }]) if (lowest >= 2 * u.scale) return u;
  return { scale: 1, name: 'seconds' };
}

function ageAlert(m: ModelSpec, o: { name: AlertName; domain: Domain; category: string; summary: string; metric: string; labels: Record<string, string>; levels: Levels; what: string; forSeconds: number; dashboard: string }): AlertFamily | null {
  const step = o.domain === 'labels' ? 300 : 60;
  const evalSeconds = step * 12;
  if (o.levels.warning === null && o.levels.critical === null) return null;
  // "2.5 days", not "2d 12h 0m 0s": the age is computed in the unit it is read in.
  const { scale, name } = ageUnit(o.levels);
  const scaled = { warning: o.levels.warning === null ? null : o.levels.warning / scale, critical: o.levels.critical === null ? null : o.levels.critical / scale };
  const age = `time() - ${sel(o.metric, { model: m.name })}`;
  return thresholdFamily({
    name: o.name, domain: o.domain, category: o.category, model: m.name, dashboard: o.dashboard, summary: o.summary,
    levels: scaled, unit: 'number', suffix: ` ${name}`, forSeconds: o.forSeconds, what: o.what,
    expr: (lvl) => (scale === 1 ? `${age} ${lvl}` : `(${age}) / ${scale} ${lvl}`),
    scenario: {
      intervalSeconds: step, evalSeconds, labels: withJob(o.labels),
      // A feed whose newest record stays v old at every evaluation: the age is v from the start,
      // so a firing case has held past any `for` (scaled or not) and a quiet one never crossed.
      achievable: (lo, hi) => Math.round(((lo + hi) / 2) * scale) / scale,
      series: (v) => [{ series: sel(o.metric, withJob(o.labels)), values: `${num(-v * scale)}+${step}x15` }],
      noTraffic: [],
    },
  });
}

export function freshnessAlerts(m: ModelSpec): AlertFamily[] {
  const out: (AlertFamily | null)[] = [];
  if (m.logStore) {
    out.push(ageAlert(m, {
      name: 'ModelwatchStaleFeed', domain: 'quality', category: 'freshness', summary: 'No new prediction records have arrived for a while.',
      metric: M.lastRecord.name, labels: { model: m.name, store: m.logStore }, levels: m.thresholds.staleFeedSeconds,
      what: 'The age of the newest prediction record of {{ $labels.model }} in {{ $labels.store }}', forSeconds: 300, dashboard: DASHBOARDS.drift.uid,
    }));
  }
  if (m.labelSource) {
    out.push(ageAlert(m, {
      name: 'ModelwatchLabelsDelayed', domain: 'labels', category: 'accuracy', summary: 'Ground-truth labels stopped arriving, so accuracy is going blind.',
      metric: M.labelLastJoined.name, labels: { model: m.name }, levels: m.thresholds.labelLagSeconds,
      what: 'The time since a ground-truth label last joined a prediction of {{ $labels.model }}', forSeconds: 1800, dashboard: DASHBOARDS.model.uid,
    }));
  }
  return out.filter((f): f is AlertFamily => f !== null);
}
