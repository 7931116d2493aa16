// The checkpoint survives damage: a checksum mismatch or a torn write falls back to the previous one.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';

const FILE = 'ingest-checkpoint.json';

describe('the ingest checkpoint', () => {
  it('reads back the newest state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    await writeCheckpoint(dir, { n: 1 });
    await writeCheckpoint(dir, { n: 2, text: 'quotes " and \\ and\nnewlines' });
    expect(readCheckpoint(dir)).toEqual({ state: { n: 2, text: 'quotes " and \\ and\nnewlines' }, corrupt: false });
  });

  it.each([
    ['a flipped byte in the body', (t: string) => t.replace('"n":2', '"n":3')],
    ['a torn write', (t: string) => t.slice(0, t.length - 5)],
    ['an empty file', () => ''],
  ])('falls back to the previous checkpoint after %s', async (_, damage) => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    await writeCheckpoint(dir, { n: 1 });
    await writeCheckpoint(dir, { n: 2 });
    writeFileSync(join(dir, FILE), damage(readFileSync(join(dir, FILE), 'utf8')));
    expect(readCheckpoint(dir)).toEqual({ state: { n: 1 }, corrupt: true });
  });

  it('reads checkpoints written in the earlier one-line format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const body = JSON.stringify({ n: 7 });
    writeFileSync(join(dir, FILE), `${JSON.stringify({ sha256: createHash('sha256').update(body).digest('hex'), body })}\n`);
    expect(readCheckpoint(dir)).toEqual({ state: { n: 7 }, corrupt: false });
  });
});
