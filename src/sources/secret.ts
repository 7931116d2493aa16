// Secrets are read at each use (so a rotated file takes effect without restart) and never
// appear in errors or logs: only where they came from is named.
import { readFileSync } from 'node:fs';
import type { SecretRef } from '../config/schema.js';
import { SourceError } from './errors.js';

export function readSecret(ref: SecretRef): string {
  if (ref.file) {
    try {
      return readFileSync(ref.file, 'utf8').trim();
    } catch (e) {
      throw new SourceError('other', `cannot read secret file ${ref.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  const value = ref.env ? process.env[ref.env] : undefined;
  if (!value) throw new SourceError('other', `environment variable ${ref.env ?? '(none)'} is not set`);
  return value;
}
