// JSON Schema validation with every error reported at once, in words a config author reads.
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ConfigSchema, type WrittenConfig } from './schema.js';
import { fromPointer, type Issue } from './issues.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on .default.
type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
addFormats(ajv, ['uri']);
const check = ajv.compile<WrittenConfig>(ConfigSchema);

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length] as number;
}

function allowedKeys(schemaPath: string): string[] {
  // schemaPath points at ".../additionalProperties"; the sibling "properties" lists the allowed keys.
  let node: unknown = ConfigSchema;
  for (const seg of schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) node = (node as Record<string, unknown>)[seg];
  return Object.keys((node as { properties?: object }).properties ?? {});
}

function toIssue(e: ErrorObject): Issue | null {
  const path = fromPointer(e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const keys = allowedKeys(e.schemaPath);
      const near = keys.filter((k) => distance(k, key) <= 2).sort((x, y) => distance(x, key) - distance(y, key))[0];
      return { path: [...path, key], message: `unknown key "${key}"${near ? `; did you mean "${near}"?` : ''} (allowed: ${keys.join(', ')})` };
    }
    case 'required':
      return { path: [...path, (e.params as { missingProperty: string }).missingProperty], message: 'is required' };
    case 'enum':
      return { path, message: `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` };
    case 'pattern':
      return { path, message: `"${String(e.data)}" does not match the expected form ${(e.parentSchema as { description?: string })?.description?.match(/such as [^.]*/)?.[0] ?? e.params.pattern}` };
    case 'const':
      return { path, message: `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}` };
    default:
      return { path, message: e.message ?? 'is invalid' };
  }
}

export function validateSchema(data: unknown): { config: WrittenConfig | null; issues: Issue[] } {
  if (check(data)) return { config: data, issues: [] };
  const issues: Issue[] = [];
  for (const e of check.errors ?? []) {
    const issue = toIssue(e);
    if (issue) issues.push(issue);
  }
  return { config: null, issues };
}
