// Alerts on modelwatch itself and on what it watches being reachable: causes, not symptoms.
import type { Model, ModelSpec } from '../../../config/index.js';
import { M } from '../../../catalog/metrics.js';
import { DASHBOARDS } from '../../dashboards.js';
import { sel } from '../../promql.js';
import { counter, gauge, TEST_JOB } from '../series.js';
import type { AlertFamily } from '../types.js';
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
      expr: `${M.sourceUp.name} == 0`, forSeconds: 900,
      description: 'Polling {{ $labels.kind }} source {{ $labels.source }} has failed for 15 minutes; see modelwatch_source_errors_total for the reason.',
      scenarios: [
        { name: 'fires when polls fail', intervalSeconds: 60, evalSeconds: 1200, series: [gauge(M.sourceUp.name, { source: 'billing/openai', kind: 'billing' }, 0, 25)], fires: { ...TEST_JOB, source: 'billing/openai', kind: 'billing' }, value: 0 },
        { name: 'silent when polls succeed', intervalSeconds: 60, evalSeconds: 1200, series: [gauge(M.sourceUp.name, { source: 'billing/openai', kind: 'billing' }, 1, 25)], fires: null },
      ],
    }),
    conditionFamily({
      ...base, name: 'ModelwatchEndpointDown', summary: 'A model endpoint is not ready to serve.',
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
