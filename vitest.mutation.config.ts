// The tests the mutation run (stryker.config.mjs) judges the alert generator by: oracles that do
// not come from the generator's own specs, run through the upstream tools (promtool runs the
// hand-written suites on the generated rules, amtool routes on the generated config, a real
// Alertmanager inhibits). No golden files, and not the generated promtool scenarios
// (test/bundle.test.ts): they come from the same specs as the rules.
//
// Nearly every mutant is "static" to Stryker (the tests generate whole bundles, so no single test
// owns a line), and a static mutant runs every test here. MUTATION_SCOPE narrows the set to the
// oracles that read what a scope generates: `alertmanager` (the routing, inhibition and policy
// tests read alertmanager.yml; the Kubernetes parity test simulates its business hours against
// the hours as written, and renders its templates with amtool) or `prometheus` (the rules: promtool suites, the metric contract,
// the drift floor, tiers through amtool routing). Unset: all of them.
import { defineConfig } from 'vitest/config';

const ALERTMANAGER = ['test/alertmanager/routing.test.ts', 'test/alertmanager/inhibition.test.ts', 'test/alertmanager/policy.test.ts', 'test/kubernetes-parity.test.ts'];
const PROMETHEUS = ['test/promtool/*.test.ts', 'test/alertmanager/routing.test.ts', 'test/drift/floor-alert.test.ts', 'test/contract.test.ts', 'src/generate/**/*.test.ts'];
const scope = process.env.MUTATION_SCOPE;

export default defineConfig({
  test: {
    include: scope === 'alertmanager' ? ALERTMANAGER : scope === 'prometheus' ? PROMETHEUS : [...new Set([...PROMETHEUS, ...ALERTMANAGER])],
    setupFiles: ['test/setup/seed.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
