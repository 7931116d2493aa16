// Tails JSONL files matching a glob. A file is known by its identity (device + inode) and a
// fingerprint of its first bytes; the cursor is a byte offset after the last complete line.
// Handles rotation by rename (the new file starts at 0, the renamed one drains if still matched),
// copytruncate and truncation (size below the offset), truncate-and-regrow while stopped
// (fingerprint mismatch: detected and counted, never silently skipped), a file replaced under the
// same identity between polls (rewritten, or an inode reused: fingerprint checked before reading
// on), a partial last line
// (held until its newline arrives) and oversize lines (skipped and counted).
import { createHash } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import type { LogEvents, LogReader } from './types.js';

export type { Anomaly } from './types.js';
export interface FileCursor { path: string; offset: number; fingerprint: string; fingerprintBytes: number; skipping: boolean; /** Seen shorter than the cursor with the same first bytes (counted once, see poll). */ shrunk?: boolean }
export type TailerState = Record<string, FileCursor>;

export type TailerEvents = Pick<LogEvents, 'line' | 'oversize' | 'anomaly'>;

const FINGERPRINT_BYTES = 1024;
const YIELD_MS = 2;

function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}

async function fingerprint(path: string, bytes: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return createHash('sha256').update(buf.subarray(0, bytesRead)).digest('hex');
  } finally {
    await fh.close();
  }
}

export class JsonlTailer implements LogReader {
  state: TailerState = {};
  private restored = false;

  constructor(private readonly pattern: string, private readonly maxLineBytes = 1024 * 1024, private readonly maxBatchBytes = 4 * 1024 * 1024) {}

  restore(state: unknown): void {
    this.state = structuredClone(state as TailerState);
    this.restored = true;
  }

  private async matching(): Promise<{ path: string; id: string; size: number; mtimeMs: number }[]> {
    const dir = dirname(this.pattern);
    const re = globToRegExp(basename(this.pattern));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const files = [];
    for (const name of names.filter((n) => re.test(n))) {
      try {
        const s = await stat(join(dir, name));
        if (s.isFile()) files.push({ path: join(dir, name), id: `${s.dev}:${s.ino}`, size: s.size, mtimeMs: s.mtimeMs });
      } catch { /* removed between readdir and stat */ }
    }
    // Older files first, so a rotated file drains before its successor.
    return files.sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
  }

  /** Reads what is new since the last poll, calling events for each complete line. */
  async poll(events: TailerEvents, signal?: AbortSignal): Promise<void> {
    const files = await this.matching();
    const live = new Set(files.map((f) => f.id));
    for (const id of Object.keys(this.state)) if (!live.has(id)) delete this.state[id];
    const checkDown = this.restored;
    this.restored = false;
    for (const f of files) {
      if (signal?.aborted) return;
      let c = this.state[f.id];
      if (c && f.size < c.offset && c.fingerprintBytes > 0 && f.size >= c.fingerprintBytes && (await fingerprint(f.path, c.fingerprintBytes)) === c.fingerprint) {
        // Shorter than what was read, yet the same first bytes: not a truncation (those restart
        // with new content) but a size seen stale, or a log restored from an older copy. Reading
        // it again from the start would count every record twice; wait until it grows past the
        // cursor instead.
        if (!c.shrunk) events.anomaly('shrunk', f.path);
        c.shrunk = true;
        continue;
      }
      if (c) delete c.shrunk;
      if (c && f.size < c.offset) {
        events.anomaly('truncated', f.path);
        c = undefined;
      } else if (c && c.fingerprintBytes > 0 && (checkDown || f.size > c.offset) && (await fingerprint(f.path, c.fingerprintBytes)) !== c.fingerprint) {
        // Same identity, other first bytes: rewritten from the start, or a deleted file's inode
        // reused by a new one between polls. Reading on from the old offset would skip its start.
        events.anomaly(checkDown ? 'truncated_while_down' : 'replaced', f.path);
        c = undefined;
      }
      c ??= { path: f.path, offset: 0, fingerprint: '', fingerprintBytes: 0, skipping: false };
      c.path = f.path;
      this.state[f.id] = c;
      if (f.size > c.offset) await this.read(f.path, f.size, c, events, signal);
    }
  }

  private async read(path: string, size: number, c: FileCursor, events: TailerEvents, signal?: AbortSignal): Promise<void> {
    const fh = await open(path, 'r');
    // Two buffers: the next batch is read from disk while this one is parsed.
    const length = Math.min(size - c.offset, this.maxBatchBytes);
    const buffers = [Buffer.allocUnsafe(length), Buffer.allocUnsafe(length)] as const;
    let turn = 0;
    let pending: Promise<{ bytesRead: number }> | null = fh.read(buffers[0], 0, length, c.offset);
    try {
      while (pending) {
        const buf = buffers[turn] as Buffer;
        const bytesRead: number = (await pending).bytesRead;
        pending = null;
        // Where this batch ends: after its last newline, or all of it while an oversize line is skipped.
        const lastNl: number = bytesRead > 0 ? buf.lastIndexOf(10, bytesRead - 1) : -1;
        const tail: number = bytesRead - (lastNl + 1);
        const stillSkipping: boolean = lastNl < 0 && c.skipping;
        const startsSkipping: boolean = !stillSkipping && tail > this.maxLineBytes;
        const consumed: number = stillSkipping || startsSkipping ? bytesRead : lastNl + 1;
        const next: number = c.offset + consumed;
        if (consumed > 0 && next < size && !signal?.aborted) {
          turn = 1 - turn;
          pending = fh.read(buffers[turn] as Buffer, 0, Math.min(length, size - next), next);
        }
        await this.lines(buf, lastNl, c, events);
        if (startsSkipping) {
          events.oversize();
          c.skipping = true;
        }
        c.offset = next;
      }
      if (c.fingerprintBytes < FINGERPRINT_BYTES && c.offset > c.fingerprintBytes) {
        c.fingerprintBytes = Math.min(FINGERPRINT_BYTES, c.offset);
        c.fingerprint = await fingerprint(path, c.fingerprintBytes);
      }
    } finally {
      await pending?.catch(() => undefined);
      await fh.close();
    }
  }

  /** The complete lines of a batch, up to its last newline at lastNl. */
  private async lines(buf: Buffer, lastNl: number, c: FileCursor, events: TailerEvents): Promise<void> {
    let start = 0;
    let lines = 0;
    let since = performance.now();
    for (let nl = lastNl < 0 ? -1 : buf.indexOf(10, 0); nl !== -1 && nl <= lastNl; nl = buf.indexOf(10, start)) {
      if (c.skipping) c.skipping = false;
      else if (nl - start > this.maxLineBytes) events.oversize();
      else if (nl > start) events.line(buf, start, buf[nl - 1] === 13 ? nl - 1 : nl);
      start = nl + 1;
      if (nl === lastNl) break;
      // Yield every few milliseconds (checked every 256 lines): a scrape waits for at most one
      // slice of parsing per I/O turn, not for a whole batch.
      if ((++lines & 255) === 0 && performance.now() - since > YIELD_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        since = performance.now();
      }
    }
  }
}
