// A feature's drift: baseline profile + current window -> every statistic the exporter exposes.
import { chiSquare, jsDistance, psiCategorical } from './categorical.js';
import { ksBinned, ksExact, ksPValue, mergeToGroups, psiFromCounts, psiNumeric } from './numeric.js';
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
  /** Reference counts of the bins PSI is computed over (for its noise floor). */
  readonly psiReference: ArrayLike<number>;
  /** Categories the reference saw exactly once: the Good-Turing estimate of what it never saw (stats/floor.ts). */
  readonly psiUnseen: number;
}

const total = (xs: ArrayLike<number>) => { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i] as number; return s; };

export function evaluateNumeric(base: NumericProfile, window: { counts: ArrayLike<number>; raw: number[] | null }): DriftResult {
  const n = total(window.counts);
  const binned = ksBinned(base.counts, window.counts);
  const exact = base.sample !== null && window.raw !== null && n > 0;
  const d = exact ? ksExact(base.sample as number[], window.raw as number[]) : binned.d;
  return {
    psi: psiNumeric(base.counts, window.counts), ks: d, ksUpper: exact ? d : binned.upper, ksP: ksPValue(d, base.count, n),
    js: NaN, chiSquare: NaN, chiSquareP: NaN, windowSamples: n, referenceSamples: base.count, exact, psiReference: mergeToGroups(base.counts, window.counts).ref, psiUnseen: 0,
  };
}

/**
 * A numeric feature whose window has an underflow bin (below the reference minimum) first and an
 * overflow bin (above its maximum) last, around the baseline's fine bins; both hold no reference
 * mass. PSI groups the inner bins in 10 as usual, with the two outer bins as groups of their own.
 */
export function evaluateNumericOuter(base: NumericProfile, window: { counts: ArrayLike<number>; raw: number[] | null }): DriftResult {
  const w = window.counts;
  const last = w.length - 1;
  const inner = Array.prototype.slice.call(w, 1, last) as number[];
  const groups = mergeToGroups(base.counts, inner);
  const n = total(w);
  const binned = ksBinned([0, ...base.counts, 0], w);
  const exact = base.sample !== null && window.raw !== null && n > 0;
  const d = exact ? ksExact(base.sample as number[], window.raw as number[]) : binned.d;
  const psiReference = [0, ...groups.ref, 0];
  return {
    psi: psiFromCounts(psiReference, [w[0] as number, ...groups.cur, w[last] as number]),
    ks: d, ksUpper: exact ? d : binned.upper, ksP: ksPValue(d, base.count, n),
    js: NaN, chiSquare: NaN, chiSquareP: NaN, windowSamples: n, referenceSamples: base.count, exact, psiReference, psiUnseen: 0,
  };
}

export function evaluateCategorical(base: CategoricalProfile, counts: ArrayLike<number>): DriftResult {
  const chi = chiSquare(base.counts, counts);
  return {
    psi: psiCategorical(base.counts, counts), ks: NaN, ksUpper: NaN, ksP: NaN, js: jsDistance(base.counts, counts),
    chiSquare: chi.stat, chiSquareP: chi.p, windowSamples: total(counts), referenceSamples: base.count, exact: true, psiReference: base.counts, psiUnseen: base.counts.slice(0, -1).filter((c) => c === 1).length,
  };
}
