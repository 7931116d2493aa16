// Mutation testing of the alert generator (npm run mutation): what the tests that judge alert
// correctness (hand-written promtool suites, amtool routing, a running Alertmanager, the metric
// contract, upstream tools) fail to notice. Golden files are left out on purpose: a byte diff
// kills every mutant and proves nothing about correctness.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['src/generate/prometheus/**/*.ts', 'src/generate/alertmanager/**/*.ts', '!src/**/*.test.ts'],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // A mutant that hangs (a loop bound mutated) costs this much on top of the normal run time.
  timeoutMS: 15000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
