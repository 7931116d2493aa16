// Which config keys hold secrets, derived from the schema: every property typed as SecretRef.
import { ConfigSchema, SecretRefSchema } from './schema.js';
import type { Issue, PathSegment } from './issues.js';

function collectSecretKeys(node: unknown, out: Set<string>): Set<string> {
  if (node === null || typeof node !== 'object') return out;
  const props = (node as { properties?: Record<string, unknown> }).properties;
  for (const [key, child] of Object.entries(props ?? {})) {
    // Type.Optional clones the schema, so a SecretRef is recognised by its description, not identity.
    if ((child as { description?: string }).description === SecretRefSchema.description) out.add(key);
    else collectSecretKeys(child, out);
  }
  const items = (node as { items?: unknown }).items;
  if (items) collectSecretKeys(items, out);
  return out;
}

export const SECRET_KEYS: ReadonlySet<string> = collectSecretKeys(ConfigSchema, new Set());
// Keys that are not in the schema but read as secrets: someone pasting a credential inline.
const SECRET_LIKE = /(^|_)(password|passwd|secret|token|api_?key|routing_key|webhook_url|dsn|credentials?)($|_)/i;

export const isSecretKey = (key: PathSegment | undefined): boolean =>
  typeof key === 'string' && (SECRET_KEYS.has(key) || SECRET_LIKE.test(key));

/** Secrets Prometheus, Alertmanager or Grafana read from files inside their containers: no env form there. */
const FILE_ONLY_PARENTS = new Set(['pagerduty', 'slack', 'email', 'grafana', 'remote_write', 'basic_auth']);

/** Every inline secret in the raw document, wherever it is (even under unknown keys). */
export function findSecretIssues(node: unknown, path: PathSegment[] = []): Issue[] {
  if (Array.isArray(node)) return node.flatMap((child, i) => findSecretIssues(child, [...path, i]));
  if (node === null || typeof node !== 'object') return [];
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(node)) {
    const here = [...path, key];
    if (isSecretKey(key) && (typeof value === 'string' || typeof value === 'number')) {
      issues.push({ path: here, message: 'inline secrets are not allowed: write {file: /path/to/secret} or {env: VARIABLE} instead' });
    } else if (SECRET_KEYS.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      const ref = value as { file?: unknown; env?: unknown };
      if ((ref.file === undefined) === (ref.env === undefined)) issues.push({ path: here, message: 'a secret reference needs exactly one of file or env' });
      else if (ref.env !== undefined && FILE_ONLY_PARENTS.has(String([...path].reverse().find((p) => typeof p === 'string')))) {
        issues.push({ path: [...here, 'env'], message: 'this secret is read by Prometheus, Alertmanager or Grafana from a file inside its container: use file, not env' });
      }
    } else {
      issues.push(...findSecretIssues(value, here));
    }
  }
  return issues;
}
