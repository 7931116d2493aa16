// Recording rules (level:metric:operations, prometheus.io/docs/practices/rules). They are
// generic over models: per-model thresholds live in the alerts. Ratios aggregate numerator and
// denominator separately, then divide; aggregations use `without` so job and target labels survive.
import { M } from '../../catalog/metrics.js';
import { dur, rate, sel, sumWithout } from '../promql.js';
import type { Model } from '../../config/index.js';
import { engineRules } from './engines.js';
import type { Domain, RecordingRule } from './types.js';

export const BURN_WINDOWS = [300, 1800, 3600, 7200, 21600, 86400, 259200] as const;
const HOUR = 3600;
const DAY = 86400;
const WEEK = 7 * DAY;

/** Recording-rule names: dashboards and alerts refer to these, never to literal strings. */
export const R = {
  predictionRate: (w: number) => `model:modelwatch_predictions:rate${dur(w)}`,
  errorRate: (w: number) => `model:modelwatch_prediction_errors:rate${dur(w)}`,
  errorRatio: (w: number) => `model:modelwatch_prediction_errors_per_predictions:ratio_rate${dur(w)}`,
  latencyBuckets: 'model_le:modelwatch_prediction_duration_seconds_bucket:rate5m',
  latencyP95: 'model:modelwatch_prediction_duration_seconds:p95_rate5m',
  costPerPrediction: 'model:modelwatch_prediction_cost_usd_per_predictions:ratio_rate1h',
  costPerSuccess: 'model:modelwatch_prediction_cost_usd_per_successful_predictions:ratio_rate1h',
  billedByModel: 'model_period:modelwatch_billing_cost_usd:sum',
  estimateGap: 'model_period:modelwatch_estimated_cost_usd_vs_billing_cost_usd:ratio',
  predictionRateLastWeek: 'model:modelwatch_predictions:rate1h_offset1w',
  latencyP95Week: 'model:modelwatch_prediction_duration_seconds:p95_rate1w',
  satisfaction: 'model:modelwatch_feedback_positive_per_feedback:ratio_rate1d',
  satisfactionLastWeek: 'model:modelwatch_feedback_positive_per_feedback:ratio_rate1d_offset1w',
  featureValueRate: 'model_feature:modelwatch_feature_values:rate1h',
  nullRatio: 'model_feature:modelwatch_feature_null_values_per_feature_values:ratio_rate1h',
  outOfRangeRatio: 'model_feature:modelwatch_feature_out_of_range_or_sentinel_values_per_feature_values:ratio_rate1h',
  schemaViolationRatio: 'model:modelwatch_schema_violations_per_predictions:ratio_rate1h',
  lowConfidenceRatio: 'model:modelwatch_low_confidence_predictions_per_predictions:ratio_rate1h',
  billingCost: 'source:modelwatch_billing_cost_usd:sum',
  versionPredictionRate: 'model_version:modelwatch_predictions:rate1h',
  versionErrorRatio: 'model_version:modelwatch_prediction_errors_per_predictions:ratio_rate1h',
  versionLatencyP95: 'model_version:modelwatch_prediction_duration_seconds:p95_rate1h',
  stableVersion: 'model_version:modelwatch_predictions_stable:rate1h',
  segmentPredictionRate: 'model_segment:modelwatch_predictions:rate1h',
  segmentErrorRate: 'model_segment:modelwatch_prediction_errors:rate1h',
  segmentErrorRatio: 'model_segment:modelwatch_prediction_errors_per_predictions:ratio_rate1h',
  segmentPredictionRate1d: 'model_segment:modelwatch_predictions:rate1d',
  selectionRate: 'model_segment:modelwatch_positive_predictions_per_predictions:ratio_rate1d',
  otherSegmentsSelectionRate: 'model_segment:modelwatch_positive_predictions_per_predictions_other_segments:ratio_rate1d',
  parityDifference: 'model_segment:modelwatch_statistical_parity_difference:ratio_rate1d',
  disparateImpact: 'model_segment:modelwatch_disparate_impact:ratio_rate1d',
  otherSegmentsErrorRatio: 'model_segment:modelwatch_prediction_errors_per_predictions_other_segments:ratio_rate1h',
  stableErrorRatio: 'model:modelwatch_prediction_errors_per_predictions_stable:ratio_rate1h',
  stableLatencyP95: 'model:modelwatch_prediction_duration_seconds_stable:p95_rate1h',
  taskOutcomeRate: 'model:modelwatch_task_outcomes:rate1h',
  taskSuccessRatio: 'model:modelwatch_task_outcomes_success_per_task_outcomes:ratio_rate1h',
  judgePassRatio: 'model:modelwatch_judge_verdicts_pass_per_judge_verdicts:ratio_rate1h',
  hallucinationCheckRate: 'model:modelwatch_hallucination_checks:rate1h',
  hallucinationRatio: 'model:modelwatch_hallucination_checks_hallucinated_per_hallucination_checks:ratio_rate1h',
  ratingMean: 'model:modelwatch_answer_rating:mean_rate1h',
} as const;

