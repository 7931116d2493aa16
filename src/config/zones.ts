// IANA time zone names. ICU (Intl) knows the tz database, but matches names case-insensitively
// and lists only canonical ids; Go's time.LoadLocation wants the exact name. A name is accepted
// when ICU knows it and it is not a mere case variant of the canonical name it resolves to
// (Asia/Kolkata and US/Pacific are links and pass; america/new_york does not). "Local" is
// refused: it means whatever zone the container happens to have.
let canonical: ReadonlySet<string> | undefined;
const all = (): ReadonlySet<string> => (canonical ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]));

function resolved(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export function isIanaZone(name: string): boolean {
  if (all().has(name)) return true;
  const r = resolved(name);
  return r !== null && (r === name || r.toLowerCase() !== name.toLowerCase());
}

/** The zone a typo most likely meant: the same name ignoring case, spaces and underscores. */
export function suggestZone(name: string): string | undefined {
  const key = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');
  return [...all()].find((z) => key(z) === key(name));
}
