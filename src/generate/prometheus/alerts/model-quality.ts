// Model quality alerts, by task: classifiers on accuracy, precision, recall, F1, one class's
// recall, calibration and the label-free accuracy estimate; regression models on MAE, RMSE and
// MAE against the baseline's. Each is silent until its window holds accuracy_min_labels.
import type { Levels, Model, ModelSpec } from '../../../config/index.js';
import { M } from '../../../catalog/metrics.js';
import type { AlertName } from '../../../catalog/alerts.js';
import { DASHBOARDS } from '../../dashboards.js';
import { sel } from '../../promql.js';
import { gauge } from '../series.js';
import type { AlertFamily } from '../types.js';
import { thresholdFamily, type Unit } from './threshold.js';
import { version, withJob } from './signals.js';

interface WindowSignal {
  readonly name: AlertName;
  readonly summary: string;
  readonly metric: string;
  readonly levels: Levels;
  readonly below: boolean;
  readonly unit: Unit;
  readonly what: string;
  /** Labels of the signal beyond model and version (a class). */
  readonly extra?: Readonly<Record<string, string>>;
  /** The sample-count gauge that must reach accuracy_min_labels. */
  readonly count?: string;
  readonly max?: number;
}

function windowAlert(m: ModelSpec, s: WindowSignal): AlertFamily | null {
  const n = m.thresholds.accuracyMinLabels;
  const count = s.count ?? M.qualityWindowLabels.name;
  const extra = s.extra ?? {};
  const labels = { model: m.name, version: version(m), ...extra };
  const countLabels = { model: m.name, version: version(m) };
  const match = Object.keys(extra).length ? ` and ignoring(${Object.keys(extra).join(', ')})` : ' and';
  return thresholdFamily({
    name: s.name, domain: 'labels', category: 'accuracy', model: m.name, dashboard: DASHBOARDS.model.uid, summary: s.summary,
    levels: s.levels, below: s.below, unit: s.unit, forSeconds: 1800,
    what: `${s.what} of {{ $labels.model }} {{ $labels.version }} (at least ${n} ${count === M.qualityWindowLabels.name ? 'labelled predictions' : 'predictions'})`,
    expr: (lvl) => `${sel(s.metric, { model: m.name, ...extra })} ${lvl}${match} ${sel(count, { model: m.name })} >= ${n}`,
    scenario: {
      intervalSeconds: 300, evalSeconds: 3600, labels: withJob(labels), ...(s.max !== undefined ? { max: s.max } : {}),
      series: (v) => [gauge(s.metric, labels, v, 15), gauge(count, countLabels, n * 2, 15)],
      // A window too small to trust stays silent, however bad its value.
      noTraffic: [gauge(s.metric, labels, s.below ? 0 : 1e6, 15), gauge(count, countLabels, n - 1, 15)],
    },
  });
}

function classificationAlerts(model: Model, m: ModelSpec): (AlertFamily | null)[] {
  const t = m.thresholds;
  const out: (AlertFamily | null)[] = [];
  const of = m.positiveClass !== null ? `of class ${m.positiveClass}` : '(macro average over classes)';
  if (m.labelSource) {
    out.push(
      windowAlert(m, { name: 'ModelwatchLowAccuracy', summary: 'A model is right less often than it should be, measured against delayed labels.', metric: M.accuracy.name, levels: t.accuracy, below: true, unit: 'percent', what: 'The accuracy', max: 1 }),
      windowAlert(m, { name: 'ModelwatchLowPrecision', summary: 'More of a model\'s positive calls are wrong than they should be.', metric: M.precision.name, levels: t.precision, below: true, unit: 'percent', what: `The precision ${of}`, max: 1 }),
      windowAlert(m, { name: 'ModelwatchLowRecall', summary: 'A model misses more of the cases it should catch.', metric: M.recall.name, levels: t.recall, below: true, unit: 'percent', what: `The recall ${of}`, max: 1 }),
      windowAlert(m, { name: 'ModelwatchLowF1', summary: 'A model\'s balance of precision and recall dropped.', metric: M.f1.name, levels: t.f1, below: true, unit: 'percent', what: `The F1 score ${of}`, max: 1 }),
      windowAlert(m, { name: 'ModelwatchHighCalibrationError', summary: 'A model\'s confidence no longer says how often it is right: thresholds on its scores and estimated accuracy are off.', metric: M.calibrationError.name, levels: t.calibrationError, below: false, unit: 'percent', what: 'The expected calibration error' }),
    );
    if (m.recallClass !== null) {
      out.push(windowAlert(m, { name: 'ModelwatchLowClassRecall', summary: `A model misses more cases of class ${m.recallClass} than it should.`, metric: M.classRecall.name, levels: t.classRecall, below: true, unit: 'percent', what: `The recall of class ${m.recallClass}`, extra: { class: m.recallClass }, max: 1 }));
    }
  }
  const store = model.logStores.find((s) => s.name === m.logStore);
  if (store?.fields?.confidence) {
    out.push(windowAlert(m, { name: 'ModelwatchLowEstimatedAccuracy', summary: 'Accuracy estimated from confidence (before labels arrive) is below its level.', metric: M.estimatedAccuracy.name, levels: t.accuracy, below: true, unit: 'percent', what: 'The estimated accuracy', count: M.estimationWindowPredictions.name, max: 1 }));
  }
  return out;
}

