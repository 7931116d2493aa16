// Paths into records (features.amount, output.score), used by every reader of logs, reference
// data and billing exports. Own properties only: a record's "constructor" is not Object's.

/** The value at a path given as keys (feature names may contain dots). */
export function getPathParts(rec: unknown, parts: readonly string[]): unknown {
  let cur = rec;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, p)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** The value at a dotted path; an absent path reads nothing. */
export const getPath = (rec: unknown, path: string | undefined): unknown => (path ? getPathParts(rec, path.split('.')) : undefined);
