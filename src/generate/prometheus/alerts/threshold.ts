// A graded threshold alert (warning and critical levels of one signal) together with the promtool
// scenarios that prove it: each level fires just past it, nothing fires just short of the
// lowest level, and nothing fires without traffic.
import type { Levels } from '../../../config/index.js';
import type { Severity } from '../../../catalog/labels.js';
import { num } from '../../promql.js';
import type { AlertFamily, AlertRuleSpec, FamilyIdentity, InputSeries, Scenario } from '../types.js';
import { goF0, goG4, humanizeDuration, humanizePercentage } from '../gotemplate.js';

/**
 * How a value reads in an alert: percent as percent ("5.067%"), seconds as a duration, numbers
 * as plain numbers with four significant digits ("0.9352", "1.5"), and large numbers (levels of
 * 1,000 or more: errors in dollars, counts) as whole numbers ("15234") — no SI prefixes.
 */
export type Unit = 'percent' | 'seconds' | 'number' | 'count';
const FORMAT: Record<Unit, { fn: string; show: (v: number) => string }> = {
  percent: { fn: 'humanizePercentage', show: humanizePercentage },
  seconds: { fn: 'humanizeDuration', show: humanizeDuration },
  number: { fn: 'printf "%.4g"', show: goG4 },
  count: { fn: 'printf "%.0f"', show: goF0 },
};
export const valueText = (unit: Unit) => `{{ $value | ${FORMAT[unit].fn} }}`;
export const showValue = (unit: Unit, v: number) => FORMAT[unit].show(v);

export interface ThresholdOptions extends FamilyIdentity {
  readonly levels: Levels;
  readonly below?: boolean;
  readonly unit: Unit;
  /** Read after the value and the level, for example " days". */
  readonly suffix?: string;
  readonly forSeconds: number;
  readonly keepFiringSeconds?: number;
  /** The alert expression for one level; its value must be the measured signal. */
  readonly expr: (level: string) => string;
  /** What is measured, as the start of the description, for example "Error ratio of {{ $labels.model }}". */
  readonly what: string;
  /** Sentences after the value and level: what is normal, what contributes (templates with `query`). */
  readonly context?: string;
  readonly scenario: {
    readonly intervalSeconds: number;
    readonly evalSeconds: number;
    /** Input series that make the signal equal v at evalSeconds. */
    readonly series: (v: number) => InputSeries[];
    /** Input series with no traffic (the signal is absent or NaN). */
    readonly noTraffic: readonly InputSeries[];
    readonly labels: Readonly<Record<string, string>>;
    /** Snap a wanted value in (lo, hi) to one the series can produce exactly (histograms). */
    readonly achievable?: (lo: number, hi: number) => number;
    /** Upper bound of the signal (1 for ratios), used for the quiet case of below-signals. */
    readonly max?: number;
  };
}

const SEVERITY_ORDER: readonly Severity[] = ['warning', 'critical'];

export function thresholdFamily(o: ThresholdOptions): AlertFamily | null {
  // A number whose levels reach the thousands reads as a whole number.
  if (o.unit === 'number' && [o.levels.warning, o.levels.critical].some((l) => l !== null && Math.abs(l) >= 1000)) o = { ...o, unit: 'count' };
  const active = SEVERITY_ORDER.flatMap((severity) => {
    const level = o.levels[severity as 'warning' | 'critical'];
    return level === null ? [] : [{ severity, level }];
  });
  if (!active.length) return null;
  const op = o.below ? '<' : '>';
  const rules: AlertRuleSpec[] = active.map(({ severity, level }) => ({
    severity,
    expr: o.expr(`${op} ${num(level)}`),
    forSeconds: o.forSeconds,
    ...(o.keepFiringSeconds ? { keepFiringSeconds: o.keepFiringSeconds } : {}),
    description: `${o.what} is ${valueText(o.unit)}${o.suffix ?? ''}, ${o.below ? 'below' : 'above'} the ${severity} level of ${showValue(o.unit, level)}${o.suffix ?? ''}.${o.context ? ` ${o.context}` : ''}`,
  }));

  // Levels ordered by how far past "normal" they are: ascending for above-signals, descending for below.
  const ordered = [...active].sort((a, b) => (o.below ? b.level - a.level : a.level - b.level));
  const snap = o.scenario.achievable ?? ((lo: number, hi: number) => (lo + hi) / 2);
  const s = o.scenario;
  const scenario = (name: string, v: number | null, firing: typeof active): Scenario => ({
    name,
    intervalSeconds: s.intervalSeconds,
    evalSeconds: s.evalSeconds,
    series: v === null ? s.noTraffic : s.series(v),
    expect: firing.map(({ severity }) => ({ severity, labels: s.labels, value: v ?? 0 })),
  });
  const scenarios: Scenario[] = ordered.map(({ severity, level }, i) => {
    const next = ordered[i + 1]?.level;
    const far = o.below ? level * 0.8 : level * 1.2;
    const v = snap(...(o.below ? [next ?? far, level] : [level, next ?? far]) as [number, number]);
    return scenario(`${severity} fires just past ${showValue(o.unit, level)}`, v, ordered.slice(0, i + 1));
  });
  const first = (ordered[0] as { level: number }).level;
  const quiet = o.below ? snap(first, first + ((s.max ?? first * 1.5) - first) / 2) : snap(first * 0.8, first * 0.95);
  scenarios.push(scenario(`silent just short of ${showValue(o.unit, first)}`, quiet, []));
  scenarios.push(scenario('silent without traffic', null, []));
  return { name: o.name, domain: o.domain, category: o.category, summary: o.summary, model: o.model, dashboard: o.dashboard, rules, scenarios };
}
