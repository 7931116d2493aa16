// The selective scanner must read exactly what JSON.parse reads, and reject exactly what it
// rejects: checked slot by slot against JSON.parse on generated and hand-picked lines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldLayout } from './select.js';

const PATHS = [['q"k'], ['ts'], ['id'], ['model'], ['out', 'label'], ['out', 'score'], ['f', 'a'], ['f', 'b.c'], ['f', '__proto__'], ['f', 'é'], ['deep', 'x', 'y'], ['arr', '0'], ['whole'], ['whole', 'k']];
const layout = new FieldLayout(PATHS);

/** What the scanner reads from bytes, or the error it throws. */
function scanned(bytes: Buffer): { object: boolean; values: unknown[] } | 'error' {
  const rec = layout.record();
  try {
    const object = layout.read(bytes, 0, bytes.length, rec);
    return { object, values: PATHS.map((p) => rec.value(layout.slot(p))) };
  } catch (e) {
    expect(e).toBeInstanceOf(SyntaxError);
    return 'error';
  }
}

const MARK = '\u0000python:';
/**
 * Python's json.loads, which also reads NaN, Infinity and -Infinity: the bare tokens (outside
 * strings) become marker strings for JSON.parse, then the numbers they stand for.
 */
function pythonJson(text: string): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') { inString = true; out += c; continue; }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i));
    if (token) { out += JSON.stringify(MARK + token); i += token.length - 1; continue; }
    out += c;
  }
  const number = (v: unknown): unknown => {
    if (typeof v === 'string' && v.startsWith(MARK)) return Number(v.slice(MARK.length));
    if (Array.isArray(v)) return v.map(number);
    if (v && typeof v === 'object') for (const k of Object.keys(v)) (v as Record<string, unknown>)[k] = number((v as Record<string, unknown>)[k]);
    return v;
  };
  return out === text ? JSON.parse(text) : number(JSON.parse(out));
}

/** The oracle: Python's json.loads of the decoded line (JSON.parse plus NaN and Infinity), each path walked. */
function parsed(bytes: Buffer): { object: boolean; values: unknown[] } | 'error' {
  let v: unknown;
  try {
    v = pythonJson(bytes.toString('utf8'));
  } catch {
    return 'error';
  }
  const rec = layout.record();
  layout.fill(v, rec);
  return { object: v !== null && typeof v === 'object' && !Array.isArray(v), values: PATHS.map((p) => rec.value(layout.slot(p))) };
}

const same = (bytes: Buffer): void => {
  expect(scanned(bytes)).toStrictEqual(parsed(bytes));
};
const line = (text: string): void => same(Buffer.from(text, 'utf8'));

const key = fc.constantFrom('ts', 'id', 'model', 'out', 'label', 'score', 'f', 'a', 'b.c', 'é', '__proto__', 'deep', 'x', 'y', 'arr', 'whole', 'k', 'other');
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.double(), fc.integer(), fc.string({ unit: 'binary' }), fc.constantFrom(true, false, null, 0.1, -0, 1e21, 5e-324, 123456789012345680), tie('object'), fc.array(tie('value'), { maxLength: 3 })),
  object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
})).value;

/** JSON text with random whitespace between tokens, as JSON.stringify with an indent gives. */
const text = fc.tuple(json, fc.constantFrom(undefined, 1, '\t', ' \r\n ')).map(([v, indent]) => JSON.stringify({ lead: 1, ...(typeof v === 'object' && v ? v : { v }) }, null, indent));

