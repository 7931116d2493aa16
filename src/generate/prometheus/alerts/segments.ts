// A segment degrading alone: one segment's error ratio over the hour well above the model's other
// segments together, once it has served enough predictions. A model with one segment has nothing
// to compare with; a model failing everywhere is HighErrorRatio's, not this.
import type { ModelSpec } from '../../../config/index.js';
import { M } from '../../../catalog/metrics.js';
import { DASHBOARDS } from '../../dashboards.js';
import { num, sel } from '../../promql.js';
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
