// Upstream tools the bundle is proven with. Locally a missing tool makes its tests *skipped*
// (it.skipIf), never passed; under CI=true a missing tool fails the run, so CI can never pass by
// skipping.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { generateAll, writeArtifacts } from '../src/generate/index.js';

export const TOOLS = ['promtool', 'amtool', 'docker-compose', 'kubectl'] as const;
export type Tool = (typeof TOOLS)[number];

export function hasTool(tool: Tool): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  if (!found && process.env.CI === 'true') throw new Error(`${tool} is required when CI=true (apt-get install prometheus prometheus-alertmanager docker-compose kubernetes-client)`);
  if (!found) console.warn(`skipping: ${tool} is not installed`);
  return found;
}

export function run(cmd: string, args: string[], cwd?: string): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export function generateInto(configPath: string): string {
  const loaded = loadConfig(configPath);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-'));
  writeArtifacts(dir, generateAll(loaded.model));
  return dir;
}

export const gitRoot = (): string => execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();

/** A loopback port that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
