// Drift of a numeric feature from counts in frozen fine bins: PSI over 10 merged bins and the
// two-sample Kolmogorov-Smirnov statistic with its guaranteed bound; exact KS from raw values.
export const PSI_EPSILON = 1e-4;
export const PSI_GROUPS = 10;

/** Σ (a - e) ln(a / e) over proportions, each raised to at least PSI_EPSILON. */
export function psiFromCounts(ref: ArrayLike<number>, cur: ArrayLike<number>): number {
  const nr = sum(ref);
  const nc = sum(cur);
  if (nr === 0 || nc === 0) return NaN;
  let psi = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.max((ref[i] as number) / nr, PSI_EPSILON);
    const a = Math.max((cur[i] as number) / nc, PSI_EPSILON);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/** Fine bins merged into 10 groups of equal reference mass: group(i) = min(9, floor(10 * refBefore(i) / nRef)). */
export function mergeToGroups(ref: ArrayLike<number>, cur: ArrayLike<number>): { ref: Float64Array; cur: Float64Array } {
  const nr = sum(ref);
  const r = new Float64Array(PSI_GROUPS);
  const c = new Float64Array(PSI_GROUPS);
  let before = 0;
  for (let i = 0; i < ref.length; i++) {
    const g = nr === 0 ? 0 : Math.min(PSI_GROUPS - 1, Math.floor((PSI_GROUPS * before) / nr));
    r[g] = (r[g] as number) + (ref[i] as number);
    c[g] = (c[g] as number) + (cur[i] as number);
    before += ref[i] as number;
  }
  return { ref: r, cur: c };
}

export const psiNumeric = (ref: ArrayLike<number>, cur: ArrayLike<number>): number => {
  const g = mergeToGroups(ref, cur);
  return psiFromCounts(g.ref, g.cur);
};

/**
 * KS from bins: D_binned = max |F_ref - F_cur| at the bin edges, a lower bound of the exact D;
 * inside a bin F_ref - F_cur starts and ends at edge values and moves by +p_ref(b) and -p_cur(b)
 * on the way, so it can leave [min, max] of its two edge values by at most min(p_ref(b), p_cur(b)):
 * D_exact <= D_binned + max over bins of min(p_ref(b), p_cur(b)). (A bin only one sample has
 * mass in, such as the bins beyond the reference range, widens nothing.)
 */
export function ksBinned(ref: ArrayLike<number>, cur: ArrayLike<number>): { d: number; upper: number } {
  const nr = sum(ref);
  const nc = sum(cur);
  if (nr === 0 || nc === 0) return { d: NaN, upper: NaN };
  let fr = 0;
  let fc = 0;
  let d = 0;
  let mass = 0;
  for (let i = 0; i < ref.length; i++) {
    const pr = (ref[i] as number) / nr;
    const pc = (cur[i] as number) / nc;
    fr += pr;
    fc += pc;
    d = Math.max(d, Math.abs(fr - fc));
    mass = Math.max(mass, Math.min(pr, pc));
  }
  return { d, upper: Math.min(1, d + mass) };
}

/** Exact two-sample KS statistic from raw values (as scipy.stats.ks_2samp). */
export function ksExact(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const v = Math.min(x[i] as number, y[j] as number);
    while (i < n && (x[i] as number) <= v) i++;
    while (j < m && (y[j] as number) <= v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return d;
}

/** Kolmogorov distribution survival function Q(x) = P(sqrt(en) D > x), the large-sample limit. */
export function kolmogorovSf(x: number): number {
  if (!(x > 0)) return 1;
  if (x < 1) {
    // Small x: 1 - sqrt(2π)/x Σ exp(-(2k-1)² π² / (8 x²)) converges fast.
    let s = 0;
    for (let k = 1; k <= 20; k++) s += Math.exp(-((2 * k - 1) ** 2) * Math.PI ** 2 / (8 * x * x));
    return Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / x) * s);
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    s += (k % 2 ? 1 : -1) * term;
    if (term < 1e-300) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

/** Asymptotic two-sided KS p-value, Q(sqrt(n m / (n + m)) D): secondary to D at large n. */
export const ksPValue = (d: number, n: number, m: number): number =>
  n > 0 && m > 0 && Number.isFinite(d) ? kolmogorovSf(Math.sqrt((n * m) / (n + m)) * d) : NaN;

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s;
}
