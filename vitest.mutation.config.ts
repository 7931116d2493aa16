// The tests the mutation run (stryker.config.mjs) judges the alert generator by: oracles that do
// not come from the generator's own specs, run through the upstream tools (promtool runs the
// hand-written suites on the generated rules, amtool routes on the generated config, a real
// Alertmanager inhibits). No golden files, and not the generated promtool scenarios
// (test/bundle.test.ts): they come from the same specs as the rules.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/promtool/*.test.ts', 'test/alertmanager/routing.test.ts', 'test/alertmanager/inhibition.test.ts', 'test/alertmanager/policy.test.ts',
      'test/drift/floor-alert.test.ts', 'test/contract.test.ts', 'src/generate/**/*.test.ts',
    ],
    setupFiles: ['test/setup/seed.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
