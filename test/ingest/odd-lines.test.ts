// Lines that are JSON but not records (an array, a number, a string, null) are malformed, not
// records of an unknown model: the reason must point at the producer's format, not the config.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';
import { M } from '../../src/catalog/metrics.js';

describe('JSON lines that are not records', () => {
  it('counts arrays, scalars and null as malformed, and reads the record next to them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odd-'));
    writeFileSync(join(dir, 'p-1.jsonl'), ['[1,2,3]', '42', '"text"', 'null', '[{"model":"a"}]', '{"model":"a","ts":1800000000}'].join('\n') + '\n');
    const loaded = parseConfig(`version: 1\nlog_stores: [{name: s, kind: jsonl, path: "${dir}/p-*.jsonl", fields: {model: model, timestamp: ts}}]\nmodels: [{name: a, task: llm, log_store: s}, {name: b, task: llm, log_store: s}]\n`, 't.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const p = new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model, 1000), stateDir: mkdtempSync(join(tmpdir(), 'st-')), now: () => 1_800_000_100 });
    await p.poll('s');
    const rejected = (reason: string) => p.aggregates.samples(M.recordsRejected).find((x) => x.labels.reason === reason)?.value ?? 0;
    expect(rejected('malformed')).toBe(5);
    expect(rejected('unknown_model')).toBe(0);
    expect(p.aggregates.samples(M.predictions).reduce((n, x) => n + x.value, 0)).toBe(1);
  });
});

describe('label values that are Object.prototype names', () => {
  it('counts a model named constructor like any other, across a checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctor-'));
    const state = mkdtempSync(join(tmpdir(), 'st-'));
    writeFileSync(join(dir, 'p-1.jsonl'), `${JSON.stringify({ model: 'constructor', ts: 1_800_000_000, f: { x: 'bad' } })}\n`);
    const loaded = parseConfig(`version: 1\nlog_stores: [{name: s, kind: jsonl, path: "${dir}/p-*.jsonl", fields: {model: model, timestamp: ts, features: f}}]\nmodels: [{name: constructor, task: regression, log_store: s, features: [{name: x, type: numeric}]}]\n`, 't.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const make = () => new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model, 1000), stateDir: state, now: () => 1_800_000_100 });
    const p = make();
    await p.poll('s');
    const count = (q: IngestPipeline) => q.aggregates.samples(M.schemaViolations).find((x) => x.labels.model === 'constructor')?.value;
    expect(count(p)).toBe(1);
    const restored = make();
    await restored.poll('s');
    expect(count(restored)).toBe(1);
  });
});
