// Drift of a categorical feature: buckets are the reference categories plus "other" (rare and
// unseen values are counted there, never dropped).
import { chiSquareSf } from './gamma.js';
import { psiFromCounts } from './numeric.js';

/** Pseudo-count added to each reference bucket for chi-square, so an unseen bucket has a finite expectation. */
export const CHI_SQUARE_ALPHA = 0.5;

export function chiSquare(ref: ArrayLike<number>, cur: ArrayLike<number>): { stat: number; p: number } {
  const k = ref.length;
  let nr = 0;
  let nc = 0;
  for (let i = 0; i < k; i++) { nr += ref[i] as number; nc += cur[i] as number; }
  if (nr === 0 || nc === 0 || k < 2) return { stat: NaN, p: NaN };
  let stat = 0;
  for (let i = 0; i < k; i++) {
    const expected = (nc * ((ref[i] as number) + CHI_SQUARE_ALPHA)) / (nr + CHI_SQUARE_ALPHA * k);
    stat += ((cur[i] as number) - expected) ** 2 / expected;
  }
  return { stat, p: chiSquareSf(stat, k - 1) };
}

/** Jensen-Shannon distance, base 2 (0..1), as scipy.spatial.distance.jensenshannon(p, q, base=2). */
export function jsDistance(ref: ArrayLike<number>, cur: ArrayLike<number>): number {
  let nr = 0;
  let nc = 0;
  for (let i = 0; i < ref.length; i++) { nr += ref[i] as number; nc += cur[i] as number; }
  if (nr === 0 || nc === 0) return NaN;
  let js = 0;
  for (let i = 0; i < ref.length; i++) {
    const p = (ref[i] as number) / nr;
    const q = (cur[i] as number) / nc;
    const m = (p + q) / 2;
    if (p > 0) js += p * Math.log2(p / m);
    if (q > 0) js += q * Math.log2(q / m);
  }
  return Math.sqrt(Math.max(0, js / 2));
}

export const psiCategorical = psiFromCounts;