// Labels dropped to reach the model level (instance always: replicas and shards add up).
const TO_MODEL = ['instance', 'version', 'segment'];
const predictionRate = (w: number, offset?: number) => sumWithout(TO_MODEL, rate(M.predictions.name, w, offset));
const featureRate = (metric: string) => sumWithout(['instance'], rate(metric, HOUR));

/** `expr`, or 0 wherever `like` has a series: a count never logged (no series) reads 0, not nothing. */
const orZero = (expr: string, like: string) => `${expr} or ${like} * 0`;
/** A segment's `num` / `den` taken out of its model's: the model's other segments together. */
const otherSegments = (num: string, den: string) =>
  `(sum without (segment) (${num}) - ignoring (segment) group_right ${num}) / (sum without (segment) (${den}) - ignoring (segment) group_right ${den})`;

// LLM answer quality: each outcome's share of the outcomes logged over the hour (every task
// failing must read 0 %, not nothing).
const outcomeRate = (metric: string, outcome?: string) => sumWithout(['instance', 'outcome', 'segment', 'version'], rate(sel(metric, outcome ? { outcome } : {}), HOUR));
const share = (metric: string, outcome: string, all: string) => `(${orZero(outcomeRate(metric, outcome), all)}) / ${all}`;
const llmQualityRules = (): RecordingRule[] => [
  { record: R.taskOutcomeRate, expr: outcomeRate(M.taskOutcomes.name) },
  { record: R.taskSuccessRatio, expr: share(M.taskOutcomes.name, 'success', R.taskOutcomeRate) },
  { record: R.judgePassRatio, expr: share(M.judgeVerdicts.name, 'pass', `(${outcomeRate(M.judgeVerdicts.name)})`) },
  { record: R.hallucinationCheckRate, expr: outcomeRate(M.hallucinationChecks.name) },
  { record: R.hallucinationRatio, expr: share(M.hallucinationChecks.name, 'hallucinated', R.hallucinationCheckRate) },
  { record: R.ratingMean, expr: `${sumWithout(TO_MODEL, rate(`${M.rating.name}_sum`, HOUR))} / ${sumWithout(TO_MODEL, rate(`${M.rating.name}_count`, HOUR))}` },
];

// A version that never failed has no error series: its error ratio is 0, not absent.
const releaseRules = (): RecordingRule[] => [
  { record: R.versionPredictionRate, expr: sumWithout(['instance', 'segment'], rate(M.predictions.name, HOUR)) },
  { record: R.versionErrorRatio, expr: `(${orZero(sumWithout(['instance', 'reason', 'segment'], rate(M.predictionErrors.name, HOUR)), R.versionPredictionRate)}) / ${R.versionPredictionRate}` },
  { record: R.versionLatencyP95, expr: `histogram_quantile(0.95, ${sumWithout(['instance', 'segment'], rate(`${M.predictionDuration.name}_bucket`, HOUR))})` },
  { record: R.stableVersion, expr: `${R.versionPredictionRate} == on (job, model) group_left () max without (version) (${R.versionPredictionRate})` },
  { record: R.stableErrorRatio, expr: `max without (version) (${R.versionErrorRatio} and on (job, model, version) ${R.stableVersion})` },
  { record: R.stableLatencyP95, expr: `max without (version) (${R.versionLatencyP95} and on (job, model, version) ${R.stableVersion})` },
];

// Each segment next to the model's other segments together (its own traffic taken out of the
// model's). A segment that never failed has a ratio of 0; a model with one segment has no "others"
// (0 / 0: no comparison).
const segmentRules = (): RecordingRule[] => [
  { record: R.segmentPredictionRate, expr: sumWithout(['instance', 'version'], rate(M.predictions.name, HOUR)) },
  { record: R.segmentErrorRate, expr: orZero(sumWithout(['instance', 'reason', 'version'], rate(M.predictionErrors.name, HOUR)), R.segmentPredictionRate) },
  { record: R.segmentErrorRatio, expr: `${R.segmentErrorRate} / ${R.segmentPredictionRate}` },
  { record: R.otherSegmentsErrorRatio, expr: otherSegments(R.segmentErrorRate, R.segmentPredictionRate) },
];

// Fairness of a classifier's positive predictions across segments (models with protected
// segments count them): each segment's selection rate over a day against the other segments'
// together, as a difference (statistical parity difference) and a ratio (disparate impact).
const positiveRate = sumWithout(['instance', 'version'], rate(M.positivePredictions.name, DAY));
const fairnessRules = (): RecordingRule[] => [
  { record: R.segmentPredictionRate1d, expr: `${sumWithout(['instance', 'version'], rate(M.predictions.name, DAY))} and on (job, model, segment) ${positiveRate}` },
  { record: R.selectionRate, expr: `${positiveRate} / ${R.segmentPredictionRate1d}` },
  { record: R.otherSegmentsSelectionRate, expr: otherSegments(positiveRate, R.segmentPredictionRate1d) },
  { record: R.parityDifference, expr: `${R.selectionRate} - ${R.otherSegmentsSelectionRate}` },
  { record: R.disparateImpact, expr: `${R.selectionRate} / ${R.otherSegmentsSelectionRate}` },
];

