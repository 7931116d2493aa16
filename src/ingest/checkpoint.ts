// One atomic checkpoint of cursors and aggregates together: write a temp file, fsync, keep the
// previous checkpoint, rename, fsync the directory. A checkpoint that fails its checksum is
// ignored in favour of the previous one (promtail's truncated positions file, loki#1457).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = 'ingest-checkpoint.json';
const digest = (body: string) => createHash('sha256').update(body).digest('hex');

export async function writeCheckpoint(dir: string, state: unknown): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const body = JSON.stringify(state);
  const path = join(dir, FILE);
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    // A header line with the checksum, then the body as is (not escaped into a string a second time).
    await fh.writeFile(`${JSON.stringify({ sha256: digest(body) })}\n${body}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try { await rename(path, `${path}.prev`); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
  await rename(tmp, path);
  const d = await open(dir, 'r');
  try { await d.sync(); } finally { await d.close(); }
}

function readOne(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  const nl = text.indexOf('\n');
  const header = JSON.parse(text.slice(0, nl)) as { sha256: string; body?: string };
  // Checkpoints written before the header-line format hold the body inside the header.
  const body = header.body ?? text.slice(nl + 1, text.endsWith('\n') ? -1 : undefined);
  if (digest(body) !== header.sha256) throw new Error('checksum mismatch');
  return JSON.parse(body);
}

/**
 * The newest checkpoint that passes its checksum and `accept` (its shape), or null; `corrupt`
 * tells whether a damaged one was skipped. A checksum only proves the bytes are as written, not
 * that they are a checkpoint this version can use.
 */
export function readCheckpoint(dir: string, accept: (state: unknown) => boolean = () => true): { state: unknown; corrupt: boolean } {
  const path = join(dir, FILE);
  let corrupt = false;
  for (const candidate of [path, `${path}.prev`]) {
    try {
      const state = readOne(candidate);
      if (accept(state)) return { state, corrupt };
      corrupt = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') corrupt = true;
    }
  }
  return { state: null, corrupt };
}
