// The label join at its boundaries: horizon ± 1 s on both sides of the join, max_pending ± 1,
// the quality window's first and last hour, delay histogram buckets, and state that stays flat
// whatever raw version strings arrive.
import { describe, expect, it } from 'vitest';
import { parseConfig, type Model, type ModelSpec } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { Aggregates } from '../../src/ingest/aggregates.js';
import { LabelJoin } from '../../src/ingest/labels.js';
import { M, type MetricDef } from '../../src/catalog/metrics.js';

const NOW = 1_800_000_000; // the start of a UTC hour
const HORIZON = 3600;

function setup(maxPending = 1000, window = '') {
  const loaded = parseConfig(`version: 1
log_stores:
  - {name: preds, kind: jsonl, path: /tmp/p.jsonl, fields: {request_id: id, prediction: out}}
  - {name: truth, kind: jsonl, path: /tmp/t.jsonl, fields: {request_id: id, label: label}}
label_sources: [{name: truth, log_store: truth, horizon: 1h, max_pending: ${maxPending}}]
models:
  - {name: m, task: classification, versions: [v1], log_store: preds, label_source: truth${window ? `, quality_window: ${window}` : ''}}
`, 'join.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const model: Model = loaded.model;
  const agg = new Aggregates(labelPolicy(model, 100_000));
  const join = new LabelJoin(model, agg);
  const m = model.models[0] as ModelSpec;
  const v = (def: MetricDef, labels: Record<string, string>) => agg.samples(def).find((s) => Object.entries(labels).every(([k, x]) => s.labels[k] === x))?.value ?? 0;
  return {
    join, agg, m, v,
    predict: (id: string, ts: number, out = 'a', version = 'v1') => join.expect(m, id, join.version(m, version), out, ts, NaN, NOW),
    label: (id: string, ts: number, actual = 'a') => join.label('truth', id, actual, ts, NOW),
    joined: () => v(M.labelsJoined, { model: 'm', version: 'v1' }),
    expired: () => v(M.labelsExpired, { model: 'm' }),
    unmatched: () => v(M.recordsRejected, { store: 'truth', reason: 'unmatched_label' }),
  };
}

describe('the label join at the horizon', () => {
  it('joins a label exactly one horizon after its prediction, not one second later', () => {
    const s = setup();
    s.predict('at', NOW - 2 * HORIZON);
    s.predict('past', NOW - 2 * HORIZON);
    s.label('at', NOW - HORIZON);
    s.label('past', NOW - HORIZON + 1);
    expect(s.joined()).toBe(1);
    expect(s.expired()).toBe(1);
    expect(s.unmatched()).toBe(1);
  });

  it('an early label joins a prediction one horizon older, not one second older', () => {
    const s = setup();
    s.label('at', NOW - 100);
    s.label('past', NOW - 100);
    expect(s.v(M.labelsEarly, { store: 'truth' })).toBe(2);
    s.predict('at', NOW - 100 - HORIZON);
    s.predict('past', NOW - 100 - HORIZON - 1);
    expect(s.joined()).toBe(1);
    expect(s.expired()).toBe(1);
    expect(s.unmatched()).toBe(1);
  });

  it('expires a waiting prediction once a label newer by more than the horizon was read', () => {
    const s = setup();
    s.predict('old', NOW - HORIZON - 1);
    s.predict('edge', NOW - HORIZON);
    s.join.publish(NOW);
    // No label read yet: label time has not moved, nothing expires (a backfill may be under way).
    expect(s.expired()).toBe(0);
    s.label('other', NOW);
    s.join.publish(NOW);
    expect(s.expired()).toBe(1);
    expect(s.v(M.labelsPending, { model: 'm' })).toBe(1);
    // The early label "other" still waits for its prediction.
    expect(s.v(M.labelsEarlyPending, { store: 'truth' })).toBe(1);
  });

  it('lets an early label go, as unmatched, once predictions newer by more than the horizon were read', () => {
    const s = setup();
    s.label('orphan', NOW - HORIZON - 10);
    s.label('kept', NOW - HORIZON - 9);
    s.predict('x', NOW - 9);
    s.join.publish(NOW);
    expect(s.unmatched()).toBe(1);
    expect(s.v(M.labelsEarlyPending, { store: 'truth' })).toBe(1);
  });
});

describe('max_pending', () => {
  it('holds exactly max_pending predictions; one more expires the oldest', () => {
    const s = setup(3);
    for (const id of ['p1', 'p2', 'p3']) s.predict(id, NOW - 10);
    s.join.publish(NOW);
    expect(s.v(M.labelsPending, { model: 'm' })).toBe(3);
    expect(s.expired()).toBe(0);
    s.predict('p4', NOW - 5);
    s.join.publish(NOW);
    expect(s.v(M.labelsPending, { model: 'm' })).toBe(3);
    expect(s.expired()).toBe(1);
    s.label('p1', NOW);
    s.label('p2', NOW);
    expect(s.joined()).toBe(1);
  });

  it('holds exactly max_pending early labels; one more drops the oldest as unmatched', () => {
    const s = setup(2);
    s.label('l1', NOW);
    s.label('l2', NOW);
    expect(s.unmatched()).toBe(0);
    s.label('l3', NOW);
    expect(s.unmatched()).toBe(1);
    s.predict('l1', NOW - 1);
    s.predict('l2', NOW - 1);
    expect(s.joined()).toBe(1);
  });

  it('counts a prediction replaced by a newer one with the same request id as expired', () => {
    const s = setup();
    s.predict('dup', NOW - 20, 'a');
    s.predict('dup', NOW - 10, 'b');
    s.label('dup', NOW, 'b');
    expect(s.expired()).toBe(1);
    expect(s.joined()).toBe(1);
    s.join.publish(NOW);
    expect(s.v(M.accuracy, { model: 'm', version: 'v1' })).toBe(1);
  });
});

describe('the quality window', () => {
  it('holds labels of the current hour and the 23 before it, by label time', () => {
    const s = setup();
    const first = NOW - 23 * 3600; // start of the oldest hour in the window
    s.predict('in', first - 60, 'a');
    s.predict('out', first - 60, 'b');
    s.label('in', first, 'a');
    s.label('out', first - 1, 'a'); // wrong, but one second before the window
    s.join.publish(NOW + 3599);
    expect(s.joined()).toBe(2);
    expect(s.v(M.qualityWindowLabels, { model: 'm', version: 'v1' })).toBe(1);
    expect(s.v(M.accuracy, { model: 'm', version: 'v1' })).toBe(1);
    // One hour later the first hour has left: no labels, no accuracy (not a stale 1).
    s.join.publish(NOW + 3600);
    expect(s.v(M.qualityWindowLabels, { model: 'm', version: 'v1' })).toBe(0);
    expect(s.agg.samples(M.accuracy).length).toBe(0);
  });

  it('slides a 24m quality_window in 24 one-minute steps', () => {
    const s = setup(1000, '24m');
    const first = NOW - 23 * 60; // start of the oldest minute in the window
    s.predict('in', first - 30, 'a');
    s.predict('out', first - 30, 'b');
    s.label('in', first, 'a');
    s.label('out', first - 1, 'a');
    s.join.publish(NOW + 59);
    expect(s.v(M.qualityWindowLabels, { model: 'm', version: 'v1' })).toBe(1);
    expect(s.v(M.accuracy, { model: 'm', version: 'v1' })).toBe(1);
    s.join.publish(NOW + 60);
    expect(s.agg.samples(M.accuracy).length).toBe(0);
  });

  it('puts each delay in its histogram bucket (upper bounds inclusive)', () => {
    const s = setup();
    for (const [id, delay] of [['d0', 0], ['d60', 60], ['d61', 61], ['d300', 300], ['d3600', 3600]] as const) {
      s.predict(id, NOW - 4000);
      s.label(id, NOW - 4000 + delay);
    }
    const bucket = (le: string) => s.agg.samples(M.labelDelay).find((x) => String(x.labels.le) === le)?.value;
    expect(bucket('60')).toBe(2);
    expect(bucket('300')).toBe(4);
    expect(bucket('900')).toBe(4);
    expect(bucket('3600')).toBe(5);
  });
});

describe('state bounded whatever the input', () => {
  it('1M distinct raw version strings keep the join state and checkpoint flat', () => {
    const s = setup(1000);
    const size = () => JSON.stringify(s.join.toJSON()).length;
    const batch = (from: number) => {
      for (let i = from; i < from + 500_000; i++) {
        s.join.expect(s.m, `r${i}`, s.join.version(s.m, `build-${i}`), 'a', NOW - 100, 0.9, NOW);
        if (i % 2 === 0) s.label(`r${i}`, NOW - 50);
      }
      s.join.publish(NOW);
    };
    batch(0);
    const after500k = size();
    batch(500_000);
    expect(size()).toBeLessThanOrEqual(after500k);
    expect(s.v(M.labelsJoined, { model: 'm', version: 'other' })).toBe(500_000);
    // Each version is one window key: "other" and nothing else.
    expect(Object.keys(s.join.toJSON().windows)).toEqual(['m\u0000other']);
  });
});
