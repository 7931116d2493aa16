// Label names, severities and rule-group names shared by the exporter and the generator.
export const LABEL = {
  model: 'model',
  version: 'version',
  task: 'task',
  reason: 'reason',
  source: 'source',
  kind: 'kind',
  feature: 'feature',
  store: 'store',
  outcome: 'outcome',
  provider: 'provider',
  project: 'project',
  lineItem: 'line_item',
  tokenType: 'token_type',
  period: 'period',
  segment: 'segment',
  statistic: 'statistic',
  severity: 'severity',
  predicted: 'predicted',
  actual: 'actual',
  class: 'class',
} as const;

export type LabelName = (typeof LABEL)[keyof typeof LABEL] | 'metric' | 'nodejs_version';

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Feature-label values reserved for drift of the model's own outputs. */
export const OUTPUT_FEATURES = ['prediction', 'score'] as const;

/** Label value that absorbs values outside a configured set (cardinality guard). */
export const OVERFLOW_VALUE = 'other';

export const ALERT_PREFIX = 'Modelwatch';
