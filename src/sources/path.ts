// Dotted paths into records (features.amount, output.score), used by every reader of logs,
// reference data and billing exports.
export type Getter = (rec: unknown) => unknown;

/** A path compiled once into a getter; an absent path reads nothing. */
export function compilePath(path: string | undefined): Getter {
  if (!path) return () => undefined;
  const parts = path.split('.');
  return (rec) => {
    let cur = rec;
    for (const p of parts) {
      if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, p)) return undefined;
      cur = (cur as Record<string, unknown>)[p];
    }
    return cur;
  };
}

export const getPath = (rec: unknown, path: string | undefined): unknown => compilePath(path)(rec);

/** The value at a path given as keys (feature names may contain dots). Own properties only: a record's "constructor" is not Object's. */
export function getPathParts(rec: unknown, parts: readonly string[]): unknown {
  let cur = rec;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, p)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}
