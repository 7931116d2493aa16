// Whether a moment falls in the configured business hours, as Alertmanager's time interval
// judges it: the demo says so when the tickets it is about to raise will be muted.
import type { Model } from '../config/index.js';
import { WEEKDAYS, weekdaySet } from '../generate/alertmanager/business-hours.js';

type Hours = Model['alerting']['businessHours'];

export function inBusinessHours(bh: Hours, at: Date): boolean {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: bh.location, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(at).map((p) => [p.type, p.value]));
  const day = WEEKDAYS.indexOf(String(parts.weekday).toLowerCase() as never);
  const hhmm = `${parts.hour}:${parts.minute}`;
  // Weekday ranges read as the generated Alertmanager interval reads them (validation refuses backwards ones).
  return weekdaySet(bh.weekdays).has(day) && hhmm >= bh.start && hhmm < bh.end;
}

export const describeHours = (bh: Hours) => `${bh.weekdays.join(', ')} ${bh.start}-${bh.end} ${bh.location}`;
