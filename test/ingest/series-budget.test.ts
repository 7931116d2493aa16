// The series budget is charged for series that exist, once each. Records whose raw version is
// new every time (build ids) fold into version="other"; handles for histograms they never feed
// used to charge the budget again for each raw value, until it was spent on nothing and another
// model's series were dropped.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';
import { M } from '../../src/catalog/metrics.js';

describe('the series budget', () => {
  it('survives 45,000 distinct raw versions folded to other, and still has room for another model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'budget-'));
    const lines = Array.from({ length: 45_000 }, (_, i) => JSON.stringify({ model: 'a', v: `build-${i}`, seg: `user-${i}`, ts: 1_800_000_000 }));
    lines.push(JSON.stringify({ model: 'b', v: 'v1', seg: 'web', ts: 1_800_000_000, lat: 0.2 }));
    writeFileSync(join(dir, 'p-1.jsonl'), `${lines.join('\n')}\n`);
    const loaded = parseConfig(`version: 1
exporter: {series_limit: 1000}
log_stores: [{name: s, kind: jsonl, path: "${dir}/p-*.jsonl", fields: {model: model, version: v, segment: seg, timestamp: ts, latency: lat}}]
models:
  - {name: a, task: llm, log_store: s, versions: [v1], segments: [web]}
  - {name: b, task: llm, log_store: s, versions: [v1], segments: [web]}
`, 't.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const policy = labelPolicy(loaded.model, 1000);
    const p = new IngestPipeline(loaded.model, { registry: new Registry(), policy, stateDir: mkdtempSync(join(tmpdir(), 'st-')), now: () => 1_800_000_100 });
    await p.poll('s');
    expect(p.aggregates.samples(M.predictions).find((x) => x.labels.model === 'a' && x.labels.version === 'other')?.value).toBe(45_000);
    // Model b's latency histogram got its series: the budget was not spent on handles.
    expect(p.aggregates.samples(M.predictionDuration).some((x) => x.labels.model === 'b')).toBe(true);
    expect(policy.budget.used).toBeLessThan(200);
    expect(Object.values(p.aggregates.droppedSeries).reduce((n, x) => n + x, 0)).toBe(0);
  });
});
