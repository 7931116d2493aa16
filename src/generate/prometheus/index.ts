import type { Model } from '../../config/index.js';
import { yamlArtifact, type Artifact } from '../artifact.js';
import { alertFamilies } from './alerts/index.js';
import { prometheusConfig } from './config.js';
import { ruleGroups, ruleTests } from './rules.js';

export { alertFamilies } from './alerts/index.js';
export { R } from './recording.js';
export { runbookName } from './rules.js';
export type { AlertFamily } from './types.js';

export function prometheusArtifacts(model: Model, forScale = 1): Artifact[] {
  const families = alertFamilies(model);
  const groups = ruleGroups(model, families, forScale);
  const src = model.configPath;
  const note = forScale === 1 ? [] : [`Demo timings: every alert's for and keep_firing_for is ${forScale} x its production value, so the`, 'demo\'s incidents alert within minutes. Generate without --demo for production timings.'];
  return [
    yamlArtifact('prometheus/prometheus.yml', src, prometheusConfig(model)),
    ...[...groups].map(([domain, g]) => yamlArtifact(`prometheus/rules/${domain}.yml`, src, { groups: g }, note)),
    ...[...ruleTests(model, families, groups)].map(([domain, t]) => yamlArtifact(`prometheus/tests/${domain}.test.yml`, src, t)),
  ];
}
