// The exposition only ever serves counts a checkpoint holds. While a long log poll is in flight,
// another source's poll can render the exposition; if it showed the records read so far and the
// process then died before the checkpoint, the restarted exporter would serve lower counts and
// rate() would see a reset. Here the registry is read mid-poll, as such a render would.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';

const value = async (registry: Registry) => {
  const text = await registry.getSingleMetricAsString('modelwatch_predictions_total');
  const line = text.split('\n').find((l) => l.startsWith('modelwatch_predictions_total{'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
};

describe('counts exposed during a poll', () => {
  it('are the last checkpointed ones, never the records read so far', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exposed-'));
    writeFileSync(join(dir, 'p-1.jsonl'), `${Array.from({ length: 300_000 }, (_, i) => JSON.stringify({ model: 'a', id: i, f: { x: i % 97 } })).join('\n')}\n`);
    const loaded = parseConfig(`version: 1\nlog_stores: [{name: s, kind: jsonl, path: "${dir}/p-*.jsonl", fields: {model: model, request_id: id, features: f}}]\nmodels: [{name: a, task: regression, log_store: s, features: [{name: x, type: numeric}]}]\n`, 't.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const registry = new Registry();
    const p = new IngestPipeline(loaded.model, { registry, policy: labelPolicy(loaded.model, 1000), stateDir: mkdtempSync(join(tmpdir(), 'st-')), now: () => 1_800_000_000 });
    let done = false;
    const poll = p.poll('s').then(() => { done = true; });
    const seen: number[] = [];
    // The reader yields every few milliseconds: read the exposition in those gaps.
    while (!done) {
      seen.push(await value(registry));
      await new Promise((r) => setImmediate(r));
    }
    await poll;
    expect(seen.length).toBeGreaterThan(3);
    expect(new Set(seen.filter((v) => v !== 0 && v !== 300_000))).toEqual(new Set());
    expect(await value(registry)).toBe(300_000);
  });
});
