// Hot reload of `modelwatch serve`: SIGHUP or POST /-/reload re-reads the config; an invalid
// config keeps the running one and sets modelwatch_config_last_reload_successful to 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sample } from './harness.js';
import { freePort } from '../tools.js';

const config = (dir: string, models: string) => `version: 1\nexporter: {state_dir: ${join(dir, 'state')}}\nmodels:\n${models}`;

describe('hot reload', () => {
  it('keeps the old config on a bad reload and swaps in a good one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reload-'));
    const file = join(dir, 'modelwatch.yaml');
    writeFileSync(file, config(dir, '  - {name: alpha, task: llm}\n'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'serve', '-c', file, '--port', String(port), '--listen', '127.0.0.1', '--web.enable-lifecycle'], { stdio: 'ignore' });
    const scrape = () => fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
    try {
      await expect.poll(scrape, { timeout: 20_000 }).toContain('model="alpha"');
      writeFileSync(file, config(dir, '  - {name: beta, task: nonsense}\n'));
      child.kill('SIGHUP');
      await expect.poll(async () => sample(await scrape(), 'modelwatch_config_last_reload_successful'), { timeout: 10_000 }).toBe(0);
      expect(await scrape()).toContain('model="alpha"');

      writeFileSync(file, config(dir, '  - {name: gamma, task: llm}\n'));
      const res = await fetch(`http://127.0.0.1:${port}/-/reload`, { method: 'POST' });
      expect(res.status).toBe(200);
      const text = await scrape();
      expect(sample(text, 'modelwatch_config_last_reload_successful')).toBe(1);
      expect(text).toContain('model="gamma"');
      expect(text).not.toContain('model="alpha"');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});
