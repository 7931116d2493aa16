// Shared panel defaults: every panel gets the datasource variable, a unit and a description.
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import { DatasourceVariableBuilder, QueryVariableBuilder, ThresholdsConfigBuilder, ThresholdsMode, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { BigValueColorMode, GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from '@grafana/grafana-foundation-sdk/common';
import { sel, type Matchers } from '../promql.js';

export const DS = { type: 'prometheus', uid: '${datasource}' };
export const RATE = '$__rate_interval';

/** Selector scoped by the dashboard variables: always the job, and the model when the panel is per model. */
export const scoped = (metric: string, extra: Matchers = {}, perModel = true): string =>
  sel(metric, { job: { re: '$job' }, ...(perModel ? { model: { re: '$model' } } : {}), ...extra });

export const query = (expr: string, legend: string) => new DataqueryBuilder().datasource(DS).expr(expr).legendFormat(legend).range();

export const timeseries = (title: string, description: string, unit: string, targets: [string, string][], span = 12) => {
  const p = new TimeseriesBuilder().title(title).description(description).unit(unit).datasource(DS).span(span).height(8).fillOpacity(10);
  for (const [expr, legend] of targets) p.withTarget(query(expr, legend));
  return p;
};

export const stat = (title: string, description: string, unit: string, expr: string, legend: string, span = 6) =>
  new StatBuilder().title(title).description(description).unit(unit).datasource(DS).span(span).height(4).withTarget(query(expr, legend));

export const table = (title: string, description: string, unit: string, expr: string, legend: string, span = 12) =>
  new TableBuilder().title(title).description(description).unit(unit).datasource(DS).span(span).height(8)
    .withTarget(new DataqueryBuilder().datasource(DS).expr(expr).legendFormat(legend).instant().format(PromQueryFormat.Table));

export const datasourceVariable = () => new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');

export const queryVariable = (name: string, label: string, q: string, multi = true) =>
  new QueryVariableBuilder(name).label(label).query(q).datasource(DS).refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc).multi(multi).includeAll(true).allValue('.+');

export interface Levels { readonly warning: number | null; readonly critical: number | null }

const steps = (base: string, levels: readonly [number | null, string][]) =>
  new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([{ value: null, color: base }, ...levels.filter((l): l is [number, string] => l[0] !== null).map(([value, color]) => ({ value, color }))]);

/** A time series with the alert levels drawn as dashed lines (amber warning, red critical). */
export const withLevels = (p: ReturnType<typeof timeseries>, l: Levels) =>
  p.thresholds(steps('transparent', [[l.warning, 'orange'], [l.critical, 'red']]))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));

/** A stat coloured by its value: `good` at or above `ok` (for example an endpoint at 1 is green, at 0 red). */
export const coloured = (p: ReturnType<typeof stat>, base: string, levels: readonly [number, string][]) =>
  p.thresholds(steps(base, levels)).colorMode(BigValueColorMode.Background);
