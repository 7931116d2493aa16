// IANA time zone names as Go's time.LoadLocation reads them (Alertmanager's `location`): exact,
// case-sensitive names from the tz database. ICU's canonical list is a subset of those names, so
// anything accepted here loads in Alertmanager; "Local" is refused (it means the container's zone).
let zones: ReadonlySet<string> | undefined;
const all = (): ReadonlySet<string> => (zones ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]));

export const isIanaZone = (name: string): boolean => all().has(name);

/** The zone a typo most likely meant: same name ignoring case, spaces and underscores. */
export function suggestZone(name: string): string | undefined {
  const key = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');
  return [...all()].find((z) => key(z) === key(name));
}