describe('selective JSON reading', () => {
  it('reads every mapped path as JSON.parse does, for generated records', () => {
    fc.assert(fc.property(text, (t) => line(t)), { numRuns: 3000 });
  });

  it('rejects what JSON.parse rejects: truncated, byte-flipped and arbitrary lines', () => {
    const mutated = fc.tuple(text, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([t, at, byte, cut]) => {
      const b = Buffer.from(t, 'utf8');
      const i = at % b.length;
      if (cut) return b.subarray(0, i);
      b[i] = byte;
      return b;
    });
    fc.assert(fc.property(mutated, (b) => same(b)), { numRuns: 5000 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => line(s)), { numRuns: 3000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (a) => same(Buffer.concat([Buffer.from('{"id":'), Buffer.from(a)]))), { numRuns: 3000 });
  });

  it.each([
    '{"id":"a\\"b\\\\c\\u00e9\\ud83d\\ude00"}', '{"i\\u0064":"escaped key"}', '{"f":{"é":"unicode key","b.c":2}}',
    '{"ts":-0}', '{"ts":0.1}', '{"ts":1e5}', '{"ts":1E+5}', '{"ts":-1.5e-7}', '{"ts":123456789012345678}', '{"ts":0.30000000000000004}',
    '{"ts":1.7976931348623157e308}', '{"ts":1e400}', '{"ts":999999999999999.9}', '{"ts":0.000000000000000000000001}',
    '{"ts":01}', '{"ts":1.}', '{"ts":.5}', '{"ts":-}', '{"ts":+1}', '{"ts":1e}', '{"ts":0x10}', '{"ts":NaN}', '{"ts":-NaN}', '{"ts":Infinity}', '{"ts":-Infinity}', '{"ts":Infinit}', '{"ts":infinity}', '{"ts":Nan}',
    '{"f":{"a":NaN,"b.c":1.5},"out":"NaN","id":"Infinity"}', '{"arr":[NaN,Infinity,-Infinity]}', '{"whole":{"k":NaN}}',
    '{"f":{"a":1},"f":{"b.c":2}}', '{"f":{"a":1},"f":7}', '{"out":"x","out":{"score":0.5}}', '{"f":{"__proto__":3}}',
    '{"arr":[5,6]}', '{"arr":{"0":"object"}}', '{"whole":{"k":[1,{"z":null}]}}', '{"whole":"scalar"}', '{"deep":{"x":{"y":true}}}', '{"deep":{"x":[]}}',
    '{"q\\"k":1}', '{"ts":1,"q\\"k":2}', '{"ts":1,"q"k":2}', '{"ts":1,"q\\u0022k":3}', '{"id":"tab\there"}', '{"id":"a"} x', '{"id":"a"},', '{"id":"a"', '{"id" "a"}', '{,"id":1}', '{"id":1,}', '{"id":[1,]}', '{"x":tru}', '{"x":nul}', '{"x":falsey}',
    ' \t{"id" : "spaced" , "model":"m"}\r', '\ufeff{"id":1}', '[1,2]', '"just a string"', '42', 'null', '', '{}', '{"id":"\\x"}', '{"id":"\\u12G4"}',
  ])('agrees with JSON.parse on %j', (t) => line(t));

  it('reads invalid UTF-8 inside strings as a whole-line decode would', () => {
    same(Buffer.concat([Buffer.from('{"id":"a'), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('b","model":"m"}')]));
    same(Buffer.concat([Buffer.from('{"model":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')]));
  });

  it('leaves nesting too deep for its recursion to JSON.parse', () => {
    line(`{"x":${'['.repeat(100_000)}${']'.repeat(100_000)},"id":"after"}`);
  });

  it('reads numbers to the same double as JSON.parse', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => line(`{"ts":${JSON.stringify(d)}}`)), { numRuns: 5000 });
    const decimal = fc.tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9][0-9]{0,16})$/), fc.stringMatching(/^[0-9]{0,24}$/)).map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`);
    fc.assert(fc.property(decimal, (d) => line(`{"ts":${d}}`)), { numRuns: 5000 });
  });

  it('reads only the line between start and end', () => {
    const b = Buffer.from('{"id":"one"}\n{"id":"two"} \n');
    const rec = layout.record();
    expect(layout.read(b, 13, 26, rec)).toBe(true);
    expect(rec.value(layout.slot(['id']))).toBe('two');
    expect(() => layout.read(b, 0, 11, rec)).toThrow(SyntaxError);
  });
});
