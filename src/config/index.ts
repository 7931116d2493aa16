// loadConfig: file -> YAML (with positions) -> schema -> secrets + semantic rules -> Model.
// Never throws for a bad config: every problem comes back at once, located in the file.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, type Node, type Document } from 'yaml';
import { formatIssue, formatPath, type Issue, type PathSegment } from './issues.js';
import { validateSchema } from './validate.js';
import { findSecretIssues } from './secrets.js';
import { checkRules } from './rules.js';
import { normalize } from './normalize.js';
import type { Model } from './model.js';

export type { Model, ModelSpec, Thresholds, Levels, Feature, Endpoint, BillingSource, ReceiverKind, Reference, Consumer } from './model.js';
export { formatDuration, parseDuration } from './duration.js';
export { formatIssue, formatPath, type Issue } from './issues.js';
export { ConfigSchema } from './schema.js';

export type LoadResult =
  | { ok: true; model: Model; warnings: string[] }
  | { ok: false; errors: string[]; warnings: string[] };

/** Offset of the node at path (or its nearest existing ancestor; for a missing key, its parent map). */
function locate(doc: Document, path: readonly PathSegment[]): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
      node = node.items[seg];
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
  }
  return offset;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function parseConfig(text: string, file: string): LoadResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    return { ok: false, warnings: [], errors: doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return `${file}:${pos.line}:${pos.col} (yaml): ${e.message.split('\n')[0]}`;
    }) };
  }
  const located = (issues: Issue[]) => issues.map((i) => {
    const pos = lines.linePos(locate(doc, i.path));
    return formatIssue(file, { ...i, line: pos.line, col: pos.col });
  });
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Unresolved aliases and alias bombs surface here, after parsing.
    return { ok: false, warnings: [], errors: [`${file}:1:1 (yaml): ${(e as Error).message}`] };
  }
  const secretIssues = findSecretIssues(data);
  const secretPaths = new Set(secretIssues.map((i) => formatPath(i.path)));
  const schema = validateSchema(data);
  // An inline secret is reported once, by the secrets rule, not also as a type error at the same path.
  const schemaIssues = schema.issues.filter((i) => !secretPaths.has(formatPath(i.path)));
  if (!schema.config || secretIssues.length) {
    const issues = [...secretIssues, ...schemaIssues];
    if (!issues.length) issues.push({ path: [], message: 'the config does not match the schema' });
    return { ok: false, errors: located(issues), warnings: [] };
  }
  const { errors, warnings } = checkRules(schema.config);
  if (errors.length) return { ok: false, errors: located(errors), warnings: located(warnings) };
  return { ok: true, model: deepFreeze(normalize(schema.config, file)), warnings: located(warnings) };
}

export function loadConfig(file: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    return { ok: false, errors: [`${file}: cannot read config: ${why}`], warnings: [] };
  }
  return parseConfig(text, file);
}
