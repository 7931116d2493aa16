// Monte Carlo calibration of the drift noise floors: with no drift, the share of windows whose
// PSI or KS passes its floor is at most the false-alarm rate plus sampling error, for a numeric
// feature and categoricals with 3, 100 and 1,000 levels at n = 100 ... 10,000; with a real shift
// the floor still lets the alert through at the larger sizes. Seeded: the same windows each run.
import { describe, expect, it } from 'vitest';
import { baseline, categorical, numeric, rates, type Feature } from '../../bench/null-drift.js';

const ALPHA = 0.01;
const WINDOWS = 200;
// Three standard errors of a share near ALPHA over WINDOWS windows.
const TOLERANCE = ALPHA + 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / WINDOWS);

const FEATURES: [Feature, number][] = [[numeric, 20_000], [categorical(3), 20_000], [categorical(100), 50_000], [categorical(1000), 100_000]];

describe.each(FEATURES)('the noise floor of $name', (feature, m) => {
  const base = baseline(feature, m, 11);
  it.each([100, 1000, 10_000])('under no drift, n = %i: at most the false-alarm rate over the floor', (n) => {
    const r = rates(feature, base, n, WINDOWS, 0, n + 1);
    expect(r.psiOverFloor, `PSI ${r.psiOverFloor}`).toBeLessThanOrEqual(TOLERANCE);
    if (feature.type === 'numeric') expect(r.ksOverFloor, `KS ${r.ksOverFloor}`).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('detection above the floor', () => {
  it('a 0.2 sd shift of a numeric feature alerts on PSI and KS in nearly every window of 10,000', () => {
    const r = rates(numeric, baseline(numeric, 20_000, 11), 10_000, 50, 0.2, 5, ALPHA, 0.01);
    expect(r.psiAlert).toBeGreaterThanOrEqual(0.95);
    expect(r.ksAlert).toBeGreaterThanOrEqual(0.95);
  });

  it('10 % of the mass moved to the rarest of 1,000 categories alerts in nearly every window of 10,000', () => {
    const feature = categorical(1000);
    const r = rates(feature, baseline(feature, 100_000, 11), 10_000, 50, 0.1, 5);
    expect(r.psiAlert).toBeGreaterThanOrEqual(0.95);
  });
});
