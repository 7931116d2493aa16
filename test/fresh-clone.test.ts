// The README's first step: clone, `npm ci`, and the CLI is there (`prepare` builds dist/), as
// `npx modelwatch` and through the package's bin. Runs on a copy of the tracked tree, with the
// npm cache the suite was installed from.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('a fresh clone', () => {
  it('has a working `npx modelwatch` right after npm ci', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fresh-clone-'));
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of files) {
      if (f.startsWith('test/') || f.startsWith('bench/')) continue;
      mkdirSync(join(dir, dirname(f)), { recursive: true });
      try { cpSync(f, join(dir, f)); } catch { /* deleted in the work tree, not yet committed */ }
    }
    const ci = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    expect(ci.status, `${ci.stdout}${ci.stderr}`).toBe(0);
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    const npx = spawnSync('npx', ['--no-install', 'modelwatch', '--version'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(npx.stdout.trim(), npx.stderr).toBe(version);
    const validate = spawnSync('npx', ['--no-install', 'modelwatch', 'validate', '-c', 'examples/modelwatch.yaml'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('valid (3 models)');
  });
});
