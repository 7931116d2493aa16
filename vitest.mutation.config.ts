// The tests the mutation run (stryker.config.mjs) judges the alert generator by: oracles that do
// not come from the generator's own specs, and upstream tools. No golden files.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/promtool/*.test.ts', 'test/alertmanager/routing.test.ts', 'test/alertmanager/inhibition.test.ts', 'test/drift/floor-alert.test.ts',
      'test/contract.test.ts', 'test/bundle.test.ts', 'src/generate/**/*.test.ts',
    ],
    setupFiles: ['test/setup/seed.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
