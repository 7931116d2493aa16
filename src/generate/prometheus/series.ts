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

export const gauge = (metric: string, matchers: Matchers, value: number, steps: number): InputSeries =>
  ({ series: sel(metric, { ...TEST_JOB, ...matchers }), values: `${num(value)}x${steps}` });
