// Classification quality from (predicted, actual) pair counts. Binary metrics for a positive
// class when one is given, otherwise macro averages over the classes seen.
export interface Quality { readonly accuracy: number; readonly precision: number; readonly recall: number; readonly f1: number; readonly labelled: number }

const SEP = '\u0000';
export const pairKey = (predicted: string, actual: string) => `${predicted}${SEP}${actual}`;

export function quality(pairs: ReadonlyMap<string, number>, positive: string | null): Quality {
  let total = 0;
  let correct = 0;
  const tp = new Map<string, number>();
  const predicted = new Map<string, number>();
  const actual = new Map<string, number>();
  for (const [key, n] of pairs) {
    const [p, a] = key.split(SEP) as [string, string];
    total += n;
    if (p === a) { correct += n; tp.set(p, (tp.get(p) ?? 0) + n); }
    predicted.set(p, (predicted.get(p) ?? 0) + n);
    actual.set(a, (actual.get(a) ?? 0) + n);
  }
  if (total === 0) return { accuracy: NaN, precision: NaN, recall: NaN, f1: NaN, labelled: 0 };
  const scores = (c: string) => {
    const t = tp.get(c) ?? 0;
    const pr = (predicted.get(c) ?? 0) ? t / (predicted.get(c) as number) : 0;
    const rc = (actual.get(c) ?? 0) ? t / (actual.get(c) as number) : 0;
    return { pr, rc, f1: pr + rc ? (2 * pr * rc) / (pr + rc) : 0 };
  };
  if (positive !== null) {
    const s = scores(positive);
    return { accuracy: correct / total, precision: s.pr, recall: s.rc, f1: s.f1, labelled: total };
  }
  const classes = [...new Set([...predicted.keys(), ...actual.keys()])];
  const all = classes.map(scores);
  const mean = (f: (x: (typeof all)[number]) => number) => all.reduce((s, x) => s + f(x), 0) / all.length;
  return { accuracy: correct / total, precision: mean((x) => x.pr), recall: mean((x) => x.rc), f1: mean((x) => x.f1), labelled: total };
}

/** Recall of one class (right predictions of it / labels of it); NaN when no label is of that class. */
export function classRecall(pairs: ReadonlyMap<string, number>, cls: string): number {
  let actual = 0;
  let right = 0;
  for (const [key, n] of pairs) {
    const [p, a] = key.split(SEP) as [string, string];
    if (a !== cls) continue;
    actual += n;
    if (p === cls) right += n;
  }
  return actual ? right / actual : NaN;
}

/**
 * The confusion matrix folded to the configured classes (others become `other`), every cell of
 * classes × classes present (zeros included), so a table never misses a row.
 */
export function confusion(pairs: ReadonlyMap<string, number>, classes: readonly string[], other: string): Map<string, number> {
  const known = new Set(classes);
  const fold = (c: string) => (known.has(c) ? c : other);
  const out = new Map<string, number>();
  const seen = new Set(classes);
  for (const [key, n] of pairs) {
    const [p, a] = key.split(SEP) as [string, string];
    const k = pairKey(fold(p), fold(a));
    if (!known.has(p) || !known.has(a)) seen.add(other);
    out.set(k, (out.get(k) ?? 0) + n);
  }
  for (const p of seen) for (const a of seen) if (!out.has(pairKey(p, a))) out.set(pairKey(p, a), 0);
  return out;
}

export const splitPair = (key: string) => key.split(SEP) as [predicted: string, actual: string];
