// Estimated spend per period is published only for periods the logs cover whole: a stack started
// at noon must not report yesterday's estimate as 0 (a 100 % gap against the bill, a false ticket).
import { describe, expect, it } from 'vitest';
import { M } from '../../src/catalog/metrics.js';
import { Aggregates } from '../../src/ingest/aggregates.js';
import { CostDays } from '../../src/ingest/cost-days.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { parseConfig } from '../../src/config/index.js';

const DAY = 86400;
const MIDNIGHT = Date.UTC(2026, 10, 18) / 1000; // Wednesday 18 November 2026, 00:00 UTC
const NOON = MIDNIGHT + DAY / 2;

function setup() {
  const loaded = parseConfig('version: 1\nmodels: [{name: m, task: llm}]\n', 'c.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const agg = new Aggregates(labelPolicy(loaded.model, 10_000));
  const cost = new CostDays();
  const periods = () => Object.fromEntries(agg.samples(M.estimatedCost).map((s) => [s.labels.period, s.value]));
  return { agg, cost, periods };
}

describe('estimated spend per period', () => {
  it('publishes nothing while the logs cover no whole period', () => {
    const s = setup();
    s.cost.add('gpt', NOON, 2);
    s.cost.publish(s.agg, NOON + 60);
    expect(s.periods()).toEqual({});
  });

  it('publishes a period once the oldest record is at or before its start, not one second after', () => {
    const s = setup();
    s.cost.add('gpt', MIDNIGHT - DAY, 1); // exactly the start of yesterday
    s.cost.add('gpt', NOON, 2);
    s.cost.publish(s.agg, NOON + 60);
    expect(s.periods()).toEqual({ today: 2, yesterday: 1 });
    const late = setup();
    late.cost.add('gpt', MIDNIGHT - DAY + 1, 1);
    late.cost.add('gpt', NOON, 2);
    late.cost.publish(late.agg, NOON + 60);
    expect(late.periods()).toEqual({ today: 2 });
  });

  it('unsets a period that was published before coverage was known (restored from an older checkpoint)', () => {
    const s = setup();
    s.agg.set(M.estimatedCost, { model: 'gpt', period: 'yesterday' }, 0);
    s.cost.restore({ gpt: { [String(MIDNIGHT)]: 3 } }, { gpt: NOON });
    s.cost.publish(s.agg, NOON + 60);
    expect(s.periods()).toEqual({});
  });

  it('keeps coverage through a checkpoint; an older checkpoint without it starts coverage at its oldest day', () => {
    const s = setup();
    s.cost.add('gpt', MIDNIGHT - 8 * DAY, 1);
    const copy = new CostDays();
    copy.restore(s.cost.toJSON().days, s.cost.toJSON().since);
    copy.publish(s.agg, NOON);
    expect(s.periods()).toMatchObject({ today: 0, yesterday: 0, trailing_7d: 0 });
    const old = new CostDays();
    old.restore({ gpt: { [String(MIDNIGHT - DAY)]: 4 } }, undefined);
    const t = setup();
    old.publish(t.agg, NOON);
    expect(t.periods()).toEqual({ today: 0, yesterday: 4 });
  });
});
