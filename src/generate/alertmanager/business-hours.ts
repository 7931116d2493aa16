// Business hours as Alertmanager time intervals. alertmanager.yml names the IANA `location`; the
// Prometheus Operator's AlertmanagerConfig has no location field (v1alpha1 TimeInterval: times,
// weekdays, daysOfMonth, months, years), so for Kubernetes the same hours are spelled out in UTC:
// one interval set per stretch of constant UTC offset, dated with years/months/days_of_month, for
// the years FIRST_YEAR..LAST_YEAR. Exact over that horizon, including DST changes; after it, the
// January (standard time) pattern of LAST_YEAR holds, so warnings are never muted for good.
import type { Model } from '../../config/index.js';

export const FIRST_YEAR = 2026;
export const LAST_YEAR = 2036;

export interface TimeIntervalSpec {
  readonly times: readonly { start_time: string; end_time: string }[];
  readonly weekdays: readonly string[];
  readonly days_of_month?: readonly string[];
  readonly months?: readonly string[];
  readonly years?: readonly string[];
  readonly location?: string;
}

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] as const;
const DAY = 1440;
const MINUTE_MS = 60_000;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Weekday numbers (sunday = 0) of ranges such as monday:friday. */
export function weekdaySet(ranges: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const r of ranges) {
    const [a, b = a] = r.split(':') as [string, string?];
    for (let d = WEEKDAYS.indexOf(a as never); d <= WEEKDAYS.indexOf(b as never); d++) out.add(d);
  }
  return out;
}

function weekdayRanges(days: ReadonlySet<number>): string[] {
  const out: string[] = [];
  for (let d = 0; d < 7; d++) {
    if (!days.has(d) || days.has(d - 1)) continue;
    let e = d;
    while (days.has(e + 1)) e++;
    out.push(e === d ? WEEKDAYS[d] as string : `${WEEKDAYS[d]}:${WEEKDAYS[e]}`);
  }
  return out;
}

