// The thresholds part of the config schema: graded levels per signal, defaults then per-model overrides.
import { Type } from '@sinclair/typebox';
import { num, nullable, obj, opt, ratio } from './schema-parts.js';

/** A threshold with graded severities. Direction (above/below) is fixed by the signal. */
const levels = (description: string, bounds: { minimum?: number; maximum?: number; exclusiveMinimum?: number }) =>
  obj(`${description} Set either level to null to turn that tier off.`, {
    warning: opt(nullable({ ...bounds, description: 'Level at which the warning fires (a ticket, in business hours).' } as never)),
    critical: opt(nullable({ ...bounds, description: 'Level at which the critical alert fires (a page for symptoms, a ticket for causes; see alerting.paging).' } as never)),
  });
const RATIO = { minimum: 0, maximum: 1 };
const POSITIVE = { exclusiveMinimum: 0 };

export const ThresholdsSchema = obj('Alert thresholds. Every key is optional; unset keys take the defaults, then per-model overrides apply.', {
  error_ratio: opt(levels('Failed predictions / all predictions over 5m (fires above).', RATIO)),
  latency_p95_seconds: opt(levels('Absolute p95 prediction latency in seconds over 5m (fires above, and only when also above latency_baseline_factor x its p95 over the 7 days before the last hour).', POSITIVE)),
  latency_baseline_factor: opt(num('p95 latency must also exceed this multiple of its p95 over the 7 days before the last hour (its usual speed, the slowdown being judged left out) before a latency alert fires.', { minimum: 1 })),
  throughput_change_ratio: opt(num('Alert when hourly throughput falls below (1 - x) or rises above (1 + x) times the same hour last week.', { exclusiveMinimum: 0, maximum: 10 })),
  feature_psi: opt(levels('Population stability index of an input feature against its baseline (fires above).', { minimum: 0 })),
  feature_ks: opt(levels('Two-sample Kolmogorov-Smirnov statistic D of an input feature (fires above).', RATIO)),
  prediction_psi: opt(levels('PSI of the prediction/score distribution (fires above).', { minimum: 0 })),
  drift_false_alarm_rate: opt(num('Chance that a drift statistic passes its noise floor in a window with no drift (per evaluation). Drift alerts fire only above the floor, which depends on the window and reference sizes and the bins.', { exclusiveMinimum: 0, maximum: 0.5 })),
  drift_min_samples: opt(Type.Integer({ description: 'Drift alerts stay silent until the current window holds at least this many values.', minimum: 1 })),
  null_ratio: opt(levels('Null or missing feature values / values checked (fires above).', RATIO)),
  out_of_range_ratio: opt(levels('Values outside the feature range or sentinel values / values checked (fires above).', RATIO)),
  schema_violation_ratio: opt(levels('Records failing type or category checks / records (fires above).', RATIO)),
  stale_feed_seconds: opt(levels('Seconds since the newest prediction record (fires above).', POSITIVE)),
  accuracy: opt(levels('Accuracy against delayed labels over the quality window (fires below).', RATIO)),
  accuracy_min_labels: opt(Type.Integer({ description: 'Quality alerts (accuracy, precision, recall, F1, regression errors) stay silent until the quality window holds at least this many labelled predictions; estimated-accuracy alerts until the estimation window holds this many predictions.', minimum: 1 })),
  precision: opt(levels('Precision of the positive class (macro average without one) over the quality window (fires below). Off by default.', RATIO)),
  recall: opt(levels('Recall of the positive class (macro average without one) over the quality window (fires below). Off by default.', RATIO)),
  f1: opt(levels('F1 of the positive class (macro average without one) over the quality window (fires below). Off by default.', RATIO)),
  class_recall: opt(levels('Recall of the model\'s recall_class over the quality window (fires below). Off by default.', RATIO)),
  calibration_error: opt(levels('Expected calibration error (10 bins) of labelled predictions over the quality window (fires above): the confidence no longer says how often the model is right, and estimated accuracy is unreliable.', RATIO)),
  mae: opt(levels('Mean absolute error of a regression model over the quality window, in the unit of its predictions (fires above). Off by default.', { minimum: 0 })),
  rmse: opt(levels('Root mean squared error of a regression model over the quality window, in the unit of its predictions (fires above). Off by default.', { minimum: 0 })),
  error_baseline_factor: opt(levels('Mean absolute error of a regression model / the mean absolute error of its baseline reference data (fires above; needs a baseline built from labelled data).', { minimum: 1 })),
  label_lag_seconds: opt(levels('Seconds since a ground-truth label last joined a prediction (fires above).', POSITIVE)),
  low_confidence_ratio: opt(levels('Predictions below the model confidence floor / predictions over 1h (fires above).', RATIO)),
  satisfaction_drop_ratio: opt(num('Alert when the thumbs-up ratio over 1d falls by more than this fraction against the same day last week.', { exclusiveMinimum: 0, maximum: 1 })),
  golden_pass_ratio: opt(levels('Golden-set cases passed / cases run in the last run (fires below).', RATIO)),
  cost_estimate_gap_ratio: opt(num('Alert when spend estimated from logs (tokens x price table) and billed spend differ by more than this fraction for yesterday.', { exclusiveMinimum: 0 })),
  cost_per_hour_usd: opt(levels('Spend of a model in USD per hour over the last 10m, from logged cost or tokens x the price table (fires above). Off by default: set it from the spend you expect.', POSITIVE)),
  canary_error_factor: opt(num('A version (the canary) whose error ratio over 1h is more than this many times the stable version\'s (the one serving most predictions) raises ModelwatchCanaryRegression.', { minimum: 1 })),
  canary_latency_factor: opt(num('A version whose p95 latency over 1h is more than this many times the stable version\'s raises ModelwatchCanaryRegression.', { minimum: 1 })),
  canary_min_predictions: opt(Type.Integer({ description: 'Versions are compared only once they served at least this many predictions in the last hour.', minimum: 1 })),
  canary_min_error_ratio: opt(ratio('A canary\'s error ratio must also exceed this share (a stable version without errors would make any error a regression).')),
  segment_error_margin: opt(num('A segment whose error ratio over 1h is more than this many points above the model\'s other segments together raises ModelwatchSegmentDisparity (0.05: 7 % against 2 %).', { exclusiveMinimum: 0, maximum: 1 })),
  segment_min_predictions: opt(Type.Integer({ description: 'Segments are compared only once they served at least this many predictions in the last hour.', minimum: 1 })),
  disparate_impact_ratio: opt(num('A protected segment whose share of positive predictions over 1d is below this multiple of the other segments\' (the four-fifths rule: 0.8), or above its inverse, raises ModelwatchDisparateImpact.', { exclusiveMinimum: 0, maximum: 1 })),
  task_success_ratio: opt(levels('LLM interactions whose logged task outcome is a success / interactions with an outcome over 1h (fires below). Off by default: set it from the success rate your assistant really has.', RATIO)),
  hallucination_ratio: opt(levels('Answers flagged as hallucinations / answers checked over 1h (fires above). Off by default.', RATIO)),
  llm_min_evaluations: opt(Type.Integer({ description: 'Task-success and hallucination alerts stay silent until the last hour holds at least this many logged outcomes (or checks).', minimum: 1 })),
  ttft_p95_seconds: opt(levels('p95 time to first token of a model served by an LLM engine (endpoint.server), from the engine\'s own histogram over 5m (fires above).', POSITIVE)),
  kv_cache_usage_ratio: opt(num('A serving engine is saturated when its KV-cache usage stays above this share for 15 minutes (new requests queue or are preempted).', { exclusiveMinimum: 0, maximum: 1 })),
  gpu_utilization_ratio: opt(num('A serving engine is saturated when its GPU utilisation (Triton or the DCGM exporter) stays above this share for 15 minutes.', { exclusiveMinimum: 0, maximum: 1 })),
  daily_cost_increase_ratio: opt(num('Alert when spend today exceeds the 7-day daily average by more than this fraction.', { exclusiveMinimum: 0 })),
});
