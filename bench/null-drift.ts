// Drift statistics on windows with no drift and with a known shift, through the exporter's own
// drift windows (DriftWindows: bins, outer bins, PSI groups, noise floors): what share of windows
// would alert. Shared by the calibration test (test/drift/noise-floor.test.ts) and
// bench/noise-floor.ts, which prints the README table.
import type { ModelSpec } from '../src/config/index.js';
import { DriftWindows } from '../src/ingest/drift.js';
import { normalFrom, ProfileBuilder, prng, type Baseline } from '../src/stats/profile.js';

export interface Feature {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
  /** A value from the population, with an optional shift (sd for numeric, moved mass for categorical). */
  draw(random: () => number, shift: number): number | string;
}

export const numeric: Feature = { name: 'numeric', type: 'numeric', draw: (r, shift) => normalFrom(r)() + shift };

/** k categories with Zipf(1) frequencies; a shift moves that share of the mass to the rarest category. */
export function categorical(k: number): Feature {
  const weights = Array.from({ length: k }, (_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cum: number[] = [];
  weights.reduce((a, w) => { cum.push((a + w) / total); return a + w; }, 0);
  return {
    name: `categorical-${k}`, type: 'categorical',
    draw: (r, shift) => {
      if (shift > 0 && r() < shift) return `c${k - 1}`;
      const u = r();
      let lo = 0;
      let hi = k - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if ((cum[mid] as number) < u) lo = mid + 1; else hi = mid; }
      return `c${lo}`;
    },
  };
}

export function baseline(f: Feature, m: number, seed: number): Baseline {
  const random = prng(seed);
  const b = new ProfileBuilder('m', [{ name: f.name, type: f.type }], { topCategories: 2000 });
  const values = Array.from({ length: m }, () => ({ [f.name]: f.draw(random, 0) }));
  for (const v of values) b.first(v);
  b.freeze();
  for (const v of values) b.second(v);
  return b.profile();
}

export interface Rates {
  readonly psiOverFloor: number; readonly ksOverFloor: number;
  /** Above the level alone (what alerts did before the floor). */
  readonly psiOverLevel: number; readonly ksOverLevel: number;
  /** Above the level and the floor (what alerts do). */
  readonly psiAlert: number; readonly ksAlert: number;
}

const NOW = 1_800_000_000;

/**
 * Share of `windows` windows of n values where PSI (KS) is above its noise floor, and where the
 * alert condition holds (above the floor and above `level`), at false-alarm rate alpha.
 */
export function rates(f: Feature, base: Baseline, n: number, windows: number, shift: number, seed: number, alpha = 0.01, level = 0.1): Rates {
  const random = prng(seed);
  const spec = { name: 'm', baseline: 'b.json', driftWindowSeconds: 3600, thresholds: { driftFalseAlarmRate: alpha } } as unknown as ModelSpec;
  let psiOver = 0;
  let ksOver = 0;
  let psiAlert = 0;
  let ksAlert = 0;
  let psiLevel = 0;
  let ksLevel = 0;
  for (let w = 0; w < windows; w++) {
    const drift = new DriftWindows([spec], () => base);
    const sink = drift.sink('m', f.name);
    if (!sink) throw new Error('no sink');
    for (let i = 0; i < n; i++) sink.add(f.draw(random, shift), NOW - 1);
    const [e] = drift.evaluate(NOW);
    if (!e) throw new Error('no result');
    if (e.result.psi > level) psiLevel++;
    if (e.result.ks > level) ksLevel++;
    if (e.result.psi > e.floor.psi) { psiOver++; if (e.result.psi > level) psiAlert++; }
    if (e.result.ks > e.floor.ks) { ksOver++; if (e.result.ks > level) ksAlert++; }
  }
  return { psiOverFloor: psiOver / windows, ksOverFloor: ksOver / windows, psiOverLevel: psiLevel / windows, ksOverLevel: ksLevel / windows, psiAlert: psiAlert / windows, ksAlert: ksAlert / windows };
}
