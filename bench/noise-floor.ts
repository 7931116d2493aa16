// Drift noise floors (README "Drift you can page on"): share of windows that would alert with
// no drift and with a fixed real shift, at the default level (0.1) with and without the floor
// (alpha 0.01). Run: npm run bench:floor
import { baseline, categorical, numeric, rates, type Feature } from './null-drift.js';

const WINDOWS = 400;
const cases: [Feature, number, number][] = [[numeric, 20_000, 0.5], [categorical(3), 20_000, 0.3], [categorical(100), 50_000, 0.05], [categorical(1000), 100_000, 0.1]];

console.log(`\n### Drift alerts with and without the noise floor (${WINDOWS} windows each, alpha 0.01, level 0.1)\n`);
console.log('| feature | reference | n | no drift: PSI > 0.1 | no drift: PSI > 0.1 and floor | shift | shift: PSI > 0.1 | shift: PSI > 0.1 and floor | shift: KS > 0.1 and floor |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [f, m, shift] of cases) {
  const base = baseline(f, m, 11);
  for (const n of [100, 1000, 10_000]) {
    const quiet = rates(f, base, n, WINDOWS, 0, n + 1, 0.01, 0.1);
    const moved = rates(f, base, n, WINDOWS, shift, n + 2, 0.01, 0.1);
    const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
    const shiftText = f.type === 'numeric' ? `${shift} sd` : `${100 * shift} % of mass to the rarest`;
    console.log(`| ${f.name} | ${m.toLocaleString('en')} | ${n.toLocaleString('en')} | ${pct(quiet.psiOverLevel)} | ${pct(quiet.psiAlert)} | ${shiftText} | ${pct(moved.psiOverLevel)} | ${pct(moved.psiAlert)} | ${f.type === 'numeric' ? pct(moved.ksAlert) : '—'} |`);
  }
}
