// The engine catalog (src/catalog/engines.ts) against what the engines themselves expose: their
// own source or documentation at a commit, and real /metrics captures (test/fixtures/engines/,
// each with its source). No generated rule or panel may read a name an engine does not expose,
// and a signal renamed across versions must resolve in every version the fixtures hold.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINES, SIGNALS, type EngineSignal, type SignalName } from '../src/catalog/engines.js';

const DIR = join(import.meta.dirname, 'fixtures', 'engines');

interface Fixture {
  readonly file: string;
  readonly header: Readonly<Record<string, string>>;
  /** Metric family -> type, from # TYPE lines and from samples (whose type is their family's, or unknown). */
  readonly families: ReadonlyMap<string, string>;
}

function load(file: string): Fixture {
  const header: Record<string, string> = {};
  const families = new Map<string, string>();
  for (const line of readFileSync(join(DIR, file), 'utf8').split('\n')) {
    const h = /^# (engine|version|kind|source|covers|lacks): (.*)$/.exec(line);
    if (h) {
      header[h[1] as string] ??= h[2] as string;
      continue;
    }
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t) families.set(t[1] as string, t[2] as string);
    else if (/^[a-zA-Z_:]/.test(line)) {
      const name = (/^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line) as RegExpExecArray)[0];
      const family = name.replace(/_(bucket|sum|count|total|created)$/, '');
      if (!families.has(family) && !families.has(name)) families.set(name, 'untyped');
    }
  }
  return { file, header, families };
}

const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.prom')).sort().map(load);
const forEngine = (engine: string) => FIXTURES.filter((f) => f.header.engine === engine);

/** The families a signal reads and the type each must have. */
function reads(s: EngineSignal): [string, string][] {
  switch (s.kind) {
    case 'histogram': return s.names.map((n) => [n, 'histogram']);
    case 'gauge': return s.names.map((n) => [n, 'gauge']);
    case 'mean': return [...s.names.map((n): [string, string] => [n, 'counter']), [s.per, 'counter']];
    case 'usedOf': return [...s.names.map((n): [string, string] => [n, 'gauge']), [(s.free ?? s.total) as string, 'gauge']];
  }
}

/** Whether a fixture exposes the signal under one of its names (with the parts a ratio needs). */
function resolves(f: Fixture, s: EngineSignal): boolean {
  const has = (n: string, type: string) => f.families.get(n) === type || f.families.get(n) === 'untyped';
  if (s.kind === 'mean') return s.names.some((n) => has(n, 'counter')) && has(s.per, 'counter');
  if (s.kind === 'usedOf') return s.names.some((n) => has(n, 'gauge')) && has((s.free ?? s.total) as string, 'gauge');
  return s.names.some((n) => has(n, s.kind));
}

describe('engine fixtures', () => {
  it('each names the engine, version, kind and a source pinned to a commit', () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(6);
    for (const f of FIXTURES) {
      expect(Object.keys(ENGINES), f.file).toContain(f.header.engine);
      expect(f.header.version, f.file).toBeTruthy();
      expect(f.header.kind, f.file).toMatch(/^(declared|capture) - /);
      expect(f.header.source, f.file).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//);
      expect(f.families.size, f.file).toBeGreaterThan(0);
    }
  });

  it('hold every engine of the catalog, vLLM in at least two versions and a real capture', () => {
    for (const engine of Object.keys(ENGINES)) expect(forEngine(engine).length, engine).toBeGreaterThan(0);
    expect(new Set(forEngine('vllm').map((f) => f.header.version)).size).toBeGreaterThanOrEqual(3);
    expect(FIXTURES.some((f) => f.header.kind?.startsWith('capture'))).toBe(true);
  });
});

describe.each(Object.entries(ENGINES))('the %s catalog', (engine, def) => {
  const fixtures = forEngine(engine);
  const signals = Object.entries(def.signals) as [SignalName, EngineSignal][];

  it('maps only known signals', () => {
    for (const [name] of signals) expect(Object.keys(SIGNALS)).toContain(name);
  });

  it('resolves every signal in every version the fixtures hold (or the version is known to lack it)', () => {
    const problems: string[] = [];
    for (const f of fixtures) {
      const covers = f.header.covers?.split(' ');
      const lacks = f.header.lacks?.split(' ') ?? [];
      for (const [name, s] of signals) {
        if (covers && !covers.includes(name)) continue;
        if (lacks.includes(name)) {
          if (resolves(f, s)) problems.push(`${f.file} is said to lack ${name} but exposes it`);
        } else if (!resolves(f, s)) problems.push(`${f.file} exposes none of ${name}: ${reads(s).map(([n]) => n).join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('reads no name that no version of the engine exposes, and each with its exposed type', () => {
    const problems: string[] = [];
    for (const [name, s] of signals) {
      for (const [family, type] of reads(s)) {
        const seen = fixtures.map((f) => f.families.get(family)).filter((t): t is string => t !== undefined);
        if (!seen.length) problems.push(`${name}: ${family} is in no fixture`);
        else if (!seen.some((t) => t === type)) problems.push(`${name}: ${family} is ${seen.join('/')}, not ${type}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
