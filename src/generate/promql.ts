// Small PromQL builders: selectors with sorted matchers, aggregations that keep job and
// target labels (sum without), and Prometheus durations.
import { formatDuration } from '../config/index.js';

export type Matchers = Readonly<Record<string, string | { readonly re: string } | { readonly not: string }>>;

const quote = (v: string) => JSON.stringify(v);

export function sel(metric: string, matchers: Matchers = {}): string {
  const parts = Object.keys(matchers).sort().map((k) => {
    const m = matchers[k] as Matchers[string];
    if (typeof m === 'string') return `${k}=${quote(m)}`;
    return 're' in m ? `${k}=~${quote(m.re)}` : `${k}!~${quote(m.not)}`;
  });
  return parts.length ? `${metric}{${parts.join(',')}}` : metric;
}

export const dur = (seconds: number): string => formatDuration(seconds);
export const rate = (selector: string, seconds: number, offset?: number): string =>
  `rate(${selector}[${dur(seconds)}]${offset ? ` offset ${dur(offset)}` : ''})`;
export const sumWithout = (labels: readonly string[], expr: string): string =>
  `sum without (${[...labels].sort().join(', ')}) (${expr})`;

/** A number as PromQL prints it: no exponent noise from float arithmetic. */
export const num = (value: number): string => String(Number(value.toPrecision(12)));

export const oneOf = (values: readonly string[]): { re: string } => ({ re: values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') });