export interface RuleGroupSpec {
  readonly name: string;
  readonly domain: Domain;
  readonly intervalSeconds?: number;
  readonly rules: readonly RecordingRule[];
}

export function recordingGroups(model: Model): RuleGroupSpec[] {
  const engines = engineRules(model);
  return [
    {
      name: 'modelwatch-serving.recording',
      domain: 'serving',
      rules: [
        ...BURN_WINDOWS.flatMap((w) => [
          { record: R.predictionRate(w), expr: predictionRate(w) },
          { record: R.errorRate(w), expr: sumWithout(['instance', 'version', 'reason', 'segment'], rate(M.predictionErrors.name, w)) },
          { record: R.errorRatio(w), expr: `${R.errorRate(w)} / ${R.predictionRate(w)}` },
        ]),
        { record: R.latencyBuckets, expr: sumWithout(TO_MODEL, rate(`${M.predictionDuration.name}_bucket`, 300)) },
        { record: R.latencyP95, expr: `histogram_quantile(0.95, ${R.latencyBuckets})` },
        { record: R.costPerPrediction, expr: `${sumWithout(TO_MODEL, rate(M.predictionCost.name, HOUR))} / ${R.predictionRate(HOUR)}` },
        { record: R.costPerSuccess, expr: `${sumWithout(TO_MODEL, rate(M.predictionCost.name, HOUR))} / (${R.predictionRate(HOUR)} - ${R.errorRate(HOUR)})` },
      ],
    },
    {
      // A week-long window is expensive and moves slowly: evaluate it every 5 minutes.
      name: 'modelwatch-serving-baseline.recording',
      domain: 'serving',
      intervalSeconds: 300,
      rules: [
        // Offset by an hour: the usual speed must not contain the slowdown being judged (a 7-day
        // p95 that includes the spike rises with it and hides it). In the first hour of a new
        // stack there is nothing an hour old yet: the unshifted week stands in.
        { record: R.latencyP95Week, expr: [HOUR, 0].map((offset) => `histogram_quantile(0.95, ${sumWithout(TO_MODEL, rate(`${M.predictionDuration.name}_bucket`, WEEK, offset))})`).join(' or ') },
      ],
    },
    {
      // Each version next to the stable one (the version serving most predictions over the hour).
      name: 'modelwatch-releases.recording',
      domain: 'serving',
      rules: releaseRules(),
    },
    { name: 'modelwatch-segments.recording', domain: 'serving', rules: segmentRules() },
    {
      name: 'modelwatch-trends.recording',
      domain: 'trends',
      intervalSeconds: 300,
      rules: [
        { record: R.predictionRateLastWeek, expr: predictionRate(HOUR, WEEK) },
        { record: R.satisfaction, expr: `${sumWithout(TO_MODEL, rate(M.feedbackPositive.name, DAY))} / ${sumWithout(TO_MODEL, rate(M.feedback.name, DAY))}` },
        { record: R.satisfactionLastWeek, expr: `${sumWithout(TO_MODEL, rate(M.feedbackPositive.name, DAY, WEEK))} / ${sumWithout(TO_MODEL, rate(M.feedback.name, DAY, WEEK))}` },
      ],
    },
    {
      name: 'modelwatch-quality.recording',
      domain: 'quality',
      rules: [
        { record: R.featureValueRate, expr: featureRate(M.featureValues.name) },
        { record: R.nullRatio, expr: `${featureRate(M.featureNulls.name)} / ${R.featureValueRate}` },
        { record: R.outOfRangeRatio, expr: `(${featureRate(M.featureOutOfRange.name)} + ${featureRate(M.featureSentinels.name)}) / ${R.featureValueRate}` },
        { record: R.schemaViolationRatio, expr: `${featureRate(M.schemaViolations.name)} / ${predictionRate(HOUR)}` },
        ...llmQualityRules(),
        { record: R.lowConfidenceRatio, expr: `${sumWithout(['instance', 'version'], rate(M.lowConfidence.name, HOUR))} / ${predictionRate(HOUR)}` },
      ],
    },
    ...(engines.length ? [{ name: 'modelwatch-engines.recording', domain: 'engines' as const, rules: engines }] : []),
    // A day-long window moves slowly: every 5 minutes. Only when a model declares protected segments.
    ...(model.models.some((m) => m.protectedSegments.length) ? [{ name: 'modelwatch-fairness.recording', domain: 'quality' as const, intervalSeconds: 300, rules: fairnessRules() }] : []),
    {
      name: 'modelwatch-cost.recording',
      domain: 'cost',
      rules: [
        { record: R.billingCost, expr: sumWithout(['instance', 'line_item', 'model', 'project'], sel(M.billingCost.name)) },
        { record: R.billedByModel, expr: sumWithout(['instance', 'line_item', 'project', 'provider', 'source'], sel(M.billingCost.name)) },
        // Relative gap between what the logs say was spent (tokens x price table) and what was billed.
        { record: R.estimateGap, expr: `(${sumWithout(['instance'], sel(M.estimatedCost.name))} - ${R.billedByModel}) / ${R.billedByModel}` },
      ],
    },
  ];
}
