// A checkpoint written before errors, latency, cost and feedback carried the segment restores
// into the new keys: the old totals land in segment "default" and go on from there.
import { describe, expect, it } from 'vitest';
import { M } from '../../src/catalog/metrics.js';
import { Aggregates } from '../../src/ingest/aggregates.js';
import { SeriesBudget } from '../../src/catalog/policy.js';

describe('restoring an older checkpoint', () => {
  it('puts totals without a segment into segment "default" and keeps counting there', () => {
    const agg = new Aggregates({ seriesCap: 100, budget: new SeriesBudget(100), allowed: new Map([['segment', new Set(['default', 'web'])]]) });
    agg.restore({
      counters: { [M.predictionErrors.name]: { 'm\u0000v1\u0000timeout': 7 }, [M.predictions.name]: { 'm\u0000v1\u0000default': 70 } },
      gauges: {},
      histograms: { [M.predictionDuration.name]: { 'm\u0000v1': { buckets: new Array(M.predictionDuration.buckets?.length ?? 0).fill(1), sum: 0.5, count: 1 } } },
      dropped: {},
    });
    agg.inc(M.predictionErrors, { model: 'm', version: 'v1', reason: 'timeout', segment: 'default' });
    agg.inc(M.predictionErrors, { model: 'm', version: 'v1', reason: 'timeout', segment: 'web' });
    const errors = agg.samples(M.predictionErrors).map((s) => [s.labels.segment, s.value]).sort();
    expect(errors).toEqual([['default', 8], ['web', 1]]);
    expect(agg.samples(M.predictionDuration).find((s) => s.metricName?.endsWith('_count'))?.labels).toEqual({ model: 'm', version: 'v1', segment: 'default' });
    expect(agg.samples(M.predictions)[0]?.value).toBe(70);
  });
});
