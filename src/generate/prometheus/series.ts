// promtool input series in expanding notation, built from phases of constant rate.
import { num, sel, type Matchers } from '../promql.js';
import type { InputSeries } from './types.js';

export const TEST_JOB = { job: 'modelwatch', instance: 'modelwatch-exporter:9746' } as const;

/** A counter increasing by perStep[i] for steps[i] samples in each phase. */
export function counter(metric: string, matchers: Matchers, phases: readonly (readonly [perStep: number, steps: number])[]): InputSeries {
  let value = 0;
  const parts: string[] = [];
  phases.forEach(([inc, steps], i) => {
    const start = i === 0 ? 0 : value + inc;
    const n = i === 0 ? steps : steps - 1;
    parts.push(`${num(start)}+${num(inc)}x${n}`);
    value = start + inc * n;
  });
  return { series: sel(metric, { ...TEST_JOB, ...matchers }), values: parts.join(' ') };
}

/** A series of the exporter's job with values in promtool's expanding notation, as written. */
export const exported = (metric: string, matchers: Matchers, values: string): InputSeries =>
  ({ series: sel(metric, { ...TEST_JOB, ...matchers }), values });

export const gauge = (metric: string, matchers: Matchers, value: number, steps: number): InputSeries =>
  exported(metric, matchers, `${num(value)}x${steps}`);

/**
 * A value in (lo, hi) that a histogram scenario reproduces exactly: inside one bucket of
 * `buckets` (not the first), at most `top` of the way up it, where p95 interpolation lands.
 */
export function withinBucket(buckets: readonly number[], lo: number, hi: number, top = 0.95): number {
  for (const k of [0.5, 0.25, 0.75, 0.1, 0.9]) {
    const v = lo + (hi - lo) * k;
    const i = buckets.findIndex((b) => v <= b);
    if (i <= 0) continue;
    const a = buckets[i - 1] as number;
    const b = buckets[i] as number;
    if ((v - a) / (b - a) <= top) return v;
  }
  throw new Error(`no value between ${lo} and ${hi} can be built from the histogram buckets`);
}
