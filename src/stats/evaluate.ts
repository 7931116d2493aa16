// A feature's drift: baseline profile + current window -> every statistic the exporter exposes.
import { chiSquare, jsDistance, psiCategorical } from './categorical.js';
import { ksBinned, ksExact, ksPValue, psiNumeric } from './numeric.js';
import type { CategoricalProfile, NumericProfile } from './profile.js';

export interface DriftResult {
  readonly psi: number;
  readonly ks: number;
  readonly ksUpper: number;
  readonly ksP: number;
  readonly js: number;
  readonly chiSquare: number;
  readonly chiSquareP: number;
  readonly windowSamples: number;
  readonly referenceSamples: number;
  /** True when KS came from raw values (exact), false when from bins (with its bound). */
  readonly exact: boolean;
}

const total = (xs: ArrayLike<number>) => { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i] as number; return s; };

export function evaluateNumeric(base: NumericProfile, window: { counts: ArrayLike<number>; raw: number[] | null }): DriftResult {
  const n = total(window.counts);
  const binned = ksBinned(base.counts, window.counts);
  const exact = base.sample !== null && window.raw !== null && n > 0;
  const d = exact ? ksExact(base.sample as number[], window.raw as number[]) : binned.d;
  return {
    psi: psiNumeric(base.counts, window.counts), ks: d, ksUpper: exact ? d : binned.upper, ksP: ksPValue(d, base.count, n),
    js: NaN, chiSquare: NaN, chiSquareP: NaN, windowSamples: n, referenceSamples: base.count, exact,
  };
}

export function evaluateCategorical(base: CategoricalProfile, counts: ArrayLike<number>): DriftResult {
  const chi = chiSquare(base.counts, counts);
  return {
    psi: psiCategorical(base.counts, counts), ks: NaN, ksUpper: NaN, ksP: NaN, js: jsDistance(base.counts, counts),
    chiSquare: chi.stat, chiSquareP: chi.p, windowSamples: total(counts), referenceSamples: base.count, exact: true,
  };
}
