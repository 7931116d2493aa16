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
