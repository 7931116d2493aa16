// Spend estimated from prediction logs per provider model and UTC day, kept 40 days, published as
// the periods billing APIs report (today, yesterday, trailing_7d, month_to_date) so the two can be
// reconciled. A period is published only once the logs cover all of it: a stack started at noon
// has no estimate for "yesterday" (it would read as a 100 % gap against the bill) nor, until
// tomorrow, a whole "today".
import { M } from '../catalog/metrics.js';
import { dayStart, monthStart, periodsOf, type Period } from '../sources/billing.js';
import type { Aggregates } from './aggregates.js';

const DAY = 86400;
const DAYS_KEPT = 40;
const PERIODS: readonly Period[] = ['today', 'yesterday', 'trailing_7d', 'month_to_date'];

const periodStart = (p: Period, now: number): number =>
  p === 'today' ? dayStart(now) : p === 'yesterday' ? dayStart(now) - DAY : p === 'trailing_7d' ? dayStart(now) - 7 * DAY : monthStart(now);

export interface CostDaysJson { days: Record<string, Record<string, number>>; since: Record<string, number> }

export class CostDays {
  private days: Record<string, Record<string, number>> = {};
  /** The time of the oldest record read for each provider model: the logs cover everything after it. */
  private since: Record<string, number> = {};

  add(model: string, ts: number, usd: number): void {
    const days = (this.days[model] ??= {});
    const day = String(dayStart(ts));
    days[day] = (days[day] ?? 0) + usd;
    if (!(ts >= (this.since[model] ?? Infinity))) this.since[model] = ts;
  }

  publish(agg: Aggregates, now: number): void {
    for (const [model, days] of Object.entries(this.days)) {
      const totals = new Map<Period, number>(PERIODS.map((p) => [p, 0]));
      for (const [day, usd] of Object.entries(days)) {
        if (Number(day) < dayStart(now) - DAYS_KEPT * DAY) delete days[day];
        else for (const p of periodsOf(Number(day), now)) totals.set(p, (totals.get(p) ?? 0) + usd);
      }
      const since = this.since[model] ?? Infinity;
      for (const [period, usd] of totals) {
        if (since <= periodStart(period, now)) agg.set(M.estimatedCost, { model, period }, usd);
        else agg.unset(M.estimatedCost, { model, period });
      }
    }
  }

  toJSON(): CostDaysJson {
    return { days: this.days, since: this.since };
  }

  /** Checkpoints before coverage was kept hold only the days: coverage starts with the oldest day. */
  restore(days: Record<string, Record<string, number>> | undefined, since: Record<string, number> | undefined): void {
    this.days = days ?? {};
    this.since = since ?? Object.fromEntries(Object.entries(this.days).map(([m, d]) => [m, Math.min(...Object.keys(d).map(Number))]));
  }
}
