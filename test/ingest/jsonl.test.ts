// Log rotation and truncation cases for the JSONL tailer, each against an oracle: every line
// written is read exactly once, except truncation while stopped, which is detected and counted.
import { appendFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlTailer, type Anomaly } from '../../src/sources/logs/jsonl.js';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tail-'));
  const seen: string[] = [];
  const anomalies: Anomaly[] = [];
  let oversize = 0;
  const events = { line: (b: Buffer, s: number, e: number) => void seen.push(b.toString('utf8', s, e)), oversize: () => void oversize++, anomaly: (k: Anomaly) => void anomalies.push(k) };
  const tailer = new JsonlTailer(join(dir, 'pred-*.jsonl'), 200);
  const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `{"n":${from + i}}\n`).join('');
  return { dir, seen, anomalies, events, tailer, lines, oversize: () => oversize };
}

const ns = (seen: string[]) => seen.map((l) => (JSON.parse(l) as { n: number }).n);
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('the JSONL tailer', () => {
  it('reads appended lines once', async () => {
    const t = setup();
    writeFileSync(join(t.dir, 'pred-a.jsonl'), t.lines(0, 10));
    await t.tailer.poll(t.events);
    appendFileSync(join(t.dir, 'pred-a.jsonl'), t.lines(10, 15));
    await t.tailer.poll(t.events);
    await t.tailer.poll(t.events);
    expect(ns(t.seen)).toEqual(range(0, 15));
  });

  it('holds a partial last line until its newline arrives', async () => {
    const t = setup();
    const file = join(t.dir, 'pred-a.jsonl');
    writeFileSync(file, '{"n":0}\n{"n":');
    await t.tailer.poll(t.events);
    expect(ns(t.seen)).toEqual([0]);
    appendFileSync(file, '1}\n');
    await t.tailer.poll(t.events);
    expect(ns(t.seen)).toEqual([0, 1]);
  });

  it('follows rotation by rename and create, draining the renamed file when it still matches', async () => {
    const t = setup();
    const file = join(t.dir, 'pred-a.jsonl');
    writeFileSync(file, t.lines(0, 5));
    await t.tailer.poll(t.events);
    appendFileSync(file, t.lines(5, 8));
    renameSync(file, join(t.dir, 'pred-a.1.jsonl'));
    writeFileSync(file, t.lines(8, 12));
    await t.tailer.poll(t.events);
    expect(ns(t.seen).sort((a, b) => a - b)).toEqual(range(0, 12));
  });

  it('restarts a file truncated in place (copytruncate) from its beginning', async () => {
    const t = setup();
    const file = join(t.dir, 'pred-a.jsonl');
    writeFileSync(file, t.lines(0, 6));
    await t.tailer.poll(t.events);
    truncateSync(file, 0);
    appendFileSync(file, t.lines(6, 8));
    await t.tailer.poll(t.events);
    expect(ns(t.seen)).toEqual(range(0, 8));
    expect(t.anomalies).toEqual(['truncated']);
  });

  it('detects a file truncated and regrown past its offset while stopped', async () => {
    const t = setup();
    const file = join(t.dir, 'pred-a.jsonl');
    writeFileSync(file, t.lines(0, 5));
    await t.tailer.poll(t.events);
    const saved = structuredClone(t.tailer.state);
    // Stopped: the file is truncated and rewritten with more data than the saved offset.
    truncateSync(file, 0);
    appendFileSync(file, t.lines(100, 120));
    const restarted = new JsonlTailer(join(t.dir, 'pred-*.jsonl'), 200);
    restarted.restore(saved);
    await restarted.poll(t.events);
    expect(t.anomalies).toEqual(['truncated_while_down']);
    expect(ns(t.seen)).toEqual([...range(0, 5), ...range(100, 120)]);
  });

  it('skips and counts a line over the size limit, even across polls', async () => {
    const t = setup();
    const file = join(t.dir, 'pred-a.jsonl');
    writeFileSync(file, `{"n":0}\n{"pad":"${'x'.repeat(300)}`);
    await t.tailer.poll(t.events);
    appendFileSync(file, `${'y'.repeat(50)}"}\n{"n":1}\n`);
    await t.tailer.poll(t.events);
    expect(ns(t.seen)).toEqual([0, 1]);
    expect(t.oversize()).toBe(1);
  });

  it('drains a backlog larger than a batch in one poll, lines split across batches included', async () => {
    const t = setup();
    // 64-byte batches and 32-byte lines: most lines straddle two batches; an oversize line spans several.
    const tailer = new JsonlTailer(join(t.dir, 'pred-*.jsonl'), 32, 64);
    writeFileSync(join(t.dir, 'pred-a.jsonl'), `${t.lines(0, 40)}{"pad":"${'x'.repeat(150)}"}\r\n${t.lines(40, 60)}`);
    await tailer.poll(t.events);
    expect(ns(t.seen)).toEqual(range(0, 60));
    expect(t.oversize()).toBe(1);
  });

  it('stops between batches when the poll is aborted, and resumes where it stopped', async () => {
    const t = setup();
    const tailer = new JsonlTailer(join(t.dir, 'pred-*.jsonl'), 32, 64);
    writeFileSync(join(t.dir, 'pred-a.jsonl'), t.lines(0, 100));
    const controller = new AbortController();
    const events = { ...t.events, line: (b: Buffer, s: number, e: number) => { t.events.line(b, s, e); if (t.seen.length === 10) controller.abort(); } };
    await tailer.poll(events, controller.signal);
    expect(t.seen.length).toBeLessThan(100);
    await tailer.poll(t.events);
    expect(ns(t.seen)).toEqual(range(0, 100));
  });

  it('reads a file replaced under the same identity from its start, not from the old offset', async () => {
    const t = setup();
    const file = join(t.dir, 'pred-a.jsonl');
    writeFileSync(file, t.lines(0, 5));
    await t.tailer.poll(t.events);
    // Rewritten in place (same inode, as when a deleted file's inode is reused), longer than before.
    writeFileSync(file, t.lines(100, 110));
    await t.tailer.poll(t.events);
    expect(ns(t.seen)).toEqual([...range(0, 5), ...range(100, 110)]);
    expect(t.anomalies).toEqual(['replaced']);
  });

  it('reads two files with identical first bytes as two files', async () => {
    const t = setup();
    writeFileSync(join(t.dir, 'pred-a.jsonl'), t.lines(0, 3));
    writeFileSync(join(t.dir, 'pred-b.jsonl'), t.lines(0, 3));
    await t.tailer.poll(t.events);
    expect(t.seen.length).toBe(6);
  });

  it('forgets deleted files and waits for a missing directory', async () => {
    const t = setup();
    const missing = new JsonlTailer(join(t.dir, 'nope', 'pred-*.jsonl'));
    await missing.poll(t.events);
    expect(t.seen).toEqual([]);
  });
});
