// The byte-level JSON scanner behind FieldLayout.read (select.ts): validates a whole line as
// JSON.parse would and writes only the keys of a Node tree into a FieldRecord. Throws SyntaxError
// (or RangeError on deep nesting) for anything it will not read; the caller then asks JSON.parse.
import { parseJson } from './nonfinite.js';
import { ABSENT, NUMBER, VALUE, type FieldRecord } from './record.js';
import type { Node } from './scan-node.js';

/** Whether the key guessed is, byte for byte, the string whose opening quote is at i. */
function matches(node: Node, guess: number, i: number): boolean {
  if (node.plain[guess] !== 1) return false;
  const key = node.bytes[guess] as Buffer;
  const len = key.length;
  if (i + len + 2 > limit || b[i + len + 1] !== 34) return false;
  for (let j = 0; j < len; j++) if (key[j] !== b[i + 1 + j]) return false;
  return true;
}

// The scan state, module-level so the hot functions pass only an index.
let b: Buffer = Buffer.alloc(0);
let limit = 0;
/** Set by str(): hash of the string's bytes, whether it had escapes, whether it was ASCII. */
let strHash = 0;
let strEscaped = false;
let strAscii = true;
/** Set by num(): the index after the number it returned. */
let pos = 0;

/** Buffer's own latin1 decoder, without toString's argument handling (ASCII bytes only reach it). */
const latin1 = (from: number, to: number): string => (b as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(from, to);

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

function fail(): never {
  throw new SyntaxError('invalid JSON');
}

/** The byte at i, or -1 past the line. */
function at(i: number): number {
  return i < limit ? (b[i] as number) : -1;
}

function ws(i: number): number {
  const bytes = b;
  const lim = limit;
  let c = i < lim ? (bytes[i] as number) : -1;
  while (c === 32 || c === 10 || c === 13 || c === 9) c = ++i < lim ? (bytes[i] as number) : -1;
  return i;
}

export function scan(bytes: Buffer, start: number, end: number, root: Node, rec: FieldRecord): boolean {
  b = bytes;
  limit = end;
  const i = ws(start);
  if (at(i) !== 123) return false;
  return ws(object(i, root, rec)) === end;
}

/** Passes the string whose opening quote is at i; returns the index after its closing quote. */
function str(i: number): number {
  let h = 0;
  let high = 0;
  strEscaped = false;
  const bytes = b;
  const lim = limit;
  for (i++; ; i++) {
    const c = i < lim ? (bytes[i] as number) : -1;
    if (c === 34) break;
    if (c === 92) {
      strEscaped = true;
      const e = at(++i);
      // " \ / b f n r t
      if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) continue;
      if (e !== 117) fail();
      for (let k = 0; k < 4; k++) {
        const x = at(++i);
        if (!((x >= 48 && x <= 57) || (x >= 65 && x <= 70) || (x >= 97 && x <= 102))) fail();
      }
    } else if (c < 32) fail(); // control characters, and -1 past the line
    h = (Math.imul(h, 31) + c) | 0;
    high |= c;
  }
  strHash = h & 0x3fffffff; // a small integer: int32 hashes beyond it would be boxed
  strAscii = high < 128;
  return i + 1;
}

/**
 * The number at i (its end in pos). Up to 15 significant digits and no exponent: the digits
 * as an exact integer divided by an exact power of ten, one correctly rounded operation
 * (Clinger's fast path), so the same double as JSON.parse; otherwise Number() of the text.
 */
function num(i: number): number {
  // Returns the value, not the index: a double kept in a module variable would be boxed on every store.
  const bytes = b;
  const lim = limit;
  const start = i;
  let c = at(i);
  const negative = c === 45;
  if (negative) c = at(++i);
  // Python's json writes NaN, Infinity and -Infinity by default: read them as the non-finite
  // numbers they stand for (the feature counts a type error), not as a malformed record.
  if (c === 73) {
    literal(i, INFINITY);
    return negative ? -Infinity : Infinity;
  }
  if (c === 78 && !negative) {
    literal(i, NAN);
    return NaN;
  }
  let mantissa = 0;
  let digits = 0;
  if (c === 48) c = at(++i);
  else if (c >= 49 && c <= 57) {
    do { mantissa = mantissa * 10 + (c - 48); digits++; c = ++i < lim ? (bytes[i] as number) : -1; } while (c >= 48 && c <= 57);
  } else fail();
  let decimals = 0;
  if (c === 46) {
    c = at(++i);
    if (!(c >= 48 && c <= 57)) fail();
    do { mantissa = mantissa * 10 + (c - 48); decimals++; if (mantissa !== 0) digits++; c = ++i < lim ? (bytes[i] as number) : -1; } while (c >= 48 && c <= 57);
  }
  let exponent = false;
  if (c === 101 || c === 69) {
    exponent = true;
    c = at(++i);
    if (c === 43 || c === 45) c = at(++i);
    if (!(c >= 48 && c <= 57)) fail();
    do c = at(++i); while (c >= 48 && c <= 57);
  }
  if (!exponent && digits <= 15 && decimals <= 22) {
    const v = decimals ? mantissa / (POW10[decimals] as number) : mantissa;
    pos = i;
    return negative ? -v : v;
  }
  pos = i;
  return Number(latin1(start, i));
}

