// Rule, alert family and promtool-scenario shapes shared by the rule generators.
import type { Severity } from '../../catalog/labels.js';
import type { AlertName } from '../../catalog/alerts.js';

export interface RecordingRule { readonly record: string; readonly expr: string; readonly labels?: Readonly<Record<string, string>> }

/** Rule files, each with its own promtool test file; evalSeconds is the test's evaluation_interval. */
export const DOMAINS = {
  serving: { evalSeconds: 60 },
  trends: { evalSeconds: 600 },
  endpoints: { evalSeconds: 60 },
  drift: { evalSeconds: 60 },
  quality: { evalSeconds: 60 },
  labels: { evalSeconds: 300 },
  cost: { evalSeconds: 600 },
  engines: { evalSeconds: 60 },
  exporter: { evalSeconds: 60 },
  watchers: { evalSeconds: 60 },
} as const;
export type Domain = keyof typeof DOMAINS;

export interface AlertRuleSpec {
  readonly severity: Severity;
  readonly expr: string;
  readonly forSeconds: number;
  /** keep_firing_for (Prometheus 2.42+): a symptom that oscillates around its level stays one alert. */
  readonly keepFiringSeconds?: number;
  /** Go template using only {{ $labels.x }} and {{ $value | humanize* }}. */
  readonly description: string;
}

export interface InputSeries { readonly series: string; readonly values: string }

export interface Expected {
  readonly severity: Severity;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Scenario {
  readonly name: string;
  readonly intervalSeconds: number;
  readonly series: readonly InputSeries[];
  readonly evalSeconds: number;
  readonly expect: readonly Expected[];
}

/** What names an alert family and where it goes: shared by every family builder. */
export interface FamilyIdentity {
  /** One of the alert catalog (catalog/alerts.ts), which says how it is routed. */
  readonly name: AlertName;
  readonly domain: Domain;
  /** Inhibition and routing key: serving, endpoint, drift, quality, accuracy, cost, exporter. */
  readonly category: string;
  readonly summary: string;
  /** The model this family instance watches (adds the label and scopes the runbook link). */
  readonly model: string | null;
  readonly dashboard: string;
}

export interface AlertFamily extends FamilyIdentity {
  readonly rules: readonly AlertRuleSpec[];
  readonly scenarios: readonly Scenario[];
}
