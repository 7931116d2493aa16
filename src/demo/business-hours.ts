// Whether a moment falls in the configured business hours, as Alertmanager's time interval
// judges it: the demo says so when the tickets it is about to raise will be muted.
import type { Model } from '../config/index.js';

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

type Hours = Model['alerting']['businessHours'];

function dayIn(range: string, day: number): boolean {
  const [a, b = a] = range.split(':').map((d) => DAYS.indexOf(d.trim().toLowerCase()));
  return a !== undefined && b !== undefined && (a <= b ? day >= a && day <= b : day >= a || day <= b);
}

export function inBusinessHours(bh: Hours, at: Date): boolean {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: bh.location, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(at).map((p) => [p.type, p.value]));
  const day = DAYS.indexOf(String(parts.weekday).toLowerCase());
  const hhmm = `${parts.hour}:${parts.minute}`;
  return bh.weekdays.some((r) => dayIn(r, day)) && hhmm >= bh.start && hhmm < bh.end;
}

export const describeHours = (bh: Hours) => `${bh.weekdays.join(', ')} ${bh.start}-${bh.end} ${bh.location}`;
