// The CLI as a user runs it: exit codes, messages on stderr, never a stack trace.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, run } from './tools.js';

const cli = (...args: string[]) => run('node', ['--import', 'tsx', 'src/cli/index.ts', ...args]);
const noStack = (out: string) => expect(out).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('modelwatch', () => {
  it('prints its version', () => {
    const r = cli('--version');
    expect(r).toEqual({ code: 0, out: '0.1.0\n' });
  });

  it('prints usage with --help and on every command', () => {
    expect(cli('--help').out).toContain('modelwatch generate -c FILE -o DIR');
    for (const c of ['validate', 'generate']) {
      const r = cli(c, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: modelwatch ${c}`);
    }
  });

  it('validates the example', () => {
    const r = cli('validate', '-c', 'examples/modelwatch.yaml');
    expect(r).toEqual({ code: 0, out: 'examples/modelwatch.yaml: valid (3 models)\n' });
  });

  it('exits 2 with every located problem for a bad config', () => {
    const r = cli('validate', '-c', 'test/fixtures/bad-config.yaml');
    expect(r.code).toBe(2);
    expect(r.out).toContain('test/fixtures/bad-config.yaml:6:5 billing[0].api_key: inline secrets are not allowed');
    expect(r.out).toContain('test/fixtures/bad-config.yaml:11:5 models[1].task: must be one of');
    expect(r.out).toContain('2 problems; nothing was generated');
    expect(r.out).not.toContain('sk-admin-canary');
    noStack(r.out);
  });

  it('exits 2 naming a missing config file', () => {
    const r = cli('validate', '-c', 'nope.yaml');
    expect(r.code).toBe(2);
    expect(r.out).toContain('nope.yaml: cannot read config: no such file');
    noStack(r.out);
  });

  it.each([
    [['validate', '--colour'], 'Unknown option \'--colour\''],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['generate', '-c', 'examples/modelwatch.yaml'], 'missing -o DIR'],
    [['validate'], 'missing -c FILE'],
  ])('exits 64 on usage error %j', (args, message) => {
    const r = cli(...args);
    expect(r.code).toBe(64);
    expect(r.out).toContain(message);
    noStack(r.out);
  });

  it('generates the bundle into a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelwatch-cli-'));
    const r = cli('generate', '-c', 'examples/modelwatch.yaml', '-o', dir);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['alertmanager', 'docker-compose.yml', 'grafana', 'prometheus', 'runbooks']);
  });
});

describe('modelwatch demo (what npm start runs)', () => {
  it('serves live metrics with the incident visible within 30 seconds', async () => {
    const { spawn } = await import('node:child_process');
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'demo-cli-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'demo', '--port', String(port), '--listen', '127.0.0.1', '--dir', dir, '--incident', 'error_burst'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    try {
      const started = Date.now();
      let text = '';
      while (Date.now() - started < 30_000 && !/modelwatch_prediction_errors_total\{model="fraud-classifier",version="[^"]+",reason="server_error",segment="[^"]+"\} [1-9]/.test(text)) {
        await new Promise((r) => setTimeout(r, 500));
        text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
      }
      expect(text).toMatch(/modelwatch_prediction_errors_total\{model="fraud-classifier",version="[^"]+",reason="server_error",segment="[^"]+"\} [1-9]/);
      expect(stderr).toContain(`metrics at http://127.0.0.1:${port}/metrics`);
      expect(stderr).toContain('error_burst');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});