const LITERALS = [Buffer.from('true'), Buffer.from('false'), Buffer.from('null')] as const;
const INFINITY = Buffer.from('Infinity');
const NAN = Buffer.from('NaN');

/** Passes the literal `w` at i; sets pos after it. */
function literal(i: number, w: Buffer): void {
  for (let j = 0; j < w.length; j++) if (at(i + j) !== w[j]) fail();
  pos = i + w.length;
}

/** Whether the byte starts a number token (digits, minus, or Python's NaN / Infinity). */
const numberStart = (c: number) => c === 45 || (c >= 48 && c <= 57) || c === 73 || c === 78;

/** Passes the value at i (after whitespace); returns the index after it. */
function skip(i: number): number {
  const c = at(i);
  if (c === 34) return str(i);
  if (numberStart(c)) {
    num(i);
    return pos;
  }
  if (c === 123 || c === 91) {
    const close = c === 123 ? 125 : 93;
    i = ws(i + 1);
    if (at(i) === close) return i + 1;
    for (;;) {
      if (close === 125) {
        if (at(i) !== 34) fail();
        i = ws(str(i));
        if (at(i) !== 58) fail();
        i = ws(i + 1);
      }
      i = ws(skip(i));
      const d = at(i++);
      if (d === close) return i;
      if (d !== 44) fail();
      i = ws(i);
    }
  }
  const word = LITERALS[c === 116 ? 0 : c === 102 ? 1 : 2];
  for (let j = 0; j < word.length; j++) if (at(i + j) !== word[j]) fail();
  return i + word.length;
}

/** The index of the key in bytes [start, end) in node, or -1. */
function find(node: Node, start: number, end: number, h: number): number {
  const len = end - start;
  for (let slot = h & node.mask; ; slot = (slot + 1) & node.mask) {
    const e = node.table[slot] as number;
    if (e === 0) return -1;
    const k = e - 1;
    if (node.hashes[k] === h) {
      const key = node.keys[k] as string;
      if (key.length === len) {
        let j = 0;
        while (j < len && key.charCodeAt(j) === b[start + j]) j++;
        if (j === len) return k;
      }
    }
  }
}

/** Scans the object at i (at its brace) into rec; returns the index after it. */
function object(i: number, node: Node, rec: FieldRecord): number {
  i = ws(i + 1);
  if (at(i) === 125) return i + 1;
  let previous = 0;
  for (;;) {
    if (at(i) !== 34) fail();
    let k = previous >= 0 ? (node.next[previous] as number) : -1;
    if (k >= 0 && matches(node, k, i)) i += (node.bytes[k] as Buffer).length + 2;
    else {
      const start = i + 1;
      i = str(i);
      // ASCII keys match by bytes; others are decoded first.
      k = !strEscaped && strAscii ? find(node, start, i - 1, strHash) : node.keys.indexOf(JSON.parse(b.toString('utf8', start - 1, i)) as string);
      if (previous >= 0 && k >= 0) node.next[previous] = k;
    }
    previous = k >= 0 ? k + 1 : -1;
    i = ws(i);
    if (at(i) !== 58) fail();
    i = ws(i + 1);
    if (k < 0) i = skip(i);
    else {
      const child = node.children[k];
      if (child) {
        rec.kinds.fill(ABSENT, child.first, child.end);
        const c = at(i);
        // Not an object: nothing under it exists, except in arrays (paths may index them): JSON.parse reads those.
        if (c === 91) fail();
        i = c === 123 ? object(i, child, rec) : skip(i);
      } else i = value(i, node.slots[k] as number, rec);
    }
    i = ws(i);
    const d = at(i++);
    if (d === 125) return i;
    if (d !== 44) fail();
    i = ws(i);
  }
}

/** Recent short strings by hash (versions, labels, categories repeat): a hit decodes nothing. */
const CACHE = 4096;
const cachedText: string[] = new Array<string>(CACHE).fill('');
const cachedHash = new Int32Array(CACHE);

function text(start: number, end: number): string {
  if (strEscaped || !strAscii) return JSON.parse(b.toString('utf8', start - 1, end + 1)) as string;
  const len = end - start;
  if (len > 32) return latin1(start, end);
  const slot = strHash & (CACHE - 1);
  const hit = cachedText[slot] as string;
  if (cachedHash[slot] === strHash && hit.length === len) {
    let j = 0;
    while (j < len && hit.charCodeAt(j) === b[start + j]) j++;
    if (j === len) return hit;
  }
  const t = latin1(start, end);
  cachedText[slot] = t;
  cachedHash[slot] = strHash;
  return t;
}

/** Reads the value at i into slot; returns the index after it. */
function value(i: number, slot: number, rec: FieldRecord): number {
  const c = at(i);
  if (numberStart(c)) {
    rec.numbers[slot] = num(i);
    rec.kinds[slot] = NUMBER;
    return pos;
  }
  const start = i;
  if (c === 34) {
    i = str(i);
    rec.values[slot] = text(start + 1, i - 1);
  } else {
    i = skip(i);
    rec.values[slot] = c === 116 ? true : c === 102 ? false : c === 110 ? null : parseJson(b.toString('utf8', start, i));
  }
  rec.kinds[slot] = VALUE;
  return i;
}
