// The metric catalog: every metric the exporter exposes. The exporter registers from this list
// and the generator names metrics only through it, so no rule or panel can reference a metric
// that does not exist (see test/contract.test.ts).
import { LABEL, type LabelName } from './labels.js';

export type MetricType = 'counter' | 'gauge' | 'histogram';
export type MetricSource = 'exporter' | 'endpoint' | 'golden' | 'logs' | 'quality' | 'drift' | 'labels' | 'billing';

export interface MetricDef {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly LabelName[];
  /** Base unit (Prometheus naming); empty for counts. */
  readonly unit: 'seconds' | 'ratio' | 'usd' | 'tokens' | 'timestamp' | 'info' | '';
  readonly source: MetricSource;
  readonly buckets?: readonly number[];
}

const POLLED = ' Polled in the background, not at scrape time.';
const { model, version, reason, source, kind, feature, store, outcome, provider, project, lineItem, tokenType, period, segment, statistic, severity, predicted, actual } = LABEL;

const def = (name: string, type: MetricType, help: string, labels: readonly LabelName[], unit: MetricDef['unit'], src: MetricSource, buckets?: readonly number[]): MetricDef =>
  ({ name: `modelwatch_${name}`, type, help, labels, unit, source: src, ...(buckets ? { buckets } : {}) });

