// The incomplete gamma function and chi-square tails against SciPy at the p-values people read
// (0.01 to 0.99), 1 to 999 degrees of freedom: relative tolerance 1e-9. A stub returning 0, or a
// typo in a Lanczos coefficient, fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chiSquareSf, gammaQ, lnGamma } from './gamma.js';
import { chiSquareQuantile } from './floor.js';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../test/fixtures/stats/gamma.json'), 'utf8')) as {
  chi_square: { dof: number; p: number; x: number; sf: number }[];
  gamma: { a: number; x: number; q: number; lngamma: number }[];
};
const relative = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('incomplete gamma and chi-square against SciPy', () => {
  it.each(fixture.gamma)('Q($a, $x) = $q', ({ a, x, q, lngamma }) => {
    expect(relative(gammaQ(a, x), q)).toBeLessThan(1e-9);
    expect(Math.abs(lnGamma(a) - lngamma)).toBeLessThan(1e-9 * Math.max(1, Math.abs(lngamma)));
  });

  it.each(fixture.chi_square)('chi-square survival with $dof dof at $x is $sf', ({ dof, x, sf }) => {
    expect(relative(chiSquareSf(x, dof), sf)).toBeLessThan(1e-9);
  });

  it.each(fixture.chi_square)('the chi-square upper $p point with $dof dof is $x', ({ dof, p, x }) => {
    expect(relative(chiSquareQuantile(dof, p), x)).toBeLessThan(1e-9);
  });
});
