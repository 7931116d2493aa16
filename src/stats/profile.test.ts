import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BinIndex } from './bins.js';
import { evaluateCategorical, evaluateNumeric } from './evaluate.js';
import { ProfileBuilder, prng, type CategoricalProfile, type NumericProfile } from './profile.js';
import { SlidingCounts } from './window.js';

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/stats/drift.json', import.meta.url), 'utf8')) as { cases: { name: string; kind: string; reference: unknown[]; current: unknown[]; psi: number; ks_exact: number; js?: number }[] };

function twoPasses(values: unknown[], type: 'numeric' | 'categorical', options = {}) {
  const b = new ProfileBuilder('m', [{ name: 'f', type }], options);
  for (const v of values) b.first({ f: v });
  b.freeze();
  for (const v of values) b.second({ f: v });
  return b.profile().features.f;
}

describe('a baseline profile', () => {
  const normal = fixture.cases[0]!;

  it('gives the SciPy PSI and the exact KS of a window counted into its bins', () => {
    const p = twoPasses(normal.reference, 'numeric') as NumericProfile;
    const index = new BinIndex(Float64Array.from(p.edges));
    const counts = new Float64Array(index.bins);
    for (const v of normal.current as number[]) counts[index.binOf(v)] = (counts[index.binOf(v)] as number) + 1;
    const r = evaluateNumeric(p, { counts, raw: normal.current as number[] });
    expect(Math.abs(r.psi - normal.psi)).toBeLessThanOrEqual(1e-9 * normal.psi);
    expect(r.exact).toBe(true);
    expect(Math.abs(r.ks - normal.ks_exact)).toBeLessThanOrEqual(1e-12);
    expect(r.windowSamples).toBe(normal.current.length);
  });

  it('counts nulls apart and keeps min and max', () => {
    const p = twoPasses([1, null, 3, '', 'x', 2], 'numeric') as NumericProfile;
    expect(p).toMatchObject({ count: 3, nulls: 3, min: 1, max: 3 });
    expect(p.counts.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('keeps the top categories and folds the rest into other', () => {
    const p = twoPasses(['a', 'a', 'a', 'b', 'b', 'c', null], 'categorical', { topCategories: 2 }) as CategoricalProfile;
    expect(p).toEqual({ type: 'categorical', categories: ['a', 'b'], counts: [3, 2, 1], count: 6, nulls: 1 });
  });

  it('gives the SciPy Jensen-Shannon distance for categoricals', () => {
    const c = fixture.cases.find((x) => x.name.startsWith('2 levels'))!;
    const p = twoPasses(c.reference, 'categorical') as CategoricalProfile;
    const counts = [0, 0, 0];
    for (const v of c.current as string[]) counts[p.categories.indexOf(v) === -1 ? 2 : p.categories.indexOf(v)]!++;
    expect(Math.abs(evaluateCategorical(p, counts).js - c.js!)).toBeLessThanOrEqual(1e-9 * c.js!);
  });

  it('holds a fixed reservoir however many records stream through, and counts every one exactly', () => {
    const random = prng(7);
    const b = new ProfileBuilder('m', [{ name: 'x', type: 'numeric' }], { reservoir: 20_000, fineBins: 100 });
    const n = 300_000;
    for (let i = 0; i < n; i++) b.first({ x: random() });
    b.freeze();
    const again = prng(7);
    for (let i = 0; i < n; i++) b.second({ x: again() });
    const p = b.profile().features.x as NumericProfile;
    expect(p.counts.reduce((a, c) => a + c, 0)).toBe(n);
    expect(p.counts.length).toBe(100);
    expect(p.sample).toBeNull();
    // Approximate edges from the reservoir still give bins close to 1% of the mass each.
    for (const c of p.counts) expect(Math.abs(c / n - 0.01)).toBeLessThan(0.004);
  });
});

describe('a sliding window', () => {
  it('holds O(bins x steps) values however many records it counts', () => {
    const w = new SlidingCounts(1000, 300, 12, 5000);
    const n = 1_000_000;
    for (let i = 0; i < n; i++) w.add(i % 1000, 1200 + Math.floor((i * 3600) / n), i);
    expect(w.heldValues).toBeLessThanOrEqual(1000 * 12 + 5000 * 12);
    const { counts, raw } = w.merged(4799);
    expect(counts.reduce((a, c) => a + c, 0)).toBe(1_000_000);
    expect(raw).toBeNull();
  });

  it('forgets steps that slid out of the window', () => {
    const w = new SlidingCounts(3, 60, 5);
    w.add(0, 0, 1);
    w.add(1, 290, 2);
    expect([...w.merged(290).counts]).toEqual([1, 1, 0]);
    expect([...w.merged(300).counts]).toEqual([0, 1, 0]);
    expect(w.merged(290).raw).toEqual([1, 2]);
  });
});

describe('drift windows of a model', () => {
  it('slide over the configured drift_window', async () => {
    const { DriftWindows } = await import('../ingest/drift.js');
    const profile = { format: 'modelwatch-baseline/1' as const, model: 'm', records: 3, features: { x: { type: 'numeric' as const, edges: [1, 2], counts: [1, 1, 1], count: 3, nulls: 0, min: 0, max: 3, sample: null } } };
    const spec = (window: number) => ({ name: 'm', baseline: 'b.json', driftWindowSeconds: window, thresholds: { driftFalseAlarmRate: 0.01 } }) as never;
    const short = new DriftWindows([spec(120)], () => profile);
    const long = new DriftWindows([spec(3600)], () => profile);
    for (const w of [short, long]) w.sink('m', 'x')?.add(1.5, 1000);
    const samples = (w: InstanceType<typeof DriftWindows>, now: number) => w.evaluate(now)[0]?.result.windowSamples;
    expect(samples(short, 1100)).toBe(1);
    expect(samples(short, 1200)).toBe(0);
    expect(samples(long, 1200)).toBe(1);
  });
});
