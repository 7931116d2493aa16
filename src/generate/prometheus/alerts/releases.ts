// Release impact: a version (the canary) judged against the stable one (the version serving most
// of the model's predictions over the last hour) on errors and latency, once it has served enough
// predictions to say anything. A ticket for whoever cut the release: roll back before cutting over.
import type { ModelSpec } from '../../../config/index.js';
import { M } from '../../../catalog/metrics.js';
import { DASHBOARDS } from '../../dashboards.js';
import { num, sel } from '../../promql.js';
import { R } from '../recording.js';
import { counter, exported, gauge, TEST_JOB } from '../series.js';
import type { AlertFamily, InputSeries, Scenario } from '../types.js';

const STEPS = 70;

/** Stable and canary traffic per minute with their error counts (70 minutes: the hour is full). */
function traffic(m: ModelSpec, canaryPerMin: number, stableErrors: number, canaryErrors: number): InputSeries[] {
  const [stable, canary] = [m.versions[0] ?? 'v1', m.versions[1] ?? 'v2'];
  const series = (version: string, per: number, errors: number) => [
    counter(M.predictions.name, { model: m.name, version, segment: 'default' }, [[per, STEPS]]),
    ...(errors > 0 ? [counter(M.predictionErrors.name, { model: m.name, version, reason: 'server_error' }, [[errors, STEPS]])] : []),
  ];
  return [...series(stable, 600, stableErrors), ...series(canary, canaryPerMin, canaryErrors)];
}

/** " (serving since <time>)" from the version's oldest logged record, or nothing before one is read. */
const since = (model: string) =>
  `{{ with query (printf \`${M.versionFirstSeen.name}{model="${model}",version="%s"}\` $labels.version) }} (serving since {{ . | first | value | humanizeTimestamp }}){{ end }}`;

export function canaryAlert(m: ModelSpec): AlertFamily | null {
  if (!m.logStore) return null;
  const t = m.thresholds;
  const scope = { model: m.name };
  // The stable version is never more than twice itself: no need to exclude it.
  const gate = `and on (job, model, version) ${sel(R.versionPredictionRate, scope)} * 3600 >= ${t.canaryMinPredictions}`;
  const errors = `label_replace(${sel(R.versionErrorRatio, scope)} > on (job, model) group_left () ${num(t.canaryErrorFactor)} * ${sel(R.stableErrorRatio, scope)} and ${sel(R.versionErrorRatio, scope)} > ${num(t.canaryMinErrorRatio)} ${gate}, "signal", "error_ratio", "", "")`;
  const latency = `label_replace(${sel(R.versionLatencyP95, scope)} > on (job, model) group_left () ${num(t.canaryLatencyFactor)} * ${sel(R.stableLatencyP95, scope)} ${gate}, "signal", "latency_p95", "", "")`;
  const canary = m.versions[1] ?? 'v2';
  const labels = { job: TEST_JOB.job, model: m.name, version: canary, signal: 'error_ratio' };
  // Stable: 600 a minute at 1 % errors. Canary: 100 a minute (600 an hour).
  const past = Math.max(t.canaryErrorFactor * 0.01, t.canaryMinErrorRatio) * 1.5;
  const scenarios: Scenario[] = [
    { name: `fires when the canary's errors pass ${num(t.canaryErrorFactor)}x the stable version's`, intervalSeconds: 60, evalSeconds: STEPS * 60, series: traffic(m, 100, 6, 100 * past), expect: [{ severity: 'warning', labels, value: past }] },
    { name: 'silent when the canary errs like the stable version', intervalSeconds: 60, evalSeconds: STEPS * 60, series: traffic(m, 100, 6, 1), expect: [] },
    { name: 'silent while the canary has served too few predictions', intervalSeconds: 60, evalSeconds: STEPS * 60, series: traffic(m, (t.canaryMinPredictions / 60) * 0.9, 6, (t.canaryMinPredictions / 60) * 0.9 * 0.5), expect: [] },
  ];
  return {
    name: 'ModelwatchCanaryRegression', domain: 'serving', category: 'serving', model: m.name, dashboard: DASHBOARDS.model.uid,
    summary: 'A new version of a model does worse than the stable version: hold the rollout.',
    rules: [{
      severity: 'warning', forSeconds: 600,
      expr: `${errors} or ${latency}`,
      description: `Version {{ $labels.version }} of {{ $labels.model }}${since(m.name)} does worse than the stable version (the one serving most predictions) over the last hour on {{ $labels.signal }}: {{ $value | printf "%.4g" }} (error ratio above ${num(t.canaryErrorFactor)}x the stable version's and ${num(t.canaryMinErrorRatio * 100)}%, or p95 latency in seconds above ${num(t.canaryLatencyFactor)}x), after at least ${t.canaryMinPredictions} predictions.`,
    }],
    scenarios,
  };
}

