// Alerts that compare a model with its own past: latency against its 7-day p95, throughput and
// satisfaction against the same time last week.
import type { ModelSpec } from '../../../config/index.js';
import { LATENCY_BUCKETS, M } from '../../../catalog/metrics.js';
import { DASHBOARDS } from '../../dashboards.js';
import { num, rate, sel, sumWithout } from '../../promql.js';
import { R } from '../recording.js';
import { counter, TEST_JOB, withinBucket } from '../series.js';
import type { AlertFamily, InputSeries } from '../types.js';
import { latencyContext } from './context.js';
import { thresholdFamily } from './threshold.js';

const STEPS_PER_WEEK = 2016; // 5-minute samples
const FOLDED = ['instance', 'segment', 'version'];
const label = (m: ModelSpec) => ({ job: TEST_JOB.job, model: m.name });
const version = (m: ModelSpec) => m.versions[0] ?? 'unknown';

const latencyTarget = (lo: number, hi: number) => withinBucket(LATENCY_BUCKETS, lo, hi);

// The baseline hour carries 10x the recent traffic, so the 7-day p95 stays in the first bucket
// (0.95 of all observations are baseline) with few samples: promtool evaluates every rule at every
// step, and a short scenario keeps the generated tests fast.
const BASELINE_STEPS = 60;
const BASELINE_WEIGHT = 10;
const RECENT_STEPS = 25;

/** An hour of heavy, fast traffic, then 25 minutes whose p95 is v. */
function latencySeries(m: ModelSpec, v: number, perStep = 1000): InputSeries[] {
  const i = LATENCY_BUCKETS.findIndex((b) => v <= b);
  const a = LATENCY_BUCKETS[i - 1] as number;
  const b = LATENCY_BUCKETS[i] as number;
  const f = 0.05 / (1 - (v - a) / (b - a));
  return [...LATENCY_BUCKETS, '+Inf' as const].map((le) => {
    const recent = le === '+Inf' || le >= b ? perStep : perStep * (1 - f);
    return counter(`${M.predictionDuration.name}_bucket`, { model: m.name, version: version(m), le: String(le) }, [[perStep * BASELINE_WEIGHT, BASELINE_STEPS], [recent, RECENT_STEPS]]);
  });
}

export function latencyAlert(m: ModelSpec): AlertFamily | null {
  const factor = m.thresholds.latencyBaselineFactor;
  // The scenario's baseline p95 sits in the first bucket; a firing value must clear factor x that.
  const floor = factor * (LATENCY_BUCKETS[0] as number) * 1.01;
  return thresholdFamily({
    name: 'ModelwatchHighLatency', domain: 'serving', category: 'serving', model: m.name, dashboard: DASHBOARDS.overview.uid,
    summary: 'A model answers slower than its latency objective and its usual speed.',
    levels: m.thresholds.latencyP95Seconds, unit: 'seconds', forSeconds: 600,
    what: `The p95 latency of {{ $labels.model }} (also above ${num(factor)}x its p95 over the 7 days before the last hour)`,
    context: latencyContext(m.name),
    expr: (lvl) => `${sel(R.latencyP95, { model: m.name })} ${lvl} and ${sel(R.latencyP95, { model: m.name })} > ${num(factor)} * ${sel(R.latencyP95Week, { model: m.name })}`,
    scenario: {
      intervalSeconds: 60, evalSeconds: (BASELINE_STEPS + RECENT_STEPS - 5) * 60, labels: label(m),
      achievable: (lo, hi) => latencyTarget(Math.max(lo, floor), hi),
      series: (v) => latencySeries(m, v),
      noTraffic: latencySeries(m, 0.2, 0),
    },
  });
}

/** A counter at `base` per 5 minutes for a week, then at base x v for the last `recent` samples. */
const weekThenRecent = (metric: string, matchers: Record<string, string>, base: number, v: number, recent: number) =>
  counter(metric, matchers, [[base, STEPS_PER_WEEK], [base * v, recent]]);

export function throughputDropAlert(m: ModelSpec): AlertFamily | null {
  const x = m.thresholds.throughputChangeRatio;
  if (x >= 1) return null;
  const recent = 24;
  const matchers = { model: m.name, version: version(m), segment: 'default' };
  return thresholdFamily({
    name: 'ModelwatchThroughputDrop', domain: 'trends', category: 'serving', model: m.name, dashboard: DASHBOARDS.overview.uid,
    summary: 'A model receives far fewer predictions than at the same time last week.',
    levels: { warning: 1 - x, critical: null }, below: true, unit: 'percent', forSeconds: 1800,
    what: 'Hourly throughput of {{ $labels.model }} relative to the same hour last week',
    // The current rate is computed inline so this file needs no other rule file's recordings. A
    // rate over an hour that holds minutes of data divides those minutes' count by the hour: only
    // judged once the model has 55 minutes of data (a new stack is not a throughput drop).
    expr: (lvl) => `${sumWithout(FOLDED, rate(sel(M.predictions.name, { model: m.name }), 3600))} / ${sel(R.predictionRateLastWeek, { model: m.name })} ${lvl}`
      + ` and max without (${FOLDED.join(', ')}) (time() - min_over_time(timestamp(${sel(M.predictions.name, { model: m.name })})[1h:5m])) >= 3300`,
    scenario: {
      intervalSeconds: 300, evalSeconds: (STEPS_PER_WEEK + recent) * 300, labels: label(m), max: 1,
      series: (v) => [weekThenRecent(M.predictions.name, matchers, 100, v, recent)],
      noTraffic: [weekThenRecent(M.predictions.name, matchers, 0, 0, recent)],
    },
  });
}

export function satisfactionDropAlert(m: ModelSpec): AlertFamily | null {
  const recent = 300; // a full day of 5-minute samples plus the hour of `for`
  const matchers = { model: m.name, version: version(m) };
  return thresholdFamily({
    name: 'ModelwatchSatisfactionDrop', domain: 'trends', category: 'quality', model: m.name, dashboard: DASHBOARDS.cost.uid,
    summary: 'Users like a model\'s answers less than they did a week ago.',
    levels: { warning: 1 - m.thresholds.satisfactionDropRatio, critical: null }, below: true, unit: 'percent', forSeconds: 3600,
    what: 'The thumbs-up ratio of {{ $labels.model }} over 1d relative to the same day last week',
    expr: (lvl) => `${sel(R.satisfaction, { model: m.name })} / ${sel(R.satisfactionLastWeek, { model: m.name })} ${lvl}`,
    scenario: {
      intervalSeconds: 300, evalSeconds: (STEPS_PER_WEEK + recent) * 300, labels: label(m), max: 1,
      series: (v) => [
        weekThenRecent(M.feedback.name, matchers, 100, 1, recent),
        weekThenRecent(M.feedbackPositive.name, matchers, 80, v, recent),
      ],
      noTraffic: [weekThenRecent(M.feedback.name, matchers, 0, 0, recent), weekThenRecent(M.feedbackPositive.name, matchers, 0, 0, recent)],
    },
  });
}
