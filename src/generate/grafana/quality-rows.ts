// Model-quality rows of the model detail dashboard, by task: a row appears only when a model of
// the config can fill it (a regression row in a dashboard of classifiers would be empty forever).
import { type DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Model } from '../../config/index.js';
import { M } from '../../catalog/metrics.js';
import { RATE, scoped, table, timeseries, withLevels } from './panels.js';

const version = { version: { re: '$version' } };

export function qualityRows(b: DashboardBuilder, model: Model): DashboardBuilder {
  const labelled = model.models.filter((m) => m.labelSource);
  const classifiers = model.models.filter((m) => m.task === 'classification' && m.logStore);
  if (classifiers.length) {
    b.withRow(new RowBuilder('Classification quality'))
      .withPanel(timeseries('Estimated vs realised accuracy', 'Accuracy estimated from confidence (CBPE: available before labels arrive; assumes no concept drift) next to the accuracy measured against labels.', 'percentunit', [
        [scoped(M.estimatedAccuracy.name, version), '{{version}} estimated'], [scoped(M.accuracy.name, version), '{{version}} realised']], 8));
    if (classifiers.some((m) => m.labelSource && (m.classes.length || m.recallClass !== null))) {
      b.withPanel(timeseries('Recall per class', 'Recall of each configured class over the quality window.', 'percentunit', [[scoped(M.classRecall.name, version), '{{version}} {{class}}']], 8));
    }
    if (classifiers.some((m) => m.labelSource)) {
      b.withPanel(timeseries('Calibration error', 'Expected calibration error (10 confidence bins) of labelled predictions: how far confidence is from the observed accuracy. High values make the estimate unreliable.', 'percentunit', [[scoped(M.calibrationError.name, version), '{{version}}']], 8));
    }
    if (classifiers.some((m) => m.labelSource && m.classes.length)) {
      b.withPanel(table('Confusion matrix', 'Labelled predictions in the quality window by predicted and actual class (configured classes; others as "other").', 'short', `sum by (predicted, actual) (${scoped(M.confusion.name, version)})`, '{{predicted}} / {{actual}}'));
    }
  }
  if (labelled.some((m) => m.task === 'regression')) {
    const baseline = labelled.some((m) => m.task === 'regression' && m.baseline);
    b.withRow(new RowBuilder('Regression quality'))
      .withPanel(timeseries('MAE and RMSE', `Mean absolute and root mean squared error over the quality window, in the unit of the predictions${baseline ? ', with the MAE the model had on its labelled baseline' : ''}.`, 'none', [
        [scoped(M.mae.name, version), '{{version}} MAE'], [scoped(M.rmse.name, version), '{{version}} RMSE'],
        ...(baseline ? [[scoped(M.baselineQuality.name, { statistic: 'mae' }), 'baseline MAE'] as [string, string]] : [])], 8))
      .withPanel(timeseries('Bias (mean error)', 'Mean of prediction minus label: above 0 the model over-predicts, below 0 it under-predicts.', 'none', [[scoped(M.meanError.name, version), '{{version}}']], 8))
      .withPanel(timeseries('sMAPE', 'Symmetric mean absolute percentage error, between 0 and 2 (0 for a pair where both are 0).', 'percentunit', [[scoped(M.smape.name, version), '{{version}}']], 8));
  }
  llmRow(b, model);
  return b;
}

/** LLM answer quality by version (release comparison): a panel per evaluation field some store logs for an LLM. */
function llmRow(b: DashboardBuilder, model: Model): void {
  const fields = new Set(model.models.filter((m) => m.task === 'llm' && m.logStore)
    .flatMap((m) => Object.entries(model.logStores.find((s) => s.name === m.logStore)?.fields ?? {}).map(([k]) => k)));
  const rate = (metric: string, extra = {}) => `rate(${scoped(metric, { ...version, ...extra })}[${RATE}])`;
  const share = (metric: string, outcome: string) => `sum by (version) (${rate(metric, { outcome })}) / sum by (version) (${rate(metric)})`;
  const t = model.defaultThresholds;
  const panels = [
    fields.has('task_success') && withLevels(timeseries('Task success by version', 'Share of interactions whose logged task outcome is a success. Dashed lines: the default levels (set per model).', 'percentunit', [[share(M.taskOutcomes.name, 'success'), '{{version}}']], 6), t.taskSuccessRatio),
    fields.has('judge_verdict') && timeseries('LLM-judge pass ratio by version', 'Share of answers an LLM judge or evaluator passed.', 'percentunit', [[share(M.judgeVerdicts.name, 'pass'), '{{version}}']], 6),
    fields.has('hallucination') && withLevels(timeseries('Hallucination ratio by version', 'Share of checked answers flagged as hallucinations. Dashed lines: the default levels (set per model).', 'percentunit', [[share(M.hallucinationChecks.name, 'hallucinated'), '{{version}}']], 6), t.hallucinationRatio),
    fields.has('rating') && timeseries('Mean rating by version', 'Mean 1-5 rating of answers.', 'none', [[`sum by (version) (${rate(`${M.rating.name}_sum`)}) / sum by (version) (${rate(`${M.rating.name}_count`)})`, '{{version}}']], 6),
  ].filter((p) => p !== false);
  if (!panels.length) return;
  b.withRow(new RowBuilder('LLM answer quality'));
  for (const p of panels) b.withPanel(p);
}