/** Latency buckets for model serving: from fast tabular models (ms) to long LLM generations (tens of s). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;
const PROBE_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
const DELAY_BUCKETS = [60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400] as const;
const RATING_BUCKETS = [1, 2, 3, 4, 5] as const;
const CONFIDENCE_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99] as const;

export const M = {
  // Exporter self-monitoring.
  buildInfo: def('build_info', 'gauge', 'modelwatch build information; value is always 1.', ['version', 'nodejs_version'] as LabelName[], 'info', 'exporter'),
  modelInfo: def('model_info', 'gauge', 'Configured model and the version last reported by its endpoint or logs; value is always 1.' + POLLED, [model, version, LABEL.task], 'info', 'exporter'),
  sourceUp: def('source_up', 'gauge', 'Whether the last poll of a source succeeded (1) or failed (0).' + POLLED, [source, kind], '', 'exporter'),
  sourceLastSuccess: def('source_last_success_timestamp_seconds', 'gauge', 'Unix time of the last successful poll of a source.' + POLLED, [source, kind], 'timestamp', 'exporter'),
  sourcePollDuration: def('source_poll_duration_seconds', 'gauge', 'Duration of the last poll of a source.' + POLLED, [source, kind], 'seconds', 'exporter'),
  sourceErrors: def('source_errors_total', 'counter', 'Failed polls of a source by reason.', [source, kind, reason], '', 'exporter'),
  httpAuthRefused: def('http_auth_refused_total', 'counter', 'Requests refused by basic auth: bad_credentials (wrong user or password), throttled (the address spent its failure budget), busy (the password check queue was full).', [reason], '', 'exporter'),
  sourceCircuitOpen: def('source_circuit_open', 'gauge', 'Whether the circuit breaker of a source is open (1: polls are skipped until it half-opens).' + POLLED, [source, kind], '', 'exporter'),
  configReloadSuccess: def('config_last_reload_successful', 'gauge', 'Whether the last configuration reload succeeded.', [], '', 'exporter'),
  seriesDropped: def('series_dropped_total', 'counter', 'Series not created because a metric reached its cap or the exporter its series limit.', ['metric'] as LabelName[], '', 'exporter'),
  series: def('series', 'gauge', 'Series a metric currently holds.', ['metric'] as LabelName[], '', 'exporter'),
  seriesLimit: def('series_limit', 'gauge', 'Series the whole exporter may hold (exporter.series_limit, kept below the scrape sample_limit).', [], '', 'exporter'),

  // Model endpoints and golden sets.
  endpointUp: def('endpoint_up', 'gauge', 'Whether the model endpoint reported ready on the last probe.' + POLLED, [model], '', 'endpoint'),
  endpointProbeDuration: def('endpoint_probe_duration_seconds', 'histogram', 'Latency of endpoint readiness probes.' + POLLED, [model], 'seconds', 'endpoint', PROBE_BUCKETS),
  endpointProbeFailures: def('endpoint_probe_failures_total', 'counter', 'Failed endpoint probes by failure type.', [model, reason], '', 'endpoint'),
  canaryInputTokens: def('canary_input_tokens_total', 'counter', 'Prompt tokens used by canary chat completions of OpenAI-compatible endpoints.', [model], 'tokens', 'endpoint'),
  canaryOutputTokens: def('canary_output_tokens_total', 'counter', 'Completion tokens used by canary chat completions of OpenAI-compatible endpoints.', [model], 'tokens', 'endpoint'),
  goldenCases: def('golden_cases_total', 'counter', 'Golden-set cases run, by outcome (pass, fail, error).', [model, version, outcome], '', 'golden'),
  goldenPassRatio: def('golden_pass_ratio', 'gauge', 'Share of golden-set cases that passed in the last run.' + POLLED, [model, version], 'ratio', 'golden'),
  goldenLastRun: def('golden_last_run_timestamp_seconds', 'gauge', 'Unix time of the last completed golden-set run.' + POLLED, [model], 'timestamp', 'golden'),
  goldenDuration: def('golden_case_duration_seconds', 'histogram', 'Latency of golden-set requests.', [model], 'seconds', 'golden', PROBE_BUCKETS),

  // Serving signals read from prediction logs.
  predictions: def('predictions_total', 'counter', 'Predictions read from the log store.', [model, version, segment], '', 'logs'),
  predictionErrors: def('prediction_errors_total', 'counter', 'Failed predictions by failure type (timeout, rate_limited, server_error, client_error, refusal, invalid_output, empty_output, other).', [model, version, reason, segment], '', 'logs'),
  predictionDuration: def('prediction_duration_seconds', 'histogram', 'Prediction latency as logged by the model service.', [model, version, segment], 'seconds', 'logs', LATENCY_BUCKETS),
  inputTokens: def('input_tokens_total', 'counter', 'Prompt tokens logged with predictions.', [model, version, segment], 'tokens', 'logs'),
  outputTokens: def('output_tokens_total', 'counter', 'Completion tokens logged with predictions.', [model, version, segment], 'tokens', 'logs'),
  estimatedCost: def('estimated_cost_usd', 'gauge', 'Spend estimated from prediction logs per provider model and UTC day period (today, yesterday, trailing_7d, month_to_date), to reconcile with billed spend; a period appears once the logs cover all of it.' + POLLED, [model, period], 'usd', 'logs'),
  predictionCost: def('prediction_cost_usd_total', 'counter', 'Cost of predictions in US dollars: logged cost, or tokens times the configured price table.', [model, version, segment], 'usd', 'logs'),
  positivePredictions: def('positive_predictions_total', 'counter', 'Predictions of the positive class (positive_class) by a classifier with protected segments: its selection rate per segment.', [model, version, segment], '', 'logs'),
  feedback: def('feedback_total', 'counter', 'User feedback events (thumbs up or down).', [model, version, segment], '', 'logs'),
  feedbackPositive: def('feedback_positive_total', 'counter', 'Positive user feedback events (thumbs up).', [model, version, segment], '', 'logs'),
  // LLM answer quality from logged evaluations: task outcome, LLM-judge verdict, hallucination flag, rating.
  taskOutcomes: def('task_outcomes_total', 'counter', 'LLM interactions with a logged task outcome, by outcome (success, failure).', [model, version, outcome, segment], '', 'logs'),
  judgeVerdicts: def('judge_verdicts_total', 'counter', 'Answers an LLM judge or evaluator scored, by outcome (pass, fail).', [model, version, outcome, segment], '', 'logs'),
  hallucinationChecks: def('hallucination_checks_total', 'counter', 'Answers checked for hallucination, by outcome (hallucinated, grounded).', [model, version, outcome, segment], '', 'logs'),
  rating: def('answer_rating', 'histogram', 'Ratings of answers on a 1-5 scale.', [model, version, segment], '', 'logs', RATING_BUCKETS),
  lowConfidence: def('low_confidence_predictions_total', 'counter', 'Predictions whose confidence is below the model confidence floor.', [model, version], '', 'logs'),
  confidence: def('prediction_confidence_ratio', 'histogram', 'Confidence or score of predictions.', [model, version], 'ratio', 'logs', CONFIDENCE_BUCKETS),
  versionFirstSeen: def('version_first_seen_timestamp_seconds', 'gauge', 'Unix time of the oldest prediction record read for a model version: when it started serving, as its logs show.' + POLLED, [model, version], 'timestamp', 'logs'),
  lastRecord: def('last_record_timestamp_seconds', 'gauge', 'Unix time of the newest prediction record read for a model.' + POLLED, [model, store], 'timestamp', 'logs'),
  checkpointAnomalies: def('checkpoint_anomalies_total', 'counter', 'Log files read again from the start (truncated; truncated and regrown while modelwatch was down; replaced under the same identity), a file seen shorter than what was read with the same first bytes and not read again (shrunk), or a checkpoint that failed its checksum or shape (corrupt_checkpoint).', [store, kind], '', 'logs'),
  recordsRejected: def('records_rejected_total', 'counter', 'Records that could not be read (malformed, oversize, missing fields).', [store, reason], '', 'logs'),

  // Data quality per feature: a counter for each failure kind next to the values checked.
  featureValues: def('feature_values_total', 'counter', 'Feature values checked.', [model, feature], '', 'quality'),
  featureNulls: def('feature_null_values_total', 'counter', 'Feature values that were null or missing.', [model, feature], '', 'quality'),
  featureOutOfRange: def('feature_out_of_range_values_total', 'counter', 'Numeric feature values outside the configured range.', [model, feature], '', 'quality'),
  featureSentinels: def('feature_sentinel_values_total', 'counter', 'Feature values equal to a configured sentinel (for example -999).', [model, feature], '', 'quality'),
  featureTypeErrors: def('feature_type_errors_total', 'counter', 'Feature values of the wrong type.', [model, feature], '', 'quality'),
  featureUnknownCategories: def('feature_unknown_category_values_total', 'counter', 'Categorical feature values outside the allowed categories.', [model, feature], '', 'quality'),
  schemaViolations: def('schema_violations_total', 'counter', 'Prediction records with at least one type error or unknown category.', [model], '', 'quality'),

  // Drift of each feature (and of the prediction and score, as feature="prediction"/"score").
  driftPsi: def('drift_psi', 'gauge', 'Population stability index of the current window against the baseline (10 reference-quantile bins, epsilon 1e-4).' + POLLED, [model, feature], '', 'drift'),
  driftKs: def('drift_ks_statistic', 'gauge', 'Two-sample Kolmogorov-Smirnov statistic D from the fine reference-quantile bins (a lower bound of the exact D).' + POLLED, [model, feature], '', 'drift'),
  driftKsUpper: def('drift_ks_statistic_upper_bound', 'gauge', 'Guaranteed upper bound of the exact KS statistic D (binned D plus the largest min(reference mass, window mass) of a bin).' + POLLED, [model, feature], '', 'drift'),
  driftKsPValue: def('drift_ks_p_value', 'gauge', 'Asymptotic KS p-value; secondary to D at large sample sizes.' + POLLED, [model, feature], '', 'drift'),
  driftJs: def('drift_js_distance', 'gauge', 'Jensen-Shannon distance (base 2) of a categorical feature against its baseline.' + POLLED, [model, feature], '', 'drift'),
  driftChiSquare: def('drift_chi_square_statistic', 'gauge', 'Chi-square statistic of a categorical feature against its baseline frequencies.' + POLLED, [model, feature], '', 'drift'),
  driftChiSquarePValue: def('drift_chi_square_p_value', 'gauge', 'Chi-square p-value; secondary to effect sizes at large sample sizes.' + POLLED, [model, feature], '', 'drift'),
  driftWindowSamples: def('drift_window_samples', 'gauge', 'Values in the current drift window.' + POLLED, [model, feature], '', 'drift'),
  driftReferenceSamples: def('drift_reference_samples', 'gauge', 'Values in the baseline reference.' + POLLED, [model, feature], '', 'drift'),
  driftLateValues: def('drift_late_values_total', 'counter', 'Values older than the drift window when read (a late or replayed record): not counted in the window.', [model, feature], '', 'drift'),
  driftNoiseFloor: def('drift_noise_floor', 'gauge', 'Value a drift statistic (psi, ks) exceeds with probability drift_false_alarm_rate under no drift, at the current window and reference sizes and bins; drift alerts fire only above it.' + POLLED, [model, feature, statistic], '', 'drift'),
  driftThreshold: def('drift_threshold', 'gauge', 'Configured drift alert threshold by statistic and severity.', [model, statistic, severity], '', 'drift'),

  // Model quality against delayed labels.
  labelsJoined: def('labels_joined_total', 'counter', 'Predictions joined with their ground-truth label.', [model, version], '', 'labels'),
  labelsExpired: def('labels_expired_total', 'counter', 'Predictions whose label did not arrive within the horizon.', [model], '', 'labels'),
  labelsPending: def('labels_pending', 'gauge', 'Predictions waiting for a label.' + POLLED, [model], '', 'labels'),
  labelDelay: def('label_delay_seconds', 'histogram', 'Time between a prediction and the arrival of its label.', [model], 'seconds', 'labels', DELAY_BUCKETS),
  labelLastJoined: def('label_last_joined_timestamp_seconds', 'gauge', 'Unix time a label last joined a prediction.' + POLLED, [model], 'timestamp', 'labels'),
  accuracy: def('accuracy_ratio', 'gauge', 'Accuracy over the quality window (labelled predictions only).' + POLLED, [model, version], 'ratio', 'labels'),
  precision: def('precision_ratio', 'gauge', 'Precision of the positive class (macro average for multi-class) over the quality window.' + POLLED, [model, version], 'ratio', 'labels'),
  recall: def('recall_ratio', 'gauge', 'Recall of the positive class (macro average for multi-class) over the quality window.' + POLLED, [model, version], 'ratio', 'labels'),
  f1: def('f1_ratio', 'gauge', 'F1 score of the positive class (macro average for multi-class) over the quality window.' + POLLED, [model, version], 'ratio', 'labels'),
  qualityWindowLabels: def('quality_window_labels', 'gauge', 'Labelled predictions in the quality window (the current UTC hour and the 23 before it, by label arrival), those the quality metrics are computed from.' + POLLED, [model, version], '', 'labels'),
  labelsUnusable: def('labels_unusable_total', 'counter', 'Joined labels left out of the quality metrics: for a regression model the label or the prediction is not a finite number.', [model, version], '', 'labels'),
  labelsEarly: def('labels_early_total', 'counter', 'Labels read before their prediction. They wait (bounded by the label source horizon and max_pending); those never matched are counted in records_rejected_total{reason="unmatched_label"} when they leave.', [store], '', 'labels'),
  labelsEarlyPending: def('labels_early_pending', 'gauge', 'Labels waiting for their prediction.' + POLLED, [store], '', 'labels'),
  classRecall: def('class_recall_ratio', 'gauge', 'Recall of one configured class over the quality window.' + POLLED, [model, version, LABEL.class], 'ratio', 'labels'),
  confusion: def('confusion_matrix', 'gauge', 'Labelled predictions in the quality window by predicted and actual class (configured classes; others as "other").' + POLLED, [model, version, predicted, actual], '', 'labels'),
  mae: def('regression_mean_absolute_error', 'gauge', 'Mean absolute error of a regression model over the quality window, in the unit of its predictions.' + POLLED, [model, version], '', 'labels'),
  rmse: def('regression_root_mean_squared_error', 'gauge', 'Root mean squared error of a regression model over the quality window, in the unit of its predictions.' + POLLED, [model, version], '', 'labels'),
  meanError: def('regression_mean_error', 'gauge', 'Mean of prediction minus label over the quality window (bias: positive when the model over-predicts).' + POLLED, [model, version], '', 'labels'),
  smape: def('regression_smape', 'gauge', 'Symmetric mean absolute percentage error over the quality window: mean of 2|p-y|/(|p|+|y|), 0 for a pair where both are 0; between 0 and 2.' + POLLED, [model, version], '', 'labels'),
  calibrationError: def('calibration_error_ratio', 'gauge', 'Expected calibration error of labelled predictions over the quality window (10 equal-width confidence bins).' + POLLED, [model, version], 'ratio', 'labels'),
  estimatedAccuracy: def('estimated_accuracy_ratio', 'gauge', 'Accuracy estimated from confidence before labels arrive (CBPE), over the estimation window (predictions of the current UTC hour and the 23 before it).' + POLLED, [model, version], 'ratio', 'labels'),
  estimatedPrecision: def('estimated_precision_ratio', 'gauge', 'Precision of the positive class estimated from confidence (CBPE) over the estimation window.' + POLLED, [model, version], 'ratio', 'labels'),
  estimatedRecall: def('estimated_recall_ratio', 'gauge', 'Recall of the positive class estimated from confidence (CBPE) over the estimation window.' + POLLED, [model, version], 'ratio', 'labels'),
  estimationWindowPredictions: def('estimation_window_predictions', 'gauge', 'Predictions with a confidence in the estimation window.' + POLLED, [model, version], '', 'labels'),
  estimationCalibrationLabels: def('estimation_calibration_labels', 'gauge', 'Labelled predictions the estimate\'s calibration map was fitted on, by where they came from (production: joined labels in the quality window; baseline: the labelled reference data; raw: none, confidences taken as calibrated).' + POLLED, [model, kind], '', 'labels'),
  baselineQuality: def('baseline_quality', 'gauge', 'Quality of the model on its labelled baseline reference data, by statistic (accuracy, mae, rmse, mean_error, smape).', [model, statistic], '', 'labels'),

  // Billing APIs: provider-reported spend (day buckets, delayed and revised by the provider).
  billingCost: def('billing_cost_usd', 'gauge', 'Spend reported by the billing API for the period (today, yesterday, month_to_date). Delayed and revised by the provider.' + POLLED, [source, provider, project, model, lineItem, period], 'usd', 'billing'),
  billingTokens: def('billing_tokens', 'gauge', 'Tokens reported by the usage API for the period, by token type.' + POLLED, [source, provider, project, model, tokenType, period], 'tokens', 'billing'),
  billingBudget: def('billing_budget_usd', 'gauge', 'Configured monthly budget of a billing source.', [source, provider], 'usd', 'billing'),
  priceTableAsOf: def('price_table_as_of_timestamp_seconds', 'gauge', 'Unix time of the date the configured price table was taken.', [], 'timestamp', 'billing'),
} as const satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof M;
export const CATALOG: readonly MetricDef[] = Object.values(M);

/** Series names a metric really exposes (histograms expand to _bucket/_sum/_count). */
export const exposedSeriesNames = (m: MetricDef): string[] =>
  m.type === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name];
