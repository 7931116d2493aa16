// The hand-written promtool suites (test/promtool/*.test.yml, written from the README's alert
// definitions, not from the alert specs) against the rules generated from test/promtool/config.yaml.
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateInto, hasTool, run } from '../tools.js';

const HERE = join(import.meta.dirname);
const SUITES = readdirSync(HERE).filter((f) => f.endsWith('.test.yml'));

describe.runIf(hasTool('promtool'))('hand-written promtool suites', () => {
  const dir = generateInto(join(HERE, 'config.yaml'));
  it.each(SUITES)('%s', (suite) => {
    const target = join(dir, 'prometheus', 'tests', `hand-${suite}`);
    copyFileSync(join(HERE, suite), target);
    const r = run('promtool', ['test', 'rules', target]);
    expect(r.code, r.out).toBe(0);
  });
});
