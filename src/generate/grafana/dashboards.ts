// One dashboard per audience. Every expression names metrics through the catalog (M) or
// the recording rules (R); every panel has a unit and a description.
import { DashboardBuilder, AnnotationQueryBuilder, DashboardLinkBuilder, DashboardLinkType, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { M } from '../../catalog/metrics.js';
import { OUTPUT_FEATURES } from '../../catalog/labels.js';
import { DASHBOARDS, type DashboardKey } from '../dashboards.js';
import { header } from '../artifact.js';
import { R } from '../prometheus/index.js';
import type { Model } from '../../config/index.js';
import { qualityRows } from './quality-rows.js';
import { engineRow } from './engine-row.js';
import { DS, RATE, coloured, datasourceVariable, queryVariable, scoped, stat, table, timeseries, withLevels } from './panels.js';

const rate = (metric: string, extra = {}, perModel = true) => `rate(${scoped(metric, extra, perModel)}[${RATE}])`;
const quantile = (q: number, extra = {}) => `histogram_quantile(${q}, sum by (model, le) (${rate(`${M.predictionDuration.name}_bucket`, extra)}))`;

export function base(key: DashboardKey, configPath: string, description: string) {
  const d = DASHBOARDS[key];
  return new DashboardBuilder(d.title).uid(d.uid).tags(['modelwatch', 'generated']).editable().readonly()
    .description(`${description} ${header(configPath)}`)
    .refresh('30s').time({ from: 'now-6h', to: 'now' }).timezone('browser')
    // The other modelwatch dashboards, keeping the time range and the job/model selection.
    .link(new DashboardLinkBuilder('ModelWatch').type(DashboardLinkType.Dashboards).tags(['modelwatch']).asDropdown(true).includeVars(true).keepTime(true))
    .withVariable(datasourceVariable())
    .withVariable(queryVariable('job', 'Job', `label_values(${M.modelInfo.name}, job)`))
    .withVariable(queryVariable('model', 'Model', `label_values(${M.modelInfo.name}{job=~"$job"}, model)`))
    // Every dashboard marks the moments a model started serving a new version.
    .annotation(new AnnotationQueryBuilder().name('Version changes').datasource(DS).enable(true).iconColor('purple')
      .expr(`count by (model, version) (${scoped(M.modelInfo.name)}) unless count by (model, version) (${scoped(M.modelInfo.name)} offset 5m)`)
      .titleFormat('{{model}} now serves {{version}}'));
}

export function overview(model: Model) {
  const t = model.defaultThresholds;
  const b = base('overview', model.configPath, 'SRE view of every model: availability, errors, latency, traffic and firing alerts.')
    .withRow(new RowBuilder('Golden signals'))
    .withPanel(coloured(stat('Availability (5m)', 'Share of predictions that succeeded over the last 5 minutes.', 'percentunit', `1 - ${scoped(R.errorRatio(300))}`, '{{model}}'), 'red', [[1 - (t.errorRatio.critical ?? 0.05), 'orange'], [1 - (t.errorRatio.warning ?? 0.02), 'green']]))
    .withPanel(coloured(stat('Endpoints ready', 'Readiness of each model endpoint on its last probe (1 = ready, red = not ready).', 'short', scoped(M.endpointUp.name), '{{model}}'), 'red', [[1, 'green']]))
    .withPanel(stat('Sources up', 'Sources modelwatch polled successfully on their last poll, out of all sources.', 'short', `sum(${scoped(M.sourceUp.name, {}, false)})`, 'up'))
    // 0, not "No data", when nothing fires (the Watchdog, which always does, is not counted).
    .withPanel(coloured(stat('Firing alerts', 'modelwatch alerts firing now, by tier (the heartbeat Watchdog excluded).', 'short', 'count by (tier) (ALERTS{alertname=~"Modelwatch.*",alertname!="ModelwatchWatchdog",alertstate="firing"}) or on() label_replace(vector(0), "tier", "none", "", "")', '{{tier}}'), 'green', [[1, 'red']]))
    .withPanel(withLevels(timeseries('Error ratio', 'Failed predictions / predictions over 5m, per model. Dashed lines: the default warning and critical levels (a model may override them in the config).', 'percentunit', [[scoped(R.errorRatio(300)), '{{model}}']]), t.errorRatio))
    .withPanel(timeseries('Errors by failure type', 'Failed predictions per second by failure type (timeout, rate_limited, server_error, refusal, ...).', 'reqps', [[`sum by (model, reason) (${rate(M.predictionErrors.name)})`, '{{model}} {{reason}}']]))
    .withPanel(timeseries('Latency p50 / p95 / p99', 'Prediction latency quantiles from the logged latency histogram.', 's', [[quantile(0.5), '{{model}} p50'], [quantile(0.95), '{{model}} p95'], [quantile(0.99), '{{model}} p99']]))
    .withPanel(timeseries('Traffic', 'Predictions per second, with the same time last week for comparison.', 'reqps', [[`sum by (model) (${rate(M.predictions.name)})`, '{{model}}'], [scoped(R.predictionRateLastWeek), '{{model}} last week']]))
    .withPanel(timeseries('Poll duration by source', 'How long each background poll took (sources are never polled at scrape time).', 's', [[scoped(M.sourcePollDuration.name, {}, false), '{{source}}']]))
    .withPanel(timeseries('Probe latency p95', 'p95 of endpoint readiness probes.', 's', [[`histogram_quantile(0.95, sum by (model, le) (${rate(`${M.endpointProbeDuration.name}_bucket`)}))`, '{{model}}']]));
  return engineRow(b, model).build();
}

export function modelDetail(model: Model) {
  const version = { version: { re: '$version' } };
  const b = base('model', model.configPath, 'One model in depth: quality against labels, confidence, golden sets, and every signal split by version.')
    .withVariable(queryVariable('version', 'Version', `label_values(${M.predictions.name}{job=~"$job",model=~"$model"}, version)`))
    .withRow(new RowBuilder('Release comparison'))
    .withPanel(timeseries('Error ratio by version', 'Failed / all predictions per version: compare canary and stable.', 'percentunit', [[`sum by (version) (${rate(M.predictionErrors.name, version)}) / sum by (version) (${rate(M.predictions.name, version)})`, '{{version}}']], 8))
    .withPanel(timeseries('p95 latency by version', 'p95 prediction latency per version.', 's', [[`histogram_quantile(0.95, sum by (version, le) (${rate(`${M.predictionDuration.name}_bucket`, version)}))`, '{{version}}']], 8))
    .withPanel(timeseries('Cost per prediction by version', 'US dollars per prediction, per version.', 'currencyUSD', [[`sum by (version) (${rate(M.predictionCost.name, version)}) / sum by (version) (${rate(M.predictions.name, version)})`, '{{version}}']], 8))
    .withRow(new RowBuilder('Segments'))
    .withPanel(timeseries('Traffic by segment', 'Predictions per second per segment (the configured segments; others as "other").', 'reqps', [[`sum by (segment) (${rate(M.predictions.name, version)})`, '{{segment}}']], 8))
    .withPanel(timeseries('Error ratio by segment', 'Failed / all predictions per segment: one segment failing alone raises ModelwatchSegmentDisparity.', 'percentunit', [[`sum by (segment) (${rate(M.predictionErrors.name, version)}) / sum by (segment) (${rate(M.predictions.name, version)})`, '{{segment}}']], 8))
    .withPanel(timeseries('p95 latency by segment', 'p95 prediction latency per segment.', 's', [[`histogram_quantile(0.95, sum by (segment, le) (${rate(`${M.predictionDuration.name}_bucket`, version)}))`, '{{segment}}']], 8));
  // Fairness gaps, when a model declares protected segments (nothing to show otherwise).
  if (model.models.some((m) => m.protectedSegments.length)) {
    b.withPanel(timeseries('Disparate impact ratio (protected segments)', 'Share of positive predictions of each segment over a day / the other segments\' share. The four-fifths rule asks for 0.8 to 1.25; ModelwatchDisparateImpact fires outside (disparate_impact_ratio).', 'none', [[scoped(R.disparateImpact), '{{model}} {{segment}}']], 12))
      .withPanel(timeseries('Statistical parity difference', 'Share of positive predictions of each segment over a day minus the other segments\' share (0: parity).', 'percentunit', [[scoped(R.parityDifference), '{{model}} {{segment}}']], 12));
  }
  b.withRow(new RowBuilder('Quality against delayed labels'))
    .withPanel(timeseries('Accuracy, precision, recall, F1', 'Over the quality window, labelled predictions only.', 'percentunit', [
      [scoped(M.accuracy.name, version), '{{version}} accuracy'], [scoped(M.precision.name, version), '{{version}} precision'],
      [scoped(M.recall.name, version), '{{version}} recall'], [scoped(M.f1.name, version), '{{version}} F1']]))
    .withPanel(timeseries('Label coverage', 'Share of predictions that received their ground-truth label.', 'percentunit', [[`sum by (model) (${rate(M.labelsJoined.name)}) / sum by (model) (${rate(M.predictions.name)})`, '{{model}}']]))
    .withPanel(timeseries('Label delay p90', 'Time from prediction to label arrival, p90.', 's', [[`histogram_quantile(0.9, sum by (model, le) (${rate(`${M.labelDelay.name}_bucket`)}))`, '{{model}}']]))
    .withPanel(timeseries('Predictions waiting for labels', 'Pending joins held in memory (bounded by the label source max_pending).', 'short', [[scoped(M.labelsPending.name), '{{model}}']]));
  return engineRow(qualityRows(b, model), model)
    .withRow(new RowBuilder('Confidence and golden set'))
    .withPanel(timeseries('Low-confidence ratio', 'Share of predictions below the model confidence floor over 1h.', 'percentunit', [[scoped(R.lowConfidenceRatio), '{{model}}']], 8))
    .withPanel(timeseries('Median confidence', 'Median prediction confidence from the confidence histogram.', 'percentunit', [[`histogram_quantile(0.5, sum by (model, le) (${rate(`${M.confidence.name}_bucket`)}))`, '{{model}}']], 8))
    .withPanel(timeseries('Golden-set pass ratio', 'Share of golden cases passed in the last run, per version.', 'percentunit', [[scoped(M.goldenPassRatio.name, version), '{{version}}']], 8))
    .build();
}

export function dataQualityDrift(model: Model) {
  const t = model.defaultThresholds;
  const inputs = { feature: { not: OUTPUT_FEATURES.join('|') } };
  return base('drift', model.configPath, 'Per-feature drift against the baseline and data quality of incoming prediction records.')
    .withRow(new RowBuilder('Drift'))
    .withPanel(withLevels(timeseries('PSI by feature', 'Population stability index against the baseline (10 reference-quantile bins, epsilon 1e-4), with its noise floor: alerts need both the level (dashed lines, defaults) and the floor.', 'none', [[scoped(M.driftPsi.name), '{{model}} {{feature}}'], [scoped(M.driftNoiseFloor.name, { statistic: 'psi' }), '{{model}} {{feature}} noise floor']]), t.featurePsi))
    .withPanel(withLevels(timeseries('KS statistic D and its upper bound', 'Binned two-sample KS statistic (a lower bound of the exact D) and its guaranteed upper bound; dashed lines: the default levels.', 'none', [[scoped(M.driftKs.name, inputs), '{{feature}} D'], [scoped(M.driftKsUpper.name, inputs), '{{feature}} upper bound']]), t.featureKs))
    .withPanel(timeseries('Jensen-Shannon distance', 'For categorical features; base 2, between 0 and 1.', 'none', [[scoped(M.driftJs.name), '{{model}} {{feature}}']], 8))
    .withPanel(table('Drift window', 'Values in the current window and in the baseline per feature: small windows make drift statistics noisy.', 'short', scoped(M.driftWindowSamples.name), '{{feature}}', 8))
    .withPanel(table('Chi-square p-value', 'Secondary to effect sizes at large sample sizes.', 'none', scoped(M.driftChiSquarePValue.name), '{{feature}}', 8))
    .withRow(new RowBuilder('Data quality'))
    .withPanel(timeseries('Null ratio by feature', 'Null or missing values / values checked over 1h.', 'percentunit', [[scoped(R.nullRatio), '{{model}} {{feature}}']], 8))
    .withPanel(timeseries('Out-of-range and sentinel ratio', 'Values outside the configured range or equal to a sentinel (-999) / values checked over 1h.', 'percentunit', [[scoped(R.outOfRangeRatio), '{{model}} {{feature}}']], 8))
    .withPanel(timeseries('Schema violations', 'Records with type errors or unknown categories / records over 1h.', 'percentunit', [[scoped(R.schemaViolationRatio), '{{model}}']], 8))
    .withPanel(timeseries('Feed age', 'Seconds since the newest prediction record, per store.', 's', [[`time() - ${scoped(M.lastRecord.name)}`, '{{model}} {{store}}']], 12))
    .withPanel(timeseries('Rejected records', 'Records that could not be read, by reason.', 'short', [[`sum by (store, reason) (${rate(M.recordsRejected.name, {}, false)})`, '{{store}} {{reason}}']], 12))
    .build();
}

export function businessCost(configPath: string) {
  const billed = (period: string) => scoped(M.billingCost.name, { period }, false);
  return base('cost', configPath, 'Spend from billing APIs (delayed, day buckets) next to cost and satisfaction from prediction logs.')
    .withRow(new RowBuilder('Spend'))
    .withPanel(stat('Spend today', 'Billed spend so far today, per billing source (providers report with a delay).', 'currencyUSD', `sum by (source) (${billed('today')})`, '{{source}}'))
    .withPanel(stat('Month to date', 'Billed spend this month, per billing source.', 'currencyUSD', `sum by (source) (${billed('month_to_date')})`, '{{source}}'))
    .withPanel(stat('Monthly budget', 'Configured monthly budget per billing source.', 'currencyUSD', scoped(M.billingBudget.name, {}, false), '{{source}}'))
    .withPanel(stat('Month-end forecast', 'Linear forecast of month-end spend from the last 2 days of month-to-date spend.', 'currencyUSD', `sum by (source) (predict_linear(${billed('month_to_date')}[2d], scalar((days_in_month() - day_of_month() + 1) * 86400 - hour() * 3600 - minute() * 60)))`, '{{source}}'))
    .withPanel(timeseries('Spend by model (month to date)', 'Billed spend per model as reported by the provider.', 'currencyUSD', [[`sum by (model) (${billed('month_to_date')})`, '{{model}}']], 8))
    .withPanel(timeseries('Spend by project (month to date)', 'Billed spend per project or workspace.', 'currencyUSD', [[`sum by (project) (${billed('month_to_date')})`, '{{project}}']], 8))
    .withPanel(timeseries('Spend by line item (month to date)', 'Billed spend per line item.', 'currencyUSD', [[`sum by (line_item) (${billed('month_to_date')})`, '{{line_item}}']], 8))
    .withRow(new RowBuilder('Unit economics'))
    .withPanel(timeseries('Cost per prediction', 'US dollars per prediction and per successful prediction over 1h, from logged cost or tokens x price table.', 'currencyUSD', [[scoped(R.costPerPrediction), '{{model}} per prediction'], [scoped(R.costPerSuccess), '{{model}} per success']], 8))
    .withPanel(timeseries('Estimated spend rate', 'US dollars per hour from prediction logs (real time, unlike billing).', 'suffix: USD/h', [[`sum by (model) (${rate(M.predictionCost.name)}) * 3600`, '{{model}}']], 8))
    .withPanel(timeseries('Tokens per second', 'Prompt and completion tokens logged with predictions.', 'short', [[`sum by (model) (${rate(M.inputTokens.name)})`, '{{model}} input'], [`sum by (model) (${rate(M.outputTokens.name)})`, '{{model}} output']], 8))
    .withPanel(timeseries('Estimated vs billed (yesterday)', 'Relative gap between spend estimated from logs (tokens x price table) and billed spend, per provider model. Large gaps mean an old price table or unlogged traffic. Empty until the logs cover the whole of yesterday.', 'percentunit', [[scoped(R.estimateGap, { period: 'yesterday' }, false), '{{model}}']], 12))
    .withPanel(timeseries('Satisfaction', 'Thumbs-up share of user feedback over 1d, with the same day last week.', 'percentunit', [[scoped(R.satisfaction), '{{model}}'], [scoped(R.satisfactionLastWeek), '{{model}} last week']]))
    .build();
}
