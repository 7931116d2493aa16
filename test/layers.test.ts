// Lower layers never import upper ones: the data flows config/catalog/stats -> sources -> ingest
// -> exporter, and generate reads config and catalog only.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ORDER = ['catalog', 'config', 'stats', 'sources', 'baseline', 'ingest', 'generate', 'exporter', 'demo', 'cli'];
/** What each folder may import from src/ (besides itself). */
const ALLOWED: Record<string, string[]> = {
  catalog: [],
  config: ['catalog', 'version.js'],
  stats: [],
  sources: ['catalog', 'config', 'stats'],
  baseline: ['catalog', 'config', 'stats', 'sources'],
  ingest: ['catalog', 'config', 'stats', 'sources'],
  generate: ['catalog', 'config', 'version.js'],
  exporter: ['catalog', 'config', 'stats', 'sources', 'ingest', 'version.js'],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

describe('layers', () => {
  it.each(Object.keys(ALLOWED))('src/%s imports only the layers below it', (layer) => {
    const bad: string[] = [];
    for (const file of files(join('src', layer))) {
      const depth = file.split('/').length - 2;
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const parts = (spec as string).split('/');
        const ups = parts.filter((p) => p === '..').length;
        if (ups < depth) continue; // inside its own folder
        const target = parts[ups] as string;
        if (!(ALLOWED[layer] as string[]).includes(target) && target !== layer) bad.push(`${file}: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('covers every folder of src/', () => {
    const folders = readdirSync('src', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.sort()).toEqual([...ORDER].sort());
  });
});
