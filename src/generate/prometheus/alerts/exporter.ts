// Alerts on modelwatch itself and on what it watches being reachable: causes, not symptoms.
import type { Model, ModelSpec } from '../../../config/index.js';
import { M } from '../../../catalog/metrics.js';
import { DASHBOARDS } from '../../dashboards.js';
import { sel } from '../../promql.js';
import { counter, gauge, TEST_JOB } from '../series.js';
import type { AlertFamily, InputSeries } from '../types.js';
import { conditionFamily } from './condition.js';

export function exporterAlerts(model: Model): AlertFamily[] {
  const job = model.exporter.job;
  const up = sel('up', { job });
  const base = { domain: 'exporter' as const, category: 'exporter', model: null, dashboard: DASHBOARDS.overview.uid, severity: 'critical' as const };
  const upSeries = (v: number) => [{ series: sel('up', { ...TEST_JOB, job }), values: `${v}x15` }];
  return [
    conditionFamily({
      ...base, name: 'ModelwatchExporterDown', summary: 'Prometheus cannot scrape the modelwatch exporter, so every model signal is blind.',
      expr: `${up} == 0`, forSeconds: 300,
      description: 'Prometheus has failed to scrape {{ $labels.instance }} (job {{ $labels.job }}) for 5 minutes; drift, quality and cost alerts cannot fire meanwhile.',
      scenarios: [
        { name: 'fires when scrapes fail', intervalSeconds: 60, evalSeconds: 600, series: upSeries(0), fires: { ...TEST_JOB, job }, value: 0 },
        { name: 'silent when scrapes succeed', intervalSeconds: 60, evalSeconds: 600, series: upSeries(1), fires: null },
      ],
    }),
    conditionFamily({
      ...base, name: 'ModelwatchExporterAbsent', summary: 'The modelwatch exporter disappeared from Prometheus target discovery.',
      expr: `absent(${up})`, forSeconds: 600,
      description: 'No target of job {{ $labels.job }} has been discovered for 10 minutes: check the scrape config and that the exporter is deployed.',
      scenarios: [
        { name: 'fires when the job has no target', intervalSeconds: 60, evalSeconds: 900, series: [], fires: { job }, value: 1 },
        { name: 'silent while the target exists', intervalSeconds: 60, evalSeconds: 900, series: upSeries(1), fires: null },
      ],
    }),
    conditionFamily({
      ...base, severity: 'warning', name: 'ModelwatchSourceDown', summary: 'modelwatch cannot poll one of its sources; the signals it feeds are going stale.',
      // An endpoint that cannot be probed is ModelwatchEndpointDown (a page), not a second ticket.
      expr: `${sel(M.sourceUp.name, { kind: { not: 'endpoint' } })} == 0`, forSeconds: 900,
      description: 'Polling {{ $labels.kind }} source {{ $labels.source }} has failed for 15 minutes; see modelwatch_source_errors_total for the reason.',
      scenarios: [
        { name: 'fires when polls fail', intervalSeconds: 60, evalSeconds: 1200, series: [gauge(M.sourceUp.name, { source: 'billing/openai', kind: 'billing' }, 0, 25)], fires: { ...TEST_JOB, source: 'billing/openai', kind: 'billing' }, value: 0 },
        { name: 'silent when polls succeed', intervalSeconds: 60, evalSeconds: 1200, series: [gauge(M.sourceUp.name, { source: 'billing/openai', kind: 'billing' }, 1, 25)], fires: null },
      ],
    }),
    conditionFamily({
      ...base, name: 'ModelwatchEndpointDown', category: 'endpoint', summary: 'A model endpoint is not ready to serve.',
      expr: `${M.endpointUp.name} == 0`, forSeconds: 120, dashboard: DASHBOARDS.model.uid,
      description: 'The endpoint of {{ $labels.model }} has failed its readiness probe for 2 minutes.',
      scenarios: [
        { name: 'fires when the endpoint is not ready', intervalSeconds: 60, evalSeconds: 600, series: [gauge(M.endpointUp.name, { model: 'any' }, 0, 15)], fires: { ...TEST_JOB, model: 'any' }, value: 0 },
        { name: 'silent when the endpoint is ready', intervalSeconds: 60, evalSeconds: 600, series: [gauge(M.endpointUp.name, { model: 'any' }, 1, 15)], fires: null },
        { name: 'silent when no endpoint is probed', intervalSeconds: 60, evalSeconds: 600, series: [], fires: null },
      ],
    }),
  ];
}