/** UTC offset of a zone at an instant, in minutes. */
const formats = new Map<string, Intl.DateTimeFormat>();
export function offsetAt(zone: string, ms: number): number {
  let f = formats.get(zone);
  if (!f) formats.set(zone, f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }));
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  return Math.round((Date.UTC(p.year as number, (p.month as number) - 1, p.day, p.hour, p.minute) - Math.floor(ms / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/** [start minute, end minute, offset] pieces of a UTC day with constant offset. */
function offsetPieces(zone: string, dayStartMs: number): [number, number, number][] {
  const at = (m: number) => offsetAt(zone, dayStartMs + m * MINUTE_MS);
  const pieces: [number, number, number][] = [];
  let start = 0;
  while (start < DAY) {
    const o = at(start);
    let end = DAY;
    // Offsets change at most a few times a year: check the day's last minute, bisect only then.
    if (at(DAY - 1) !== o) {
      let lo = start;
      let hi = DAY - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (at(mid) === o) lo = mid; else hi = mid;
      }
      end = hi;
    }
    pieces.push([start, end, o]);
    start = end;
  }
  return pieces;
}

/** The active UTC minutes [from, to) of one UTC day, for hours in a zone. */
function activeMinutes(zone: string, days: ReadonlySet<number>, start: number, end: number, dayStartMs: number): [number, number][] {
  const t0 = dayStartMs / MINUTE_MS;
  const out: [number, number][] = [];
  for (const [a, b, o] of offsetPieces(zone, dayStartMs)) {
    for (let k = Math.floor((t0 + a + o) / DAY); k <= Math.floor((t0 + b - 1 + o) / DAY); k++) {
      // Day 0 of the epoch (1970-01-01) was a thursday.
      if (!days.has((k + 4) % 7)) continue;
      const from = Math.max(k * DAY + start - o, t0 + a) - t0;
      const to = Math.min(k * DAY + end - o, t0 + b) - t0;
      if (from < to) out.push([from, to]);
    }
  }
  out.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const r of out) {
    const last = merged[merged.length - 1];
    if (last && last[1] >= r[0]) last[1] = Math.max(last[1], r[1]); else merged.push([...r]);
  }
  return merged;
}

/** Calendar restrictions for the UTC dates [a, b] (inclusive, same year): whole years, months, or days. */
function dateRanges(a: Date, b: Date): Pick<TimeIntervalSpec, 'years' | 'months' | 'days_of_month'>[] {
  const year = String(a.getUTCFullYear());
  const ma = a.getUTCMonth();
  const mb = b.getUTCMonth();
  const da = a.getUTCDate();
  const db = b.getUTCDate();
  const last = (m: number) => new Date(Date.UTC(a.getUTCFullYear(), m + 1, 0)).getUTCDate();
  if (ma === 0 && da === 1 && mb === 11 && db === 31) return [{ years: [year] }];
  if (ma === mb) return [{ years: [year], months: [MONTHS[ma] as string], ...(da === 1 && db === last(ma) ? {} : { days_of_month: [`${da}:${db}`] }) }];
  const out: Pick<TimeIntervalSpec, 'years' | 'months' | 'days_of_month'>[] = [];
  let from = ma;
  if (da !== 1) { out.push({ years: [year], months: [MONTHS[ma] as string], days_of_month: [`${da}:${last(ma)}`] }); from = ma + 1; }
  let to = mb;
  const tail = db !== last(mb);
  if (tail) to = mb - 1;
  if (from <= to) out.push({ years: [year], months: [from === to ? MONTHS[from] as string : `${MONTHS[from]}:${MONTHS[to]}`] });
  if (tail) out.push({ years: [year], months: [MONTHS[mb] as string], days_of_month: [`1:${db}`] });
  return out;
}

type Pattern = Map<number, string>; // UTC weekday -> times key
const timesKey = (r: readonly [number, number][]) => r.map(([s, e]) => `${s}-${e}`).join(',');
const timesOf = (key: string) => (key ? key.split(',').map((p) => { const [s, e] = p.split('-').map(Number) as [number, number]; return { start_time: hhmm(s), end_time: hhmm(e) }; }) : []);

function emit(pattern: Pattern, calendars: Pick<TimeIntervalSpec, 'years' | 'months' | 'days_of_month'>[]): TimeIntervalSpec[] {
  const byTimes = new Map<string, Set<number>>();
  for (const [w, key] of pattern) if (key) (byTimes.get(key) ?? byTimes.set(key, new Set()).get(key) as Set<number>).add(w);
  return [...byTimes].sort((x, y) => x[0].localeCompare(y[0])).flatMap(([key, days]) =>
    calendars.map((c) => ({ times: timesOf(key), weekdays: weekdayRanges(days), ...c })));
}

/** Business hours in UTC, exact from FIRST_YEAR to LAST_YEAR (see above). */
export function utcBusinessHours(bh: Model['alerting']['businessHours']): TimeIntervalSpec[] {
  const days = weekdaySet(bh.weekdays);
  const start = minutes(bh.start);
  const end = minutes(bh.end);
  const out: TimeIntervalSpec[] = [];
  let pattern: Pattern = new Map();
  let periodStart = Date.UTC(FIRST_YEAR, 0, 1);
  let breaks = 0;
  const close = (lastDayMs: number) => {
    // Dated by years/months/days; whole years in a row collapse into one years range.
    const calendars: Pick<TimeIntervalSpec, 'years' | 'months' | 'days_of_month'>[] = [];
    let run: [number, number] | null = null;
    const flush = () => { if (run) calendars.push({ years: [run[0] === run[1] ? `${run[0]}` : `${run[0]}:${run[1]}`] }); run = null; };
    for (let y = new Date(periodStart).getUTCFullYear(); y <= new Date(lastDayMs).getUTCFullYear(); y++) {
      const a = Math.max(periodStart, Date.UTC(y, 0, 1));
      const b = Math.min(lastDayMs, Date.UTC(y, 11, 31));
      if (a === Date.UTC(y, 0, 1) && b === Date.UTC(y, 11, 31)) { run = run ? [run[0], y] : [y, y]; continue; }
      flush();
      calendars.push(...dateRanges(new Date(a), new Date(b)));
    }
    flush();
    out.push(...emit(pattern, calendars));
  };
  for (let day = periodStart; day <= Date.UTC(LAST_YEAR, 11, 31); day += DAY * MINUTE_MS) {
    const w = new Date(day).getUTCDay();
    const key = timesKey(activeMinutes(bh.location, days, start, end, day));
    const known = pattern.get(w);
    if (known !== undefined && known !== key) {
      breaks++;
      close(day - DAY * MINUTE_MS);
      pattern = new Map();
      periodStart = day;
    }
    pattern.set(w, key);
  }
  // A zone without offset changes (UTC, Asia/Kolkata): one undated interval, like alertmanager.yml's.
  if (breaks === 0) return emit(pattern, [{}]);
  close(Date.UTC(LAST_YEAR, 11, 31));
  // Beyond the horizon: the pattern of early January of the last year (the CRD takes years 2xxx only).
  const january: Pattern = new Map();
  for (let d = 0; d < 7; d++) {
    const day = Date.UTC(LAST_YEAR, 0, 1) + d * DAY * MINUTE_MS;
    january.set(new Date(day).getUTCDay(), timesKey(activeMinutes(bh.location, days, start, end, day)));
  }
  out.push(...emit(january, [{ years: [`${LAST_YEAR + 1}:2999`] }]));
  return out;
}
