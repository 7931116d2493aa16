// The drift alerts against the noise floor, with promtool on the example's generated rules and a
// hand-written test file (not generated from the alert specs): above the level but under the
// floor stays silent; above both fires, at the level the statistic has passed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateInto, hasTool, run } from '../tools.js';

const series = (name: string, labels: string, values: string) => `      - series: '${name}{instance="i",job="modelwatch",model="fraud-classifier",${labels}}'\n        values: '${values}'\n`;

const TEST = `rule_files: [../rules/drift.yml]
evaluation_interval: 1m
tests:
  # PSI 0.3 is past the critical level, but a window this size reaches 0.5 on noise: silent.
  - interval: 1m
    input_series:
${series('modelwatch_drift_psi', 'feature="amount"', '0.3x30')}${series('modelwatch_drift_noise_floor', 'feature="amount",statistic="psi"', '0.5x30')}${series('modelwatch_drift_window_samples', 'feature="amount"', '800x30')}
    alert_rule_test:
      - {alertname: ModelwatchFeatureDrift, eval_time: 25m, exp_alerts: []}
  # The same PSI over a floor of 0.05: both tiers fire after their 15 minutes.
  - interval: 1m
    input_series:
${series('modelwatch_drift_psi', 'feature="amount"', '0.3x30')}${series('modelwatch_drift_noise_floor', 'feature="amount",statistic="psi"', '0.05x30')}${series('modelwatch_drift_window_samples', 'feature="amount"', '800x30')}
    alert_rule_test:
      - alertname: ModelwatchFeatureDrift
        eval_time: 25m
        exp_alerts:
          - exp_labels: {severity: warning, tier: ticket, category: drift, feature: amount, model: fraud-classifier, instance: i, job: modelwatch}
            exp_annotations:
              summary: A model's input feature distribution moved away from its baseline.
              description: PSI of fraud-classifier / amount (above its noise floor, window of at least 500 values) is 0.3, above the warning level of 0.1.
              runbook_url: https://github.com/modelwatch/modelwatch/blob/main/runbooks/modelwatch-feature-drift.md
              dashboard_url: http://localhost:3000/d/modelwatch-data-quality-drift?var-model=fraud-classifier
              owner: risk-ml
              model_description: Scores card transactions for fraud before authorisation.
          - exp_labels: {severity: critical, tier: ticket, category: drift, feature: amount, model: fraud-classifier, instance: i, job: modelwatch}
            exp_annotations:
              summary: A model's input feature distribution moved away from its baseline.
              description: PSI of fraud-classifier / amount (above its noise floor, window of at least 500 values) is 0.3, above the critical level of 0.2.
              runbook_url: https://github.com/modelwatch/modelwatch/blob/main/runbooks/modelwatch-feature-drift.md
              dashboard_url: http://localhost:3000/d/modelwatch-data-quality-drift?var-model=fraud-classifier
              owner: risk-ml
              model_description: Scores card transactions for fraud before authorisation.
  # KS D 0.15 over a KS floor of 0.2: silent; the PSI floor does not apply to KS.
  - interval: 1m
    input_series:
${series('modelwatch_drift_ks_statistic', 'feature="amount"', '0.15x30')}${series('modelwatch_drift_noise_floor', 'feature="amount",statistic="ks"', '0.2x30')}${series('modelwatch_drift_noise_floor', 'feature="amount",statistic="psi"', '0.01x30')}${series('modelwatch_drift_window_samples', 'feature="amount"', '800x30')}
    alert_rule_test:
      - {alertname: ModelwatchFeatureDriftKs, eval_time: 25m, exp_alerts: []}
`;

describe('drift alerts and the noise floor', () => {
  it.skipIf(!hasTool('promtool'))('stay silent under the floor and fire above it (promtool, hand-written cases)', () => {
    const dir = generateInto('examples/modelwatch.yaml');
    const file = join(dir, 'prometheus', 'tests', 'floor.test.yml');
    writeFileSync(file, TEST);
    const r = run('promtool', ['test', 'rules', file]);
    expect(r.code, r.out).toBe(0);
  });
});