/** The exporter working but losing something: a reload it refused, series or records it could not keep, labels that never join. */
export function exporterHealthAlerts(model: Model): AlertFamily[] {
  const base = { domain: 'exporter' as const, category: 'exporter', model: null, dashboard: DASHBOARDS.overview.uid, severity: 'warning' as const };
  const scenario = (name: string, series: InputSeries[], fires: Record<string, string> | null, value?: number) => ({ name, intervalSeconds: 60, evalSeconds: 5400, series, fires, ...(value !== undefined ? { value } : {}) });
  const out: AlertFamily[] = [
    conditionFamily({
      ...base, name: 'ModelwatchConfigReloadFailed', forSeconds: 300,
      summary: 'modelwatch refused a new configuration and keeps running the previous one.',
      expr: `${M.configReloadSuccess.name} == 0`,
      description: 'The last configuration reload of {{ $labels.instance }} failed: the changes are not in effect. modelwatch validate -c <config> says why.',
      scenarios: [
        scenario('fires after a refused reload', [gauge(M.configReloadSuccess.name, {}, 0, 95)], { ...TEST_JOB }, 0),
        scenario('silent after a good reload', [gauge(M.configReloadSuccess.name, {}, 1, 95)], null),
      ],
    }),
    conditionFamily({
      ...base, name: 'ModelwatchSeriesDropped', forSeconds: 0,
      summary: 'modelwatch reached a series cap and is dropping new series: some signals are missing.',
      expr: `sum without (metric) (increase(${M.seriesDropped.name}[15m])) > 0`,
      description: '{{ $labels.instance }} could not create series in the last 15 minutes (series_limit or per-metric cap reached): modelwatch_series_dropped_total{metric} says which metric.',
      scenarios: [
        scenario('fires while series are dropped', [counter(M.seriesDropped.name, { metric: 'modelwatch_predictions_total' }, [[1, 95]])], { ...TEST_JOB }, 15),
        scenario('silent when nothing is dropped', [counter(M.seriesDropped.name, { metric: 'modelwatch_predictions_total' }, [[0, 95]])], null),
      ],
    }),
  ];
  if (model.logStores.length) {
    out.push(conditionFamily({
      ...base, name: 'ModelwatchRecordsRejected', forSeconds: 900,
      summary: 'A log store holds many records modelwatch cannot read: their signals are missing.',
      expr: `sum without (reason) (increase(${M.recordsRejected.name}{reason!="unmatched_label"}[1h])) > 100`,
      description: '{{ $value | humanize }} records of store {{ $labels.store }} were rejected in the last hour (malformed, oversize or naming an unknown model): modelwatch_records_rejected_total{reason} and the exporter log say which.',
      scenarios: [
        scenario('fires at 3 malformed records a minute', [counter(M.recordsRejected.name, { store: 'logs', reason: 'malformed' }, [[3, 95]])], { ...TEST_JOB, store: 'logs' }, 180),
        scenario('silent at one a minute', [counter(M.recordsRejected.name, { store: 'logs', reason: 'malformed' }, [[1, 95]])], null),
        scenario('silent for unmatched labels', [counter(M.recordsRejected.name, { store: 'logs', reason: 'unmatched_label' }, [[10, 95]])], null),
      ],
    }));
  }
  if (model.labelSources.length) {
    const expired = `sum without (version) (rate(${M.labelsExpired.name}[6h]))`;
    const joined = `sum without (version) (rate(${M.labelsJoined.name}[6h]))`;
    out.push(conditionFamily({
      ...base, name: 'ModelwatchLabelsExpiring', forSeconds: 3600, category: 'accuracy',
      summary: 'Many predictions never receive their label within the horizon: quality metrics rest on a shrinking, possibly biased sample.',
      expr: `${expired} / (${expired} + ${joined}) > 0.2`,
      description: '{{ $value | humanizePercentage }} of the predictions of {{ $labels.model }} that left the label join over 6h expired without a label (horizon or max_pending).',
      scenarios: [
        scenario('fires when half the predictions expire', [counter(M.labelsExpired.name, { model: 'm' }, [[1, 95]]), counter(M.labelsJoined.name, { model: 'm', version: 'v1' }, [[1, 95]])], { ...TEST_JOB, model: 'm' }, 0.5),
        scenario('silent when a tenth expire', [counter(M.labelsExpired.name, { model: 'm' }, [[1, 95]]), counter(M.labelsJoined.name, { model: 'm', version: 'v1' }, [[9, 95]])], null),
      ],
    }));
  }
  return out;
}

export function predictionsAbsentAlert(m: ModelSpec, all: readonly ModelSpec[]): AlertFamily | null {
  if (!m.logStore) return null;
  // Every other model has predictions in these scenarios, so only this model's rule can fire.
  const others = all.filter((o) => o.name !== m.name).map((o) => counter(M.predictions.name, { model: o.name, version: 'v', segment: 'default' }, [[1, 45]]));
  return conditionFamily({
    name: 'ModelwatchPredictionsAbsent', domain: 'exporter', category: 'freshness', model: m.name, dashboard: DASHBOARDS.overview.uid, severity: 'warning',
    summary: 'modelwatch has never read a prediction record for a configured model.',
    expr: `absent(${sel(M.predictions.name, { model: m.name })})`, forSeconds: 1800,
    description: 'No prediction of {{ $labels.model }} has been read from its log store for 30 minutes: check the log store path and field mapping.',
    scenarios: [
      { name: 'fires when no prediction was ever read', intervalSeconds: 60, evalSeconds: 2400, series: others, fires: { model: m.name }, value: 1 },
      { name: 'silent once predictions are read', intervalSeconds: 60, evalSeconds: 2400, series: [...others, counter(M.predictions.name, { model: m.name, version: 'v', segment: 'default' }, [[1, 45]])], fires: null },
    ],
  });
}
