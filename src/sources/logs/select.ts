// Selective JSON: read a record line, as bytes, into only the fields the config maps, validating
// the whole line as JSON.parse would. JSON.parse builds every key and number of a 20-feature
// record and costs as much as the rest of the ingest path together; the scanner (scan.ts) walks
// the bytes once, decodes no text nobody reads, and writes mapped numbers into a Float64Array
// (PERFORMANCE.md W1). This file says where each mapped path lands (slots).
//
// JSON.parse stays the judge: a line the scanner rejects (or declines: deep nesting) is decoded
// and parsed again with JSON.parse, which throws for malformed lines; mapped values are exactly
// JSON.parse's (numbers by an exact fast path or Number(), strings with escapes or non-ASCII
// bytes decoded as a whole-line decode would). Fuzz-tested against JSON.parse (select.test.ts).
import { getPathParts } from '../path.js';
import { ABSENT, FieldRecord } from './record.js';
import { scan } from './scan.js';
import { hashOf, type Node } from './scan-node.js';
import { parseJson } from './nonfinite.js';

interface TrieNode { mapped: boolean; slot: number; children: Map<string, TrieNode> }

/**
 * Where each mapped path lands: paths are key lists (`['out', 'score']`, feature names may hold
 * dots); each gets a slot. A path under another mapped path is read from that value after the scan.
 */
export class FieldLayout {
  readonly slots: number;
  /** A slot never mapped, always absent: where unmapped fields read. */
  readonly absent: number;
  private readonly root: Node;
  private readonly derived: { slot: number; from: number; parts: string[] }[] = [];
  private readonly paths: string[][] = [];

  constructor(paths: readonly (readonly string[])[]) {
    const trie: TrieNode = { mapped: false, slot: -1, children: new Map() };
    for (const parts of paths) {
      if (!parts.length) continue;
      let node = trie;
      for (const p of parts) {
        let next = node.children.get(p);
        if (!next) node.children.set(p, (next = { mapped: false, slot: -1, children: new Map() }));
        node = next;
      }
      node.mapped = true;
    }
    // Slots in depth-first order, so the slots under a node are one contiguous range.
    let next = 0;
    const number = (t: TrieNode, under: number, rest: string[]): void => {
      for (const [key, child] of t.children) {
        const path = [...rest, key];
        if (child.mapped) {
          child.slot = next++;
          this.paths[child.slot] = under >= 0 ? [...(this.paths[under] as string[]), ...path] : path;
          if (under >= 0) this.derived.push({ slot: child.slot, from: under, parts: path });
        }
        if (under >= 0) number(child, under, path);
        else if (child.mapped) number(child, child.slot, []);
        else number(child, -1, path);
      }
    };
    number(trie, -1, []);
    this.slots = next;
    this.absent = next;
    this.root = build(trie);
  }

  /** The slot of a path (the absent slot when it is not in the layout). */
  slot(parts: readonly string[]): number {
    const s = this.paths.findIndex((p) => p.length === parts.length && p.every((x, i) => x === parts[i]));
    return s < 0 ? this.absent : s;
  }

  record(): FieldRecord {
    return new FieldRecord(this.slots + 1);
  }

  /** Fills rec from an already-parsed record (PostgreSQL rows, Elasticsearch documents, lines that are not objects). */
  fill(obj: unknown, rec: FieldRecord): void {
    for (let s = 0; s < this.slots; s++) rec.set(s, getPathParts(obj, this.paths[s] as string[]));
  }

  /**
   * Reads the line in bytes [start, end) into rec: only mapped fields, each exactly as
   * JSON.parse reads the decoded line. Throws SyntaxError where JSON.parse would; returns
   * whether the line is an object (or array) at all.
   */
  read(bytes: Buffer, start: number, end: number, rec: FieldRecord): boolean {
    rec.kinds.fill(ABSENT);
    let scanned = false;
    try {
      scanned = scan(bytes, start, end, this.root, rec);
    } catch (e) {
      if (!(e instanceof SyntaxError) && !(e instanceof RangeError)) throw e;
    }
    if (!scanned) {
      rec.kinds.fill(ABSENT);
      const parsed = parseJson(bytes.toString('utf8', start, end));
      this.fill(parsed, rec);
      // A record is a JSON object: an array or a scalar is well-formed JSON but no record.
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
    }
    for (const d of this.derived) rec.set(d.slot, getPathParts(rec.value(d.from), d.parts));
    return true;
  }
}

function build(t: TrieNode): Node {
  const keys = [...t.children.keys()];
  let size = 8;
  while (size < keys.length * 2) size *= 2;
  const table = new Int32Array(size);
  const bytes = keys.map((k) => Buffer.from(k, 'utf8'));
  const hashes = Int32Array.from(bytes, hashOf);
  keys.forEach((_, i) => {
    let at = (hashes[i] as number) & (size - 1);
    while (table[at] !== 0) at = (at + 1) & (size - 1);
    table[at] = i + 1;
  });
  const nodes = keys.map((k) => t.children.get(k) as TrieNode);
  const under: number[] = [];
  const gather = (x: TrieNode): void => { for (const c of x.children.values()) { if (c.slot >= 0) under.push(c.slot); gather(c); } };
  gather(t);
  return {
    keys, hashes, table, mask: size - 1,
    slots: Int32Array.from(nodes, (n) => n.slot),
    // Under a key read whole nothing is scanned: derived slots read the value.
    children: nodes.map((n) => (n.slot < 0 ? build(n) : null)),
    first: under.length ? Math.min(...under) : 0,
    end: under.length ? Math.max(...under) + 1 : 0,
    bytes,
    plain: Uint8Array.from(bytes, (k) => (k.length && k.every((c) => c !== 34 && c !== 92 && c >= 32) ? 1 : 0)),
    next: new Int32Array(keys.length + 1).fill(-1),
  };
}
