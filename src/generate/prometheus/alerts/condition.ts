// An alert with one severity and hand-picked promtool scenarios (down/absent/burn-rate style).
import type { Severity } from '../../../catalog/labels.js';
import type { AlertFamily, FamilyIdentity, InputSeries } from '../types.js';

export interface ConditionScenario {
  readonly name: string;
  readonly intervalSeconds: number;
  readonly evalSeconds: number;
  readonly series: readonly InputSeries[];
  /** Labels of the one alert expected to fire, or null when the rule must stay silent. */
  readonly fires: Readonly<Record<string, string>> | null;
  readonly value?: number;
}

export interface ConditionOptions extends FamilyIdentity {
  readonly severity: Severity;
  readonly expr: string;
  readonly forSeconds: number;
  readonly description: string;
  readonly scenarios: readonly ConditionScenario[];
}

export const conditionFamily = (o: ConditionOptions): AlertFamily => ({
  name: o.name,
  domain: o.domain,
  category: o.category,
  summary: o.summary,
  model: o.model,
  dashboard: o.dashboard,
  rules: [{ severity: o.severity, expr: o.expr, forSeconds: o.forSeconds, description: o.description }],
  scenarios: o.scenarios.map((s) => ({
    name: s.name,
    intervalSeconds: s.intervalSeconds,
    evalSeconds: s.evalSeconds,
    series: s.series,
    expect: s.fires ? [{ severity: o.severity, labels: s.fires, value: s.value ?? 0 }] : [],
  })),
});
