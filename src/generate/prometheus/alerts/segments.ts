// A segment degrading alone: one segment's error ratio over the hour well above the model's other
// segments together, once it has served enough predictions. A model with one segment has nothing
// to compare with; a model failing everywhere is HighErrorRatio's, not this.
import type { ModelSpec } from '../../../config/index.js';
import { M } from '../../../catalog/metrics.js';
import { DASHBOARDS } from '../../dashboards.js';
import { num, oneOf, sel } from '../../promql.js';
import { R } from '../recording.js';
import { counter, TEST_JOB } from '../series.js';
import type { AlertFamily, InputSeries } from '../types.js';

const STEPS = 70;

export function segmentAlert(m: ModelSpec): AlertFamily | null {
  if (!m.logStore || m.segments.length < 2) return null;
  const t = m.thresholds;
  const scope = { model: m.name };
  const [bad, good] = [m.segments[0] as string, m.segments[1] as string];
  const version = m.versions[0] ?? 'unknown';
  // Per minute: the good segment 600 predictions at 1 %, the judged one `per` at `ratio`.
  const traffic = (per: number, ratio: number): InputSeries[] => [
    counter(M.predictions.name, { model: m.name, version, segment: good }, [[600, STEPS]]),
    counter(M.predictionErrors.name, { model: m.name, version, segment: good, reason: 'timeout' }, [[6, STEPS]]),
    counter(M.predictions.name, { model: m.name, version, segment: bad }, [[per, STEPS]]),
    counter(M.predictionErrors.name, { model: m.name, version, segment: bad, reason: 'timeout' }, [[per * ratio, STEPS]]),
  ];
  const past = 0.01 + t.segmentErrorMargin * 1.5;
  const labels = { job: TEST_JOB.job, model: m.name, segment: bad };
  return {
    name: 'ModelwatchSegmentDisparity', domain: 'serving', category: 'serving', model: m.name, dashboard: DASHBOARDS.model.uid,
    summary: 'One segment of a model fails far more often than the others.',
    rules: [{
      severity: 'warning', forSeconds: 900,
      expr: `${sel(R.segmentErrorRatio, scope)} > ${sel(R.otherSegmentsErrorRatio, scope)} + ${num(t.segmentErrorMargin)} and ${sel(R.segmentPredictionRate, scope)} * 3600 >= ${t.segmentMinPredictions}`,
      description: `Segment {{ $labels.segment }} of {{ $labels.model }} failed {{ $value | humanizePercentage }} of its predictions over the last hour, more than ${num(t.segmentErrorMargin * 100)} points above the other segments{{ with query (printf \`${R.otherSegmentsErrorRatio}{model="${m.name}",segment="%s"}\` $labels.segment) }} ({{ . | first | value | humanizePercentage }}){{ end }}.`,
    }],
    scenarios: [
      { name: 'fires when one segment fails far more than the rest', intervalSeconds: 60, evalSeconds: STEPS * 60, series: traffic(100, past), expect: [{ severity: 'warning', labels, value: past }] },
      { name: 'silent when the segments fail alike', intervalSeconds: 60, evalSeconds: STEPS * 60, series: traffic(100, 0.01), expect: [] },
      { name: 'silent while the segment has served too few predictions', intervalSeconds: 60, evalSeconds: STEPS * 60, series: traffic((t.segmentMinPredictions / 60) * 0.9, 0.5), expect: [] },
    ],
  };
}

/**
 * Fairness: a protected segment whose share of positive predictions over a day is below the
 * four-fifths of the other segments' (disparate impact ratio under `disparate_impact_ratio`), or
 * above its inverse, once the segment served enough predictions that day. A ticket: a cause to
 * look into, not an outage.
 */
export function disparateImpactAlert(m: ModelSpec): AlertFamily | null {
  if (!m.logStore || !m.protectedSegments.length || m.positiveClass === null) return null;
  const t = m.thresholds;
  const scope = { model: m.name, segment: oneOf(m.protectedSegments) };
  const [protectedSegment, other] = [m.protectedSegments[0] as string, m.segments.find((s) => !m.protectedSegments.includes(s)) ?? 'default'];
  const version = m.versions[0] ?? 'unknown';
  const dir = sel(R.disparateImpact, scope);
  // A day and a bit of traffic: the other segment selects 1 in 5, the protected one `share` of that.
  const steps = 25 * 60 / 5;
  const traffic = (share: number): InputSeries[] => [
    counter(M.predictions.name, { model: m.name, version, segment: other }, [[500, steps]]),
    counter(M.positivePredictions.name, { model: m.name, version, segment: other }, [[100, steps]]),
    counter(M.predictions.name, { model: m.name, version, segment: protectedSegment }, [[500, steps]]),
    counter(M.positivePredictions.name, { model: m.name, version, segment: protectedSegment }, [[100 * share, steps]]),
  ];
  const low = t.disparateImpactRatio * 0.75;
  return {
    name: 'ModelwatchDisparateImpact', domain: 'quality', category: 'quality', model: m.name, dashboard: DASHBOARDS.model.uid,
    summary: 'A protected segment gets the positive class at a very different rate from the others.',
    rules: [{
      severity: 'warning', forSeconds: 3600,
      expr: `(${dir} < ${num(t.disparateImpactRatio)} or ${dir} > ${num(1 / t.disparateImpactRatio)}) and ${sel(R.segmentPredictionRate1d, scope)} * 86400 >= ${t.segmentMinPredictions}`,
      description: `Segment {{ $labels.segment }} of {{ $labels.model }} gets "${m.positiveClass}" {{ $value | printf "%.4g" }} times as often as the other segments over the last day (disparate impact ratio; the four-fifths rule asks for ${num(t.disparateImpactRatio)} to ${(1 / t.disparateImpactRatio).toFixed(2)}).`,
    }],
    scenarios: [
      { name: `fires when the protected segment is selected at ${num(low)}x the others`, intervalSeconds: 300, evalSeconds: steps * 300, series: traffic(low), expect: [{ severity: 'warning', labels: { job: TEST_JOB.job, model: m.name, segment: protectedSegment }, value: low }] },
      { name: 'silent when the segments are selected alike', intervalSeconds: 300, evalSeconds: steps * 300, series: traffic(1), expect: [] },
    ],
  };
}
