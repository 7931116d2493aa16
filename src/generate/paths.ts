// Where the files a config names live inside the containers of a generated bundle. The config's
// directory is mounted at CONFIG_DIR, so a relative path keeps meaning the same file; an absolute
// path is mounted at the same path. Generated Prometheus, Alertmanager and Grafana files name the
// container path, never the path on the machine that ran `generate`.
import { posix } from 'node:path';
import type { Model, Reference } from '../config/index.js';

export const CONFIG_DIR = '/etc/modelwatch';
export const SECRETS_DIR = '/run/secrets';

export const containerPath = (written: string): string => (posix.isAbsolute(written) ? posix.normalize(written) : posix.join(CONFIG_DIR, written));

/** The config file's path inside the exporter container. */
export const containerConfig = (model: Model): string => posix.join(CONFIG_DIR, posix.basename(model.configPath));

/** True when the config directory mount already brings the file into the container. */
export const underConfigDir = (written: string): boolean => containerPath(written).startsWith(`${CONFIG_DIR}/`);

/** A compose/Kubernetes secret name for a file under /run/secrets, else null (then it is mounted as a file). */
export function secretName(written: string): string | null {
  const p = containerPath(written);
  return posix.dirname(p) === SECRETS_DIR ? posix.basename(p) : null;
}

/** The directory a JSONL glob reads from, as written: its longest prefix without glob characters. */
export function globDir(pattern: string): string {
  const parts = posix.normalize(pattern).split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?[\]{}]/.test(part)) break;
    fixed.push(part);
  }
  return fixed.join('/') || (posix.isAbsolute(pattern) ? '/' : '.');
}

export type FileReference = Extract<Reference, { written: string }>;
export const fileReferences = (model: Model, consumer: Reference['consumer']): FileReference[] =>
  model.references.filter((r): r is FileReference => r.kind !== 'env' && r.consumer === consumer);
export const envNames = (model: Model): string[] =>
  [...new Set(model.references.flatMap((r) => (r.kind === 'env' ? [r.name] : [])))].sort();
