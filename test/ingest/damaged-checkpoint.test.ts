// A damaged checkpoint never stops the exporter and is never silent: one with a valid checksum
// but the wrong shape (written by another version, or by hand) is skipped like a torn one, the
// previous checkpoint is used, and modelwatch_checkpoint_anomalies_total{kind="corrupt_checkpoint"}
// counts it after the restore (which used to overwrite the count).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';
import { M } from '../../src/catalog/metrics.js';

const FILE = 'ingest-checkpoint.json';
const sealed = (state: unknown) => { const body = JSON.stringify(state); return `${JSON.stringify({ sha256: createHash('sha256').update(body).digest('hex') })}\n${body}\n`; };

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'dmg-'));
  const state = mkdtempSync(join(tmpdir(), 'dmg-state-'));
  writeFileSync(join(dir, 'p-1.jsonl'), `${Array.from({ length: 10 }, (_, i) => JSON.stringify({ model: 'a', ts: 1_800_000_000 + i })).join('\n')}\n`);
  const loaded = parseConfig(`version: 1\nlog_stores: [{name: s, kind: jsonl, path: "${dir}/p-*.jsonl", fields: {model: model, timestamp: ts}}]\nmodels: [{name: a, task: llm, log_store: s}]\n`, 't.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const notes: string[] = [];
  const make = () => new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model, 1000), stateDir: state, now: () => 1_800_000_100, onCorruptCheckpoint: (w) => notes.push(w) });
  return { state, make, notes };
}
const predictions = (p: IngestPipeline) => p.aggregates.samples(M.predictions).reduce((n, x) => n + x.value, 0);
const anomalies = (p: IngestPipeline) => p.aggregates.samples(M.checkpointAnomalies).find((x) => x.labels.kind === 'corrupt_checkpoint')?.value ?? 0;

describe('a damaged checkpoint', () => {
  it.each([
    ['a valid checksum over the wrong shape', () => sealed({ version: 1, cursors: {}, aggregates: 5, drift: {}, labels: {} })],
    ['a valid checksum over another version', () => sealed({ version: 2, everything: 'else' })],
    ['a torn write', (t: string) => t.slice(0, t.length - 9)],
  ])('%s: the previous checkpoint is restored, the damage counted and logged', async (_name, damage) => {
    const s = setup();
    const first = s.make();
    await first.poll('s');
    await first.poll('s');
    expect(predictions(first)).toBe(10);
    // Two checkpoints now (the newest and .prev) hold the 10 records; damage the newest.
    writeFileSync(join(s.state, FILE), damage(readFileSync(join(s.state, FILE), 'utf8')));
    const second = s.make();
    expect(anomalies(second)).toBe(1);
    expect(s.notes).toHaveLength(1);
    await second.poll('s');
    expect(predictions(second)).toBe(10);
  });

  it('with no usable checkpoint at all: starts over, counts it, and does not crash', async () => {
    const s = setup();
    writeFileSync(join(s.state, FILE), sealed({ version: 1, cursors: [], aggregates: { counters: 1 }, drift: null, labels: 'x' }));
    const p = s.make();
    expect(anomalies(p)).toBe(1);
    await p.poll('s');
    expect(predictions(p)).toBe(10);
  });
});
