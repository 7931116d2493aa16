// JSON as Python's json module writes it by default: NaN, Infinity and -Infinity as bare tokens.
// Used for the values the scanner hands over whole (objects and arrays under a mapped path).

const TOKENS: readonly [string, number][] = [['-Infinity', -Infinity], ['Infinity', Infinity], ['NaN', NaN]];

/** JSON.parse, reading bare NaN / Infinity / -Infinity tokens as those numbers. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!/NaN|Infinity/.test(text)) throw e;
  }
  // Each token outside a string becomes a placeholder string no JSON text can contain unescaped.
  const found: number[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const token = TOKENS.find(([t]) => text.startsWith(t, i));
    if (token) {
      out += `"\\u0001${found.length}"`;
      found.push(token[1]);
      i += token[0].length;
      continue;
    }
    out += text[i];
    i++;
  }
  return JSON.parse(out, (_key, v: unknown) => (typeof v === 'string' && v.charCodeAt(0) === 1 ? found[Number(v.slice(1))] : v));
}