function regressionAlerts(m: ModelSpec): (AlertFamily | null)[] {
  if (!m.labelSource) return [];
  const t = m.thresholds;
  const out: (AlertFamily | null)[] = [
    windowAlert(m, { name: 'ModelwatchHighMeanAbsoluteError', summary: 'A regression model\'s predictions are further from the truth than they should be.', metric: M.mae.name, levels: t.mae, below: false, unit: 'number', what: 'The mean absolute error' }),
    windowAlert(m, { name: 'ModelwatchHighRootMeanSquaredError', summary: 'A regression model makes more large errors than it should.', metric: M.rmse.name, levels: t.rmse, below: false, unit: 'number', what: 'The root mean squared error' }),
  ];
  if (m.baseline) out.push(baselineFactorAlert(m));
  return out;
}

/** MAE relative to the MAE on the labelled baseline reference (silent without one). */
function baselineFactorAlert(m: ModelSpec): AlertFamily | null {
  const n = m.thresholds.accuracyMinLabels;
  const labels = { model: m.name, version: version(m) };
  const ratio = `${sel(M.mae.name, { model: m.name })} / ignoring(version, statistic) group_left() ${sel(M.baselineQuality.name, { model: m.name, statistic: 'mae' })}`;
  return thresholdFamily({
    name: 'ModelwatchErrorAboveBaseline', domain: 'labels', category: 'accuracy', model: m.name, dashboard: DASHBOARDS.model.uid,
    summary: 'A regression model\'s error grew against the error it had on its reference data.',
    levels: m.thresholds.errorBaselineFactor, unit: 'number', forSeconds: 1800,
    what: `The mean absolute error of {{ $labels.model }} {{ $labels.version }} as a multiple of its baseline's (at least ${n} labelled predictions)`,
    expr: (lvl) => `${ratio} ${lvl} and ${sel(M.qualityWindowLabels.name, { model: m.name })} >= ${n}`,
    scenario: {
      intervalSeconds: 300, evalSeconds: 3600, labels: withJob(labels),
      series: (v) => [gauge(M.mae.name, labels, v * 1000, 15), gauge(M.baselineQuality.name, { model: m.name, statistic: 'mae' }, 1000, 15), gauge(M.qualityWindowLabels.name, labels, n * 2, 15)],
      noTraffic: [gauge(M.mae.name, labels, 1e6, 15), gauge(M.baselineQuality.name, { model: m.name, statistic: 'mae' }, 1000, 15), gauge(M.qualityWindowLabels.name, labels, n - 1, 15)],
    },
  });
}

export function modelQualityAlerts(model: Model, m: ModelSpec): AlertFamily[] {
  const out = m.task === 'classification' ? classificationAlerts(model, m) : m.task === 'regression' ? regressionAlerts(m) : [];
  return out.filter((f): f is AlertFamily => f !== null);
}
