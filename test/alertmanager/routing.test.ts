// Every alert of the example bundle, with the labels its generated rule gives it, lands where the
// paging policy says (README "Paging policy"), as amtool decides on the generated
// alertmanager.yml. The expectations are written here by hand, not derived from the policy table.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generateInto, hasTool, run } from '../tools.js';

type Expected = Partial<Record<'critical' | 'warning' | 'info', 'page' | 'ticket' | 'digest' | 'heartbeat'>>;
const PAGE_OR_TICKET: Expected = { critical: 'page', warning: 'ticket' };
const TICKET: Expected = { critical: 'ticket', warning: 'ticket' };
const EXPECTED: Record<string, Expected> = {
  ModelwatchWatchdog: { info: 'heartbeat' },
  ModelwatchEndpointDown: PAGE_OR_TICKET,
  ModelwatchHighErrorRatio: PAGE_OR_TICKET,
  ModelwatchErrorBudgetFastBurn: PAGE_OR_TICKET,
  ModelwatchErrorBudgetSlowBurn: PAGE_OR_TICKET,
  ModelwatchHighLatency: PAGE_OR_TICKET,
  ModelwatchTimeToFirstTokenHigh: PAGE_OR_TICKET,
  ModelwatchCanaryRegression: { warning: 'ticket' },
  ModelwatchPostDeployRegression: { warning: 'ticket' },
  ModelwatchSegmentDisparity: { warning: 'ticket' },
  ModelwatchDisparateImpact: { warning: 'ticket' },
  ModelwatchTaskSuccessDrop: PAGE_OR_TICKET,
  ModelwatchHallucinationRateHigh: PAGE_OR_TICKET,
  ModelwatchLowAccuracy: PAGE_OR_TICKET,
  ModelwatchLowEstimatedAccuracy: PAGE_OR_TICKET,
  ModelwatchExporterDown: PAGE_OR_TICKET,
  ModelwatchExporterAbsent: PAGE_OR_TICKET,
  ModelwatchPrometheusRuleFailures: PAGE_OR_TICKET,
  ModelwatchPrometheusNotificationsFailing: PAGE_OR_TICKET,
  ModelwatchPrometheusAlertmanagerUnreachable: PAGE_OR_TICKET,
  ModelwatchAlertmanagerNotificationsFailing: PAGE_OR_TICKET,
  ModelwatchPrometheusConfigReloadFailed: TICKET,
  ModelwatchAlertmanagerConfigReloadFailed: TICKET,
  ModelwatchConfigReloadFailed: TICKET,
  ModelwatchSeriesDropped: TICKET,
  ModelwatchRecordsRejected: TICKET,
  ModelwatchLabelsExpiring: TICKET,
  // Causes open tickets, however severe: drift, data quality, freshness, golden sets, confidence, cost.
  ModelwatchFeatureDrift: TICKET,
  ModelwatchFeatureDriftKs: TICKET,
  ModelwatchPredictionDrift: TICKET,
  ModelwatchFeatureNulls: TICKET,
  ModelwatchFeatureOutOfRange: TICKET,
  ModelwatchSchemaViolations: TICKET,
  ModelwatchLowConfidence: TICKET,
  ModelwatchHighCalibrationError: TICKET,
  ModelwatchStaleFeed: TICKET,
  ModelwatchGoldenSetFailing: TICKET,
  ModelwatchLabelsDelayed: TICKET,
  ModelwatchThroughputDrop: TICKET,
  ModelwatchSatisfactionDrop: TICKET,
  ModelwatchPredictionsAbsent: TICKET,
  ModelwatchSourceDown: TICKET,
  ModelwatchServerSaturated: TICKET,
  ModelwatchHighCostRate: TICKET,
  ModelwatchDailyCostSpike: TICKET,
  ModelwatchBudgetForecastExceeded: TICKET,
  ModelwatchCostEstimateGap: TICKET,
  ModelwatchPriceTableStale: { info: 'digest' },
};

interface Rule { alert?: string; labels?: Record<string, string> }

describe.runIf(hasTool('amtool'))('routing of every alert of the example bundle (amtool)', () => {
  const dir = generateInto('examples/modelwatch.yaml');
  const rules = readdirSync(join(dir, 'prometheus/rules')).flatMap((f) =>
    (yaml.load(readFileSync(join(dir, 'prometheus/rules', f), 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules.filter((r) => r.alert)));
  const seen = [...new Map(rules.map((r) => [`${r.alert} ${r.labels?.severity}`, r])).values()];

  it('has an expectation for every alert it generates', () => {
    expect(seen.length).toBeGreaterThan(40);
    expect(seen.filter((r) => !EXPECTED[r.alert as string]?.[r.labels?.severity as 'critical']).map((r) => `${r.alert} ${r.labels?.severity}`)).toEqual([]);
  });

  it.each(seen.map((r) => [`${r.alert} (${r.labels?.severity})`, r] as const))('%s', (_name, r) => {
    const want = EXPECTED[r.alert as string]?.[r.labels?.severity as 'critical'];
    const labels = Object.entries({ alertname: r.alert, ...r.labels, model: r.labels?.model ?? 'fraud-classifier' }).map(([k, v]) => `${k}=${v}`);
    const out = run('amtool', ['config', 'routes', 'test', '--config.file=alertmanager/alertmanager.yml', `--verify.receivers=modelwatch-${want}`, ...labels], dir);
    expect(out.code, out.out).toBe(0);
  });
});

describe('alerting.paging', () => {
  it('sends the critical level of an overridden alert to the tier it names, and leaves its warning a ticket', async () => {
    const { parseConfig } = await import('../../src/config/index.js');
    const { generateAll } = await import('../../src/generate/index.js');
    const text = readFileSync('examples/modelwatch.yaml', 'utf8').replace('alerting:\n', 'alerting:\n  paging: {ModelwatchFeatureDrift: page, ModelwatchHighLatency: ticket}\n');
    const loaded = parseConfig(text, 'examples/modelwatch.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const drift = yaml.load(generateAll(loaded.model).find((a) => a.path === 'prometheus/rules/drift.yml')?.content ?? '') as { groups: { rules: Rule[] }[] };
    const tiers = drift.groups.flatMap((g) => g.rules).filter((r) => r.alert === 'ModelwatchFeatureDrift').map((r) => `${r.labels?.severity} ${r.labels?.tier}`);
    expect(tiers.sort()).toEqual(['critical page', 'warning ticket']);
    const serving = yaml.load(generateAll(loaded.model).find((a) => a.path === 'prometheus/rules/serving.yml')?.content ?? '') as { groups: { rules: Rule[] }[] };
    const latency = serving.groups.flatMap((g) => g.rules).filter((r) => r.alert === 'ModelwatchHighLatency').map((r) => r.labels?.tier);
    expect(latency.length).toBeGreaterThanOrEqual(2);
    expect(new Set(latency)).toEqual(new Set(['ticket']));
  });

  it('refuses an alert name it does not know, at its line', async () => {
    const { parseConfig } = await import('../../src/config/index.js');
    const text = readFileSync('examples/modelwatch.yaml', 'utf8').replace('alerting:\n', 'alerting:\n  paging: {ModelwatchFeatureDrfit: page}\n');
    const loaded = parseConfig(text, 'examples/modelwatch.yaml');
    expect(loaded.ok).toBe(false);
    expect(loaded.ok ? '' : loaded.errors.join('\n')).toMatch(/examples\/modelwatch.yaml:\d+:\d+ alerting.paging/);
  });
});
