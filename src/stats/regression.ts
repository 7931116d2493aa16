// Regression quality from running sums, so a window is a handful of numbers per hour step
// whatever its size, and steps add up exactly.
export interface RegressionSums {
  /** Pairs with a finite prediction and a finite label. */
  n: number;
  /** Σ (prediction − label): mean error (bias) is this over n. */
  err: number;
  /** Σ |prediction − label|. */
  abs: number;
  /** Σ (prediction − label)². */
  sq: number;
  /** Σ 2|prediction − label| / (|prediction| + |label|), a pair with both at 0 adding 0. */
  smape: number;
}

export interface RegressionQuality { readonly mae: number; readonly rmse: number; readonly meanError: number; readonly smape: number; readonly labelled: number }

export const emptySums = (): RegressionSums => ({ n: 0, err: 0, abs: 0, sq: 0, smape: 0 });

/** Adds one pair. sMAPE, not MAPE: MAPE divides by the label and is unbounded for labels near 0. */
export function addPair(s: RegressionSums, predicted: number, actual: number): void {
  const e = predicted - actual;
  const a = Math.abs(e);
  const scale = Math.abs(predicted) + Math.abs(actual);
  s.n += 1;
  s.err += e;
  s.abs += a;
  s.sq += e * e;
  s.smape += scale === 0 ? 0 : (2 * a) / scale;
}

export function addSums(into: RegressionSums, s: RegressionSums): void {
  into.n += s.n;
  into.err += s.err;
  into.abs += s.abs;
  into.sq += s.sq;
  into.smape += s.smape;
}

export function regression(s: RegressionSums): RegressionQuality {
  if (s.n === 0) return { mae: NaN, rmse: NaN, meanError: NaN, smape: NaN, labelled: 0 };
  return { mae: s.abs / s.n, rmse: Math.sqrt(s.sq / s.n), meanError: s.err / s.n, smape: s.smape / s.n, labelled: s.n };
}

/** A finite number from a logged value: a number, or a string that is only a decimal number ("12.5", not "" or "12 kg"); NaN otherwise. */
export function toFinite(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v !== 'string' || !/^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v)) return NaN;
  return Number(v);
}
