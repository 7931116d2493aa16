// Noise floors: the value a drift statistic exceeds with probability alpha when nothing drifted,
// at the current window size n, reference size m and bins. An alert on a statistic above its
// configured level fires only above this floor too, so a small window or a feature with a
// thousand categories does not page on sampling noise.
//
// KS: the asymptotic two-sample critical value (Smirnov), c(alpha) * sqrt((n + m) / (n m)) with
// c(alpha) = sqrt(-ln(alpha / 2) / 2). The binned D is a lower bound of the exact D, so the share
// of null windows above it is at most alpha.
//
// PSI: under no drift n m / (n + m) * PSI is asymptotically chi-square with (bins - 1) degrees of
// freedom (Yurdakul 2018). That holds when every bin expects many values; with sparse bins, PSI's
// epsilon (1e-4) and a reference whose rare shares are themselves noisy, it does not, and a
// 1,000-level feature would page on noise. So the floor is read off the statistic's own null
// distribution, drawn as below (psiFloor).
import { chiSquareSf, lnGamma } from './gamma.js';
import { PSI_EPSILON, psiFromCounts } from './numeric.js';
import { normalFrom, prng } from './profile.js';

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

/** Poisson(lambda) by multiplication below 30, by a rounded normal above (its tails are not the point there). */
function poisson(lambda: number, random: () => number, normal: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let prod = random();
    while (prod > limit) { k++; prod *= random(); }
    return k;
  }
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
}

const DRAWS = 600;

/**
 * The PSI noise floor for the reference counts of the bins PSI is computed over (their sum is
 * the reference size m) and a window of n values.
 *
 * The null distribution of the two-sample statistic is drawn (parametric bootstrap): the true
 * shares are taken as the reference's, each bin's window and reference counts are Poisson with
 * means n p and m p, and PSI is computed from them as the exporter computes it (epsilon and all).
 * The reference's own noise matters: a rare category's reference share is uncertain, and 1/share
 * makes the error one-sided (Jensen). `unseen` is the Good-Turing estimate of values the reference
 * never saw (its count of categories seen exactly once, Good 1953): their share goes to the last
 * bin ("other") of a categorical feature. The floor is the upper alpha point of a Pearson type III
 * curve with the draws' mean, variance and skewness (smoother than an order statistic of 600).
 * Draws are seeded by n and the bins: the same inputs give the same floor.
 */
function bootstrapFloor(reference: ArrayLike<number>, n: number, alpha: number, unseen: number): number {
  const k = reference.length;
  let m = 0;
  for (let i = 0; i < k; i++) m += reference[i] as number;
  const share = Array.from({ length: k }, (_, i) => ((reference[i] as number) + (i === k - 1 ? unseen : 0)) / (m + unseen));
  const random = prng(Math.round(n) * 7919 + k);
  const normal = normalFrom(random);
  const x = new Float64Array(k);
  const y = new Float64Array(k);
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let d = 0; d < DRAWS; d++) {
    for (let i = 0; i < k; i++) {
      x[i] = poisson(n * (share[i] as number), random, normal);
      y[i] = poisson(m * (share[i] as number), random, normal);
    }
    const v = psiFromCounts(y, x);
    const psi = Number.isFinite(v) ? v : 0;
    s1 += psi;
    s2 += psi * psi;
    s3 += psi * psi * psi;
  }
  const mean = s1 / DRAWS;
  return pearson3(mean, s2 / DRAWS - mean * mean, s3 / DRAWS - 3 * mean * (s2 / DRAWS) + 2 * mean ** 3, alpha);
}

/** The upper alpha point of a + c * chi-square_dof with this mean, variance and third central moment (Pearson type III). */
function pearson3(mean: number, variance: number, third: number, alpha: number): number {
  if (!(variance > 0)) return mean;
  const sd = Math.sqrt(variance);
  const skew = Math.max(third / sd ** 3, 0.01);
  const dof = 8 / (skew * skew);
  const c = sd / Math.sqrt(2 * dof);
  return mean - c * dof + c * chiSquareQuantile(dof, alpha);
}

