// Noise floors: the value a drift statistic exceeds with probability alpha when nothing drifted,
// at the current window size n, reference size m and bins. An alert on a statistic above its
// configured level fires only above this floor too, so a small window or a feature with a
// thousand categories does not page on sampling noise.
//
// KS: the asymptotic two-sample critical value (Smirnov), c(alpha) * sqrt((n + m) / (n m)) with
// c(alpha) = sqrt(-ln(alpha / 2) / 2). The binned D is a lower bound of the exact D, so the share
// of null windows above it is at most alpha.
//
// PSI: under no drift n_eff * PSI is asymptotically chi-square with (bins - 1) degrees of freedom,
// n_eff = n m / (n + m) (Yurdakul 2018). That holds when every bin expects a few values; with
// sparse bins and PSI's epsilon (1e-4) the terms of empty bins are far larger than chi-square
// says. So the floor comes from the null distribution of the statistic as computed: each bin's
// term (a - e) ln(a / e), a = max(X / n_eff, eps), X ~ Binomial(n_eff, e), has its mean and
// variance summed exactly over the binomial, and the sum is read as a scaled chi-square with the
// same two moments (Satterthwaite 1946). Bins are taken as independent, which slightly widens the
// variance (the multinomial ties them): the floor errs on the quiet side.
import { lnGamma } from './gamma.js';
import { chiSquareSf } from './gamma.js';
import { PSI_EPSILON } from './numeric.js';

/** The KS critical value for window size n and reference size m. */
export function ksFloor(n: number, m: number, alpha: number): number {
  if (!(n > 0 && m > 0)) return NaN;
  return Math.min(1, Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m)));
}

/** x with P(chi-square_dof > x) = alpha, by bisection on the survival function (monotone). */
export function chiSquareQuantile(dof: number, alpha: number): number {
  let lo = 0;
  let hi = dof + 10 * Math.sqrt(2 * dof) + 50;
  while (chiSquareSf(hi, dof) > alpha) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (chiSquareSf(mid, dof) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mean and variance of (a - e) ln(a / e), a = max(X / n, eps), X ~ Binomial(n, e). */
function termMoments(n: number, e: number): { mean: number; variance: number } {
  const ee = Math.max(e, PSI_EPSILON);
  const term = (x: number) => {
    const a = Math.max(x / n, PSI_EPSILON);
    return (a - ee) * Math.log(a / ee);
  };
  if (e <= 0) return { mean: 0, variance: 0 };
  if (e >= 1) return { mean: term(n), variance: 0 };
  // The pmf from its mode outwards (ratios), until it no longer adds anything.
  const mode = Math.floor((n + 1) * e);
  const logPmf = lnGamma(n + 1) - lnGamma(mode + 1) - lnGamma(n - mode + 1) + mode * Math.log(e) + (n - mode) * Math.log(1 - e);
  const odds = e / (1 - e);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  const add = (x: number, p: number) => { const t = term(x); s0 += p; s1 += p * t; s2 += p * t * t; };
  const top = Math.exp(logPmf);
  add(mode, top);
  let p = top;
  for (let x = mode; x < n && p > top * 1e-15; x++) { p *= ((n - x) / (x + 1)) * odds; add(x + 1, p); }
  p = top;
  for (let x = mode; x > 0 && p > top * 1e-15; x--) { p *= (x / (n - x + 1)) / odds; add(x - 1, p); }
  const mean = s1 / s0;
  return { mean, variance: Math.max(0, s2 / s0 - mean * mean) };
}

/**
 * The PSI noise floor for reference proportions `ref` (the bins PSI is computed over), window
 * size n and reference size m (Infinity when the reference proportions are taken as exact).
 */
export function psiFloor(ref: ArrayLike<number>, n: number, m: number, alpha: number): number {
  if (!(n > 0)) return NaN;
  const nEff = Math.max(1, Math.round(Number.isFinite(m) ? (n * m) / (n + m) : n));
  let mean = 0;
  let variance = 0;
  for (let i = 0; i < ref.length; i++) {
    const t = termMoments(nEff, ref[i] as number);
    mean += t.mean;
    variance += t.variance;
  }
  if (!(mean > 0) || !(variance > 0)) return 0;
  // mean = c k, variance = 2 c^2 k for c * chi-square_k.
  const c = variance / (2 * mean);
  const k = (2 * mean * mean) / variance;
  return c * chiSquareQuantile(k, alpha);
}
