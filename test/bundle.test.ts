// The generated bundle, for the example config and a minimal one, accepted by the real tools:
// promtool (config, rules, every generated unit test), amtool (config, one route per tier)
// and docker-compose (static check).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateInto, hasTool, run } from './tools.js';

const CASES = [
  { name: 'example', config: 'examples/modelwatch.yaml' },
  { name: 'minimal', config: 'test/golden/minimal/config.yaml' },
  { name: 'quality', config: 'test/golden/quality/config.yaml' },
];

describe.each(CASES)('$name bundle', ({ config }) => {
  const dir = generateInto(config);
  const yml = (sub: string) => readdirSync(join(dir, sub)).filter((f) => f.endsWith('.yml')).map((f) => join(sub, f));

  it.skipIf(!hasTool('promtool'))('passes promtool check config', () => {
    const r = run('promtool', ['check', 'config', 'prometheus.yml'], join(dir, 'prometheus'));
    expect(r.out).toContain('SUCCESS');
    expect(r.code, r.out).toBe(0);
  });

  it.skipIf(!hasTool('promtool'))('passes promtool check rules with duplicate-rule lint fatal', () => {
    const files = yml('prometheus/rules');
    expect(files.length).toBeGreaterThan(0);
    const r = run('promtool', ['check', 'rules', '--lint-fatal', ...files], dir);
    expect(r.code, r.out).toBe(0);
  });

  it.skipIf(!hasTool('promtool'))('passes every generated promtool unit test', () => {
    const files = yml('prometheus/tests');
    expect(files.length).toBeGreaterThan(0);
    const r = run('promtool', ['test', 'rules', ...files], dir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain('FAILED');
  });

  it.skipIf(!hasTool('amtool'))('passes amtool check-config', () => {
    const r = run('amtool', ['check-config', 'alertmanager/alertmanager.yml'], dir);
    expect(r.code, r.out).toBe(0);
  });

  it.skipIf(!hasTool('amtool')).each(['page', 'ticket', 'digest', 'heartbeat'])('routes a %s alert to its tier receiver', (tier) => {
    const r = run('amtool', ['config', 'routes', 'test', '--config.file=alertmanager/alertmanager.yml', `--verify.receivers=modelwatch-${tier}`, `tier=${tier}`, 'alertname=ModelwatchHighErrorRatio', 'model=m'], dir);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`modelwatch-${tier}`);
  });

  it.skipIf(!hasTool('docker-compose'))('passes docker-compose config -q', () => {
    const r = run('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], dir);
    expect(r.code, r.out).toBe(0);
  });
});

// The committed bundle is the demo's (`generate --demo`: every `for` x DEMO_FOR_SCALE); its tests
// are what a user runs first, as committed, not a production-timing regeneration.
describe.skipIf(!hasTool('promtool'))('the committed demo bundle', () => {
  it('passes its own promtool unit tests', () => {
    const files = readdirSync('prometheus/tests').filter((f) => f.endsWith('.yml')).map((f) => join('prometheus/tests', f));
    expect(files.length).toBeGreaterThan(0);
    const r = run('promtool', ['test', 'rules', ...files], '.');
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain('FAILED');
  });
});
