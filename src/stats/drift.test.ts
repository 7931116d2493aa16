// Drift statistics against SciPy/NumPy reference values computed on the same bins
// (test/fixtures/stats/make_fixtures.py -> drift.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BinIndex, quantileEdges } from './bins.js';
import { chiSquare, jsDistance, psiCategorical } from './categorical.js';
import { ksBinned, ksExact, ksPValue, psiNumeric } from './numeric.js';

interface Case {
  name: string; kind: 'numeric' | 'categorical'; reference: (number | string)[]; current: (number | string)[]; bins: number;
  psi: number | null; ks_binned?: number | null; ks_upper?: number | null; ks_exact?: number | null; ks_p?: number | null;
  chi2?: number | null; chi2_p?: number | null; js?: number | null;
}
const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/stats/drift.json', import.meta.url), 'utf8')) as { k: number; cases: Case[] };

const relClose = (actual: number, expected: number | null | undefined, rel = 1e-9) => {
  if (expected === null || expected === undefined) return expect(actual).toBeNaN();
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + 1e-15);
};

function numericCounts(c: Case) {
  const ref = c.reference as number[];
  const index = new BinIndex(quantileEdges(Float64Array.from(ref).sort(), fixture.k));
  const count = (xs: number[]) => { const out = new Float64Array(index.bins); for (const v of xs) out[index.binOf(v)] = (out[index.binOf(v)] as number) + 1; return out; };
  return { index, ref: count(ref), cur: count(c.current as number[]) };
}

function categoricalCounts(c: Case) {
  const cats = [...new Set(c.reference as string[])].sort();
  const at = new Map(cats.map((v, i) => [v, i]));
  const count = (xs: string[]) => { const out = new Float64Array(cats.length + 1); for (const v of xs) { const i = at.get(v) ?? cats.length; out[i] = (out[i] as number) + 1; } return out; };
  return { ref: count(c.reference as string[]), cur: count(c.current as string[]) };
}

describe.each(fixture.cases.filter((c) => c.kind === 'numeric'))('numeric: $name', (c) => {
  const { index, ref, cur } = numericCounts(c);
  it('builds the same bins as NumPy', () => expect(index.bins).toBe(c.bins));
  it('computes PSI within 1e-9', () => relClose(psiNumeric(ref, cur), c.psi));
  it('computes the binned KS statistic and its bound within 1e-9', () => {
    const ks = ksBinned(ref, cur);
    relClose(ks.d, c.ks_binned);
    relClose(ks.upper, c.ks_upper);
  });
  it('brackets the exact KS statistic between the binned D and its bound', () => {
    if (c.ks_exact == null) return expect(ksBinned(ref, cur).d).toBeNaN();
    const ks = ksBinned(ref, cur);
    expect(ks.d).toBeLessThanOrEqual(c.ks_exact + 1e-12);
    expect(ks.upper).toBeGreaterThanOrEqual(c.ks_exact - 1e-12);
  });
  it('computes the exact KS statistic as scipy.stats.ks_2samp within 1e-12', () => {
    const d = ksExact(c.reference as number[], c.current as number[]);
    if (c.ks_exact == null) return expect(d).toBeNaN();
    expect(Math.abs(d - c.ks_exact)).toBeLessThanOrEqual(1e-12);
  });
  it('computes the asymptotic p-value as scipy.stats.kstwobign within 1e-6', () => {
    const p = ksPValue(ksExact(c.reference as number[], c.current as number[]), c.reference.length, c.current.length);
    if (c.ks_p == null) return expect(p).toBeNaN();
    expect(Math.abs(p - c.ks_p)).toBeLessThanOrEqual(1e-6);
  });
});

describe.each(fixture.cases.filter((c) => c.kind === 'categorical'))('categorical: $name', (c) => {
  const { ref, cur } = categoricalCounts(c);
  it('counts unseen values in the other bucket', () => expect(ref.length).toBe(c.bins));
  it('computes PSI within 1e-9', () => relClose(psiCategorical(ref, cur), c.psi));
  it('computes chi-square within 1e-9 and its p-value within 1e-6', () => {
    const chi = chiSquare(ref, cur);
    relClose(chi.stat, c.chi2);
    if (c.chi2_p == null) return expect(chi.p).toBeNaN();
    expect(Math.abs(chi.p - c.chi2_p)).toBeLessThanOrEqual(1e-6);
  });
  it('computes the Jensen-Shannon distance within 1e-9', () => relClose(jsDistance(ref, cur), c.js));
});

describe('BinIndex', () => {
  it('agrees with a binary search on every value, edges included', () => {
    const edges = quantileEdges(Float64Array.from({ length: 5000 }, (_, i) => Math.floor(Math.sin(i) * 1000) / 10).sort(), 1000);
    const index = new BinIndex(edges, 64);
    const search = (v: number) => { let lo = 0; let hi = edges.length; while (lo < hi) { const mid = (lo + hi) >> 1; if ((edges[mid] as number) < v) lo = mid + 1; else hi = mid; } return lo; };
    for (const v of [...edges, ...Array.from({ length: 20000 }, (_, i) => -120 + i * 0.012), -1e9, 1e9]) expect(index.binOf(v)).toBe(search(v));
  });
});
