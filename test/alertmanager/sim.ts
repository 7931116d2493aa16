// A small model of Alertmanager's routing, time intervals and inhibition, written from its
// documentation (configuration.md: route, time_interval, inhibit_rule) for comparing two
// configurations. Its routing decisions are checked against `amtool config routes test` before
// they are trusted (see kubernetes-parity.test.ts).
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Labels = Readonly<Record<string, string>>;

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

export function matches(matcher: string, labels: Labels): boolean {
  const m = MATCHER.exec(matcher);
  if (!m) throw new Error(`matcher not understood: ${matcher}`);
  const [, name, op, raw] = m as unknown as [string, string, string, string];
  const value = raw.replace(/\\(.)/g, '$1');
  const have = labels[name] ?? '';
  // Regular expressions are anchored, as in Alertmanager.
  const re = () => new RegExp(`^(?:${value})$`).test(have);
  return op === '=' ? have === value : op === '!=' ? have !== value : op === '=~' ? re() : !re();
}

export interface Leaf {
  readonly receiver: string;
  readonly group_by: readonly string[];
  readonly group_wait: string;
  readonly group_interval: string;
  readonly repeat_interval: string;
  readonly active_time_intervals: readonly string[];
  readonly mute_time_intervals: readonly string[];
}

const ROOT_DEFAULTS = { group_by: [], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' };

/** The routes an alert ends at: depth-first, first match wins unless `continue`. */
export function route(config: Json, labels: Labels): Leaf[] {
  const visit = (node: Json, parent: Omit<Leaf, 'active_time_intervals' | 'mute_time_intervals'>): Leaf[] => {
    const here = {
      receiver: node.receiver ?? parent.receiver,
      group_by: node.group_by ?? parent.group_by,
      group_wait: node.group_wait ?? parent.group_wait,
      group_interval: node.group_interval ?? parent.group_interval,
      repeat_interval: node.repeat_interval ?? parent.repeat_interval,
    };
    const out: Leaf[] = [];
    for (const child of (node.routes ?? []) as Json[]) {
      if (!((child.matchers ?? []) as string[]).every((m) => matches(m, labels))) continue;
      out.push(...visit(child, here));
      if (!child.continue) break;
    }
    return out.length ? out : [{ ...here, active_time_intervals: node.active_time_intervals ?? [], mute_time_intervals: node.mute_time_intervals ?? [] }];
  };
  return visit(config.route, { receiver: config.route.receiver, ...ROOT_DEFAULTS });
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const formats = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock fields of an instant in a location (Go: t.In(loc)). */
const last = new Map<string, { ms: number; w: ReturnType<typeof wallNow> }>();
/** Wall-clock fields, cached per location for the last instant (many intervals ask about one instant). */
function wall(ms: number, location: string) {
  const hit = last.get(location);
  if (hit?.ms === ms) return hit.w;
  const w = wallNow(ms, location);
  last.set(location, { ms, w });
  return w;
}

function wallNow(ms: number, location: string) {
  let f = formats.get(location);
  if (!f) formats.set(location, f = new Intl.DateTimeFormat('en-US', { timeZone: location, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'long' }));
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), minute: Number(p.hour) * 60 + Number(p.minute), weekday: WEEKDAYS.indexOf(String(p.weekday).toLowerCase()) };
}

const range = (text: string, names?: string[]): [number, number] => {
  const num = (s: string) => (names && names.includes(s.toLowerCase()) ? names.indexOf(s.toLowerCase()) + (names === MONTHS ? 1 : 0) : Number(s));
  const [a, b = a] = text.split(':') as [string, string?];
  return [num(a), num(b)];
};

/** Whether one time_interval entry (times, weekdays, days_of_month, months, years; location) holds at an instant. */
export function holds(ti: Json, ms: number): boolean {
  const w = wall(ms, ti.location ?? 'UTC');
  const inAny = (list: string[] | undefined, value: number, names?: string[], fix?: (r: [number, number]) => [number, number]) =>
    !list || list.some((t) => { const [a, b] = (fix ?? ((r) => r))(range(t, names)); return value >= a && value <= b; });
  const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  const dom = (r: [number, number]): [number, number] => r.map((d) => (d < 0 ? daysInMonth + d + 1 : d)) as [number, number];
  const times = !ti.times || (ti.times as Json[]).some((t) => {
    const s = Number(t.start_time.slice(0, 2)) * 60 + Number(t.start_time.slice(3));
    const e = Number(t.end_time.slice(0, 2)) * 60 + Number(t.end_time.slice(3));
    return w.minute >= s && w.minute < e;
  });
  return times && inAny(ti.weekdays, w.weekday, WEEKDAYS) && inAny(ti.days_of_month, w.day, undefined, dom) && inAny(ti.months, w.month, MONTHS) && inAny(ti.years, w.year);
}

export function intervalActive(config: Json, name: string, ms: number): boolean {
  const def = [...((config.time_intervals ?? []) as Json[]), ...((config.mute_time_intervals ?? []) as Json[])].find((t) => t.name === name);
  if (!def) throw new Error(`no time interval ${name}`);
  return ((def.time_intervals ?? []) as Json[]).some((ti) => holds(ti, ms));
}

/** Whether a leaf would notify at an instant: inside every active interval, outside every mute one. */
export const notifiesAt = (config: Json, leaf: Leaf, ms: number): boolean =>
  leaf.active_time_intervals.every((n) => intervalActive(config, n, ms)) && !leaf.mute_time_intervals.some((n) => intervalActive(config, n, ms));

/** Whether target is inhibited by any of the firing alerts (configuration.md, inhibit_rule). */
export function inhibited(config: Json, target: Labels, firing: readonly Labels[]): boolean {
  return ((config.inhibit_rules ?? []) as Json[]).some((rule) => {
    const src = (l: Labels) => ((rule.source_matchers ?? []) as string[]).every((m) => matches(m, l));
    const tgt = (l: Labels) => ((rule.target_matchers ?? []) as string[]).every((m) => matches(m, l));
    if (!tgt(target)) return false;
    // An alert matching both sides cannot be inhibited by alerts that also match both sides.
    const both = src(target);
    return firing.some((s) => s !== target && src(s) && !(both && tgt(s)) && ((rule.equal ?? []) as string[]).every((k) => (s[k] ?? '') === (target[k] ?? '')));
  });
}
