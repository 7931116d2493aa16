// What an on-call engineer asks first, answered inside the alert text with Prometheus' template
// `query`: what is normal for this model (the week before the last hour, so the incident being
// judged is left out) and what contributes most now. Queries are per model (the rules are), and
// each prints "unknown" or nothing when there is no data rather than failing the template.
import { M } from '../../../catalog/metrics.js';
import { dur, num, sel } from '../../promql.js';

/** Go template raw strings are backquoted: PromQL's double quotes need no escaping inside. */
const raw = (promql: string) => `\`${promql}\``;

/** "normally 0.4% (the week before the last hour)". */
export function normally(promql: string, format: string): string {
  return `Normally {{ with query ${raw(promql)} }}{{ if . }}{{ . | first | value | ${format} }}{{ else }}unknown (no data a week back){{ end }}{{ end }} over the week before the last hour.`;
}

/** "Mostly server_error (4.1/s), timeout (0.2/s)." from the top 3 series of `by` over 5m. */
export function mostly(metric: string, model: string, by: string, what: string): string {
  const top = `sort_desc(topk(3, sum by (${by}) (rate(${sel(metric, { model })}[5m])) > 0))`;
  return `{{ with query ${raw(top)} }}{{ if . }}${what}: {{ range $i, $s := . }}{{ if $i }}, {{ end }}{{ $s.Labels.${by} }} ({{ $s.Value | printf "%.3g" }}/s){{ end }}.{{ end }}{{ end }}`;
}

/** " Latest version v4, serving since <time>." from the versions' oldest logged records; nothing before one is read. */
export const latestVersion = (model: string) =>
  `{{ with query ${raw(`topk(1, ${sel(M.versionFirstSeen.name, { model })})`)} }}{{ with first . }} Latest version {{ .Labels.version }}, serving since {{ .Value | humanizeTimestamp }}.{{ end }}{{ end }}`;

export const errorContext = (model: string) => [
  normally(`sum(rate(${sel(M.predictionErrors.name, { model })}[1w] offset 1h)) / sum(rate(${sel(M.predictions.name, { model })}[1w] offset 1h))`, 'humanizePercentage'),
  mostly(M.predictionErrors.name, model, 'reason', 'Failing now by reason'),
  mostly(M.predictionErrors.name, model, 'version', 'By version'),
].join(' ') + latestVersion(model);

export const latencyContext = (model: string) => [
  normally(`histogram_quantile(0.95, sum by (le) (rate(${sel(`${M.predictionDuration.name}_bucket`, { model })}[1w] offset 1h)))`, 'humanizeDuration'),
  mostly(M.predictions.name, model, 'version', 'Traffic by version'),
].join(' ') + latestVersion(model);

/** "12% of the 30d error budget is left." or "The 30d error budget is spent.", from the errors over the SLO window. */
export function budgetLeft(model: string, allowed: number, windowSeconds: number): string {
  const w = dur(windowSeconds);
  const spent = `(sum(rate(${sel(M.predictionErrors.name, { model })}[${w}])) / sum(rate(${sel(M.predictions.name, { model })}[${w}]))) / ${num(allowed)}`;
  return `{{ with query ${raw(`1 - ${spent}`)} }}{{ if . }}{{ $left := . | first | value }}{{ if lt $left 0.0 }}The ${w} error budget is spent.{{ else }}{{ $left | humanizePercentage }} of the ${w} error budget is left.{{ end }}{{ end }}{{ end }}`;
}
