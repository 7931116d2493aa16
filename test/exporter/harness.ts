// Starts an exporter on a config written for the test, on an ephemeral loopback port, with
// polling driven by the test (scheduler.pollAll) and logs captured.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig } from '../../src/config/index.js';
import { createLogger, startExporter, type RunningExporter } from '../../src/exporter/index.js';

export interface Harness { exporter: RunningExporter; logs: string[]; scrape(headers?: Record<string, string>): Promise<{ status: number; type: string | null; text: string }> }

export async function startHarness(yaml: string, opts: { start?: boolean; stateDir?: string } = {}): Promise<Harness> {
  const loaded = parseConfig(yaml, 'test.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const logs: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { logs.push(chunk.toString('utf8')); done(); } });
  const exporter = await startExporter(loaded.model, { logger: createLogger('debug', sink), port: 0, host: '127.0.0.1', start: opts.start ?? false, goldenMaxCases: 10, stateDir: opts.stateDir ?? mkdtempSync(join(tmpdir(), 'state-')) });
  return {
    exporter,
    logs,
    async scrape(headers = {}) {
      const res = await fetch(`${exporter.url}/metrics`, { headers });
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    },
  };
}

/** The value of one sample in Prometheus text format, or undefined when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const ok = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (ok) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** Every metric name with at least one sample in an exposition. */
export const sampledNames = (text: string): Set<string> =>
  new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0] as string));