/**
 * Moments of one bin's PSI term (a - e) ln(a / e), e = max(y / m, eps) the bin's reference share
 * as PSI uses it, a = max(X / n, eps), X the window's count under no drift: the true share is
 * known only through the reference count y, so X is beta-binomial (n draws, share distributed
 * Beta(y + 1/2, m - y + 1/2), Jeffreys), summed exactly from the mode outwards.
 */
function termMoments(n: number, y: number, m: number, unseen: number): [mean: number, variance: number, third: number] {
  const e = Math.max(y / m, PSI_EPSILON);
  const term = (x: number) => { const a = Math.max(x / n, PSI_EPSILON); return (a - e) * Math.log(a / e); };
  const a0 = y + unseen + 0.5;
  const b0 = Math.max(0.5, m - y - unseen + 0.5);
  const lnB = (a: number, b: number) => lnGamma(a) + lnGamma(b) - lnGamma(a + b);
  const mode = Math.min(n, Math.max(0, Math.round((n * a0) / (a0 + b0))));
  const top = Math.exp(lnGamma(n + 1) - lnGamma(mode + 1) - lnGamma(n - mode + 1) + lnB(mode + a0, n - mode + b0) - lnB(a0, b0));
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const add = (x: number, p: number) => { const t = term(x); s0 += p; s1 += p * t; s2 += p * t * t; s3 += p * t * t * t; };
  add(mode, top);
  let p = top;
  for (let x = mode; x < n && p > top * 1e-15; x++) { p *= ((n - x) / (x + 1)) * ((x + a0) / (n - x - 1 + b0)); add(x + 1, p); }
  p = top;
  for (let x = mode; x > 0 && p > top * 1e-15; x--) { p *= (x / (n - x + 1)) * ((n - x + b0) / (x - 1 + a0)); add(x - 1, p); }
  const mean = s1 / s0;
  const m2 = s2 / s0;
  return [mean, m2 - mean * mean, s3 / s0 - 3 * mean * m2 + 2 * mean ** 3];
}

/** The floor from exact per-bin moments under the beta-binomial (bins taken as independent). */
function posteriorFloor(reference: ArrayLike<number>, n: number, m: number, alpha: number, unseen: number): number {
  let mean = 0;
  let variance = 0;
  let third = 0;
  for (let i = 0; i < reference.length; i++) {
    const [a, b, c] = termMoments(Math.round(n), reference[i] as number, m, i === reference.length - 1 ? unseen : 0);
    mean += a;
    variance += b;
    third += c;
  }
  return pearson3(mean, variance, third, alpha);
}

const cache = new WeakMap<object, Map<string, number>>();

/**
 * The PSI noise floor for the reference counts of the bins PSI is computed over (their sum is
 * the reference size m) and a window of n values: the larger of two reads of the statistic's null
 * distribution, each of which errs on the loud side somewhere. The beta-binomial one (exact
 * per-bin moments given the reference) misses the one-sided error of rare shares in a large
 * reference; the bootstrap (true shares = the reference's) misses how rare categories seen once
 * or twice are really more common than that in a small one. Cached per reference array.
 */
export function psiFloor(reference: ArrayLike<number>, n: number, alpha: number, unseen = 0): number {
  if (!(n > 0)) return NaN;
  let m = 0;
  for (let i = 0; i < reference.length; i++) m += reference[i] as number;
  if (!(m > 0) || reference.length < 2) return NaN;
  const key = `${n} ${alpha} ${unseen}`;
  let byKey = typeof reference === 'object' ? cache.get(reference) : undefined;
  const hit = byKey?.get(key);
  if (hit !== undefined) return hit;
  const floor = Math.max(posteriorFloor(reference, n, m, alpha, unseen), bootstrapFloor(reference, n, alpha, unseen));
  if (!byKey) cache.set(reference, (byKey = new Map()));
  byKey.set(key, floor);
  return floor;
}
