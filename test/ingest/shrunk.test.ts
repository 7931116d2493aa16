// A file seen shorter than the cursor but with the same first bytes (a stale size, or the log
// restored from an older copy) is not a truncation: it is not read again from the start (which
// doubled every count), it is counted once as kind="shrunk", and reading resumes once the file
// grows past the cursor. A real truncation (new first bytes) is still read from the start.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlTailer } from '../../src/sources/logs/jsonl.js';

const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => `${JSON.stringify({ id: from + i, pad: 'x'.repeat(40) })}\n`).join('');

async function collect(t: JsonlTailer) {
  const seen: number[] = [];
  const anomalies: string[] = [];
  await t.poll({ line: (b, s, e) => seen.push(JSON.parse(b.toString('utf8', s, e)).id as number), oversize: () => undefined, anomaly: (k) => anomalies.push(k) });
  return { seen, anomalies };
}

describe('a file shorter than its cursor', () => {
  it('with the same first bytes: no re-read, counted once, resumes when it grows past the cursor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shrunk-'));
    const file = join(dir, 'p-1.jsonl');
    writeFileSync(file, lines(0, 100));
    const t = new JsonlTailer(join(dir, 'p-*.jsonl'));
    expect((await collect(t)).seen).toHaveLength(100);
    // An older copy (the first 60 lines) put back in place.
    writeFileSync(file, readFileSync(file, 'utf8').split('\n').slice(0, 60).join('\n') + '\n');
    const a = await collect(t);
    expect(a).toEqual({ seen: [], anomalies: ['shrunk'] });
    expect(await collect(t)).toEqual({ seen: [], anomalies: [] });
    // It grows back past the cursor with lines 60..119: only what lies past the cursor is new.
    appendFileSync(file, lines(60, 60));
    expect((await collect(t)).seen).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
  });

  it('with new first bytes: a truncation, read from the start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trunc-'));
    const file = join(dir, 'p-1.jsonl');
    writeFileSync(file, lines(0, 100));
    const t = new JsonlTailer(join(dir, 'p-*.jsonl'));
    await collect(t);
    writeFileSync(file, lines(500, 30));
    expect(await collect(t)).toEqual({ seen: Array.from({ length: 30 }, (_, i) => 500 + i), anomalies: ['truncated'] });
  });
});