const HOUR = 3600;

/**
 * The hour after a version change worse than the hour before: the model's error ratio over the
 * last hour above the factor times the same ratio an hour earlier, while its newest version
 * started serving less than two hours ago, at least an hour after the oldest (at one hour after
 * the change the two windows are exactly the hour after and the hour before).
 */
export function postDeployAlert(m: ModelSpec): AlertFamily | null {
  if (!m.logStore) return null;
  const t = m.thresholds;
  const scope = { model: m.name };
  const ratio = sel(R.errorRatio(HOUR), scope);
  const newest = `max without (instance, version) (${sel(M.versionFirstSeen.name, scope)})`;
  const oldest = `min without (instance, version) (${sel(M.versionFirstSeen.name, scope)})`;
  // An hour before without errors has no ratio: it counts as 0. A change is a version that started
  // serving at least an hour after the oldest one (a fresh install sees every version start at once).
  const expr = `${ratio} > ${num(t.canaryErrorFactor)} * (${ratio} offset 1h or ${ratio} * 0) and ${ratio} > ${num(t.canaryMinErrorRatio)}`
    + ` and on (job, model) ${sel(R.predictionRate(HOUR), scope)} * 3600 >= ${t.canaryMinPredictions}`
    + ` and on (job, model) (time() - ${newest} < ${2 * HOUR}) and on (job, model) (${newest} - ${oldest} >= ${HOUR})`;
  const [before, after] = [m.versions[0] ?? 'v1', m.versions[1] ?? 'v2'];
  const labels = { job: TEST_JOB.job, model: m.name };
  // Two hours of the old version at 1 % errors, then the new one (first seen at 120m) at `errors` per 600.
  const deploy = (errors: number): InputSeries[] => [
    counter(M.predictions.name, { model: m.name, version: before, segment: 'default' }, [[600, 121], [0, 60]]),
    counter(M.predictionErrors.name, { model: m.name, version: before, reason: 'server_error' }, [[6, 121], [0, 60]]),
    counter(M.predictions.name, { model: m.name, version: after, segment: 'default' }, [[0, 121], [600, 60]]),
    counter(M.predictionErrors.name, { model: m.name, version: after, reason: 'server_error' }, [[0, 121], [errors, 60]]),
    gauge(M.versionFirstSeen.name, { model: m.name, version: before }, 0, 180),
    exported(M.versionFirstSeen.name, { model: m.name, version: after }, `_x120 ${7200}x60`),
  ];
  const bad = Math.ceil(600 * Math.max(t.canaryErrorFactor * 0.01, t.canaryMinErrorRatio) * 1.5);
  return {
    name: 'ModelwatchPostDeployRegression', domain: 'serving', category: 'serving', model: m.name, dashboard: DASHBOARDS.model.uid,
    summary: 'A model fails more often since its last version change: consider rolling back.',
    rules: [{
      severity: 'warning', forSeconds: 600,
      expr,
      description: `The error ratio of {{ $labels.model }} over the last hour is {{ $value | humanizePercentage }}, more than ${num(t.canaryErrorFactor)}x the hour before{{ with query \`topk(1, ${sel(M.versionFirstSeen.name, scope)})\` }}{{ with first . }}, since version {{ .Labels.version }} started serving at {{ .Value | humanizeTimestamp }}{{ end }}{{ end }}.`,
    }],
    scenarios: [
      { name: 'fires when the new version fails far more than the old one did', intervalSeconds: 60, evalSeconds: 180 * 60, series: deploy(bad), expect: [{ severity: 'warning', labels, value: bad / 600 }] },
      { name: 'silent when the new version fails like the old one', intervalSeconds: 60, evalSeconds: 180 * 60, series: deploy(6), expect: [] },
    ],
  };
}
