// How a golden-set answer is scored. Pure: (answer, expectation) -> pass or a reason it failed.
import { Ajv } from 'ajv';

export type Scorer = 'exact' | 'tolerance' | 'contains' | 'regex' | 'json_schema';
export type Score = { pass: true } | { pass: false; why: string };

const ajv = new Ajv({ allErrors: false, strict: false });
const schemaCache = new Map<string, ReturnType<typeof ajv.compile>>();

const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const fail = (why: string): Score => ({ pass: false, why });

export function score(scorer: Scorer, answer: unknown, expected: unknown, tolerance = 0): Score {
  switch (scorer) {
    case 'exact':
      return text(answer) === text(expected) ? { pass: true } : fail(`expected ${text(expected)}, got ${text(answer)}`);
    case 'tolerance': {
      const a = Number(answer);
      const e = Number(expected);
      if (!Number.isFinite(a)) return fail(`answer ${text(answer)} is not a number`);
      return Math.abs(a - e) <= tolerance ? { pass: true } : fail(`|${a} - ${e}| > ${tolerance}`);
    }
    case 'contains':
      return text(answer).toLowerCase().includes(String(expected).toLowerCase()) ? { pass: true } : fail(`answer does not contain ${text(expected)}`);
    case 'regex':
      return new RegExp(String(expected)).test(text(answer)) ? { pass: true } : fail(`answer does not match /${String(expected)}/`);
    case 'json_schema': {
      let parsed: unknown = answer;
      if (typeof answer === 'string') {
        try { parsed = JSON.parse(answer); } catch { return fail('answer is not JSON'); }
      }
      const key = JSON.stringify(expected);
      let validate = schemaCache.get(key);
      if (!validate) { validate = ajv.compile(expected as object); schemaCache.set(key, validate); }
      return validate(parsed) ? { pass: true } : fail(`answer violates the schema: ${ajv.errorsText(validate.errors)}`);
    }
  }
}
