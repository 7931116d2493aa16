// The AlertmanagerConfig behaves like alertmanager.yml. The generated AlertmanagerConfig is
// converted the way the operator converts it (alertmanager/operator.ts) and merged into
// kube-prometheus-stack's default config; then, for alerts of every severity with inhibiting
// alerts present, both configs must pick the same receiver (amtool decides), the same grouping
// and timing, the same inhibitions, and notify exactly in the business hours as written in their
// location (sampled every 53 minutes from 2026 to 2036, DST changes included). The notification text inlined in
// the CRD renders like the template file (amtool template render).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/index.js';
import { generateAll } from '../src/generate/index.js';
import { TEXT, TITLE } from '../src/generate/alertmanager/template.js';
import { FIRST_YEAR, LAST_YEAR } from '../src/generate/alertmanager/business-hours.js';
import { KPS_BASE, mergeAlertmanagerConfig } from './alertmanager/operator.js';
import { holds, inhibited, notifiesAt, route, type Labels, type Leaf } from './alertmanager/sim.js';
import { hasTool, run } from './tools.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function bundles(location: string) {
  const text = readFileSync('examples/modelwatch.yaml', 'utf8').replace('location: Europe/London', `location: ${location}`)
    .replace('    info: [email]', '    info: [email, webhook]\n  digest_interval: 12h').replace('    email:\n', '    webhook: {url: "http://chatops.example.com/hook"}\n    email:\n');
  const loaded = parseConfig(text, 'examples/modelwatch.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const model = loaded.model;
  const am = yaml.load(generateAll(model).find((a) => a.path === 'alertmanager/alertmanager.yml')?.content ?? '') as Json;
  const amc = yaml.load(generateAll(model, { target: 'kubernetes' }).find((a) => a.path === 'kubernetes/alertmanagerconfig.yaml')?.content ?? '') as Json;
  return { model, am, amc, merged: mergeAlertmanagerConfig(KPS_BASE, amc) };
}

const NS = 'modelwatch';
const unprefix = (leaf: Leaf) => ({ ...leaf, receiver: leaf.receiver.replace(`${NS}/modelwatch/`, ''), active_time_intervals: leaf.active_time_intervals.map((n) => n.replace(`${NS}/modelwatch/`, '')), mute_time_intervals: leaf.mute_time_intervals.map((n) => n.replace(`${NS}/modelwatch/`, '')) });

// Alerts as the PrometheusRule labels them (namespace included), with the inhibitors of each rule.
const ALERTS: Labels[] = ([
  { alertname: 'ModelwatchHighErrorRatio', severity: 'critical', tier: 'page', model: 'fraud', category: 'errors' },
  { alertname: 'ModelwatchHighErrorRatio', severity: 'warning', tier: 'ticket', model: 'fraud', category: 'errors' },
  { alertname: 'ModelwatchHighErrorRatio', severity: 'warning', tier: 'ticket', model: 'other', category: 'errors' },
  { alertname: 'ModelwatchEndpointDown', severity: 'critical', tier: 'page', model: 'fraud', category: 'endpoint' },
  { alertname: 'ModelwatchFeatureDrift', severity: 'warning', tier: 'ticket', model: 'fraud', category: 'drift', feature: 'amount' },
  { alertname: 'ModelwatchFeatureDrift', severity: 'warning', tier: 'ticket', model: 'other', category: 'drift', feature: 'amount' },
  { alertname: 'ModelwatchAccuracyLow', severity: 'critical', tier: 'page', model: 'fraud', category: 'accuracy' },
  { alertname: 'ModelwatchStaleFeed', severity: 'warning', tier: 'ticket', model: 'third', category: 'freshness' },
  { alertname: 'ModelwatchSourceDown', severity: 'warning', tier: 'ticket', kind: 'billing', source: 'openai', category: 'source' },
  { alertname: 'ModelwatchDailyCostSpike', severity: 'warning', tier: 'ticket', source: 'openai', category: 'cost' },
  { alertname: 'ModelwatchDailyCostSpike', severity: 'warning', tier: 'ticket', source: 'anthropic', category: 'cost' },
  { alertname: 'ModelwatchPriceTableStale', severity: 'info', tier: 'digest', category: 'cost' },
  { alertname: 'ModelwatchSomethingUnlabelled' },
] as Labels[]).map((a) => ({ ...a, namespace: NS }));
const EXPORTER_DOWN: Labels = { alertname: 'ModelwatchExporterDown', severity: 'critical', tier: 'page', namespace: NS, job: 'modelwatch' };

describe.each(['Europe/London', 'America/Los_Angeles', 'UTC'])('AlertmanagerConfig parity, business hours in %s', (location) => {
  const { model, am, merged } = bundles(location);
  const dir = mkdtempSync(join(tmpdir(), 'parity-'));
  writeFileSync(join(dir, 'original.yml'), yaml.dump({ ...am, templates: [join(process.cwd(), 'alertmanager/templates/*.tmpl')] }));
  writeFileSync(join(dir, 'merged.yml'), yaml.dump(merged));

  it.skipIf(!hasTool('amtool'))('the operator-merged config passes amtool check-config', () => {
    const r = run('amtool', ['check-config', join(dir, 'merged.yml')]);
    expect(r.code, r.out).toBe(0);
  });

  it.each(ALERTS.map((a) => [`${a.alertname} ${a.severity ?? '(no severity)'} ${a.model ?? a.source ?? ''}`, a] as const))('%s: same receiver (amtool), grouping and timing', (_name, alert) => {
    const a = route(am, alert).map(unprefix);
    // The operator's top route continues into the base config, where only Watchdog has a route:
    // a matched child keeps the root's receiver out, so ours is the one leaf.
    const m = route(merged, alert);
    expect(m).toHaveLength(1);
    expect(unprefix(m[0] as Leaf)).toEqual(a[0]);
    if (!hasTool('amtool')) return;
    const labels = Object.entries(alert).map(([k, v]) => `${k}=${v}`);
    const original = run('amtool', ['config', 'routes', 'test', `--config.file=${join(dir, 'original.yml')}`, ...labels]);
    const converted = run('amtool', ['config', 'routes', 'test', `--config.file=${join(dir, 'merged.yml')}`, ...labels]);
    // amtool is the oracle for the receivers; the model above must agree with it.
    expect(original.out.split('\n')[0]).toBe(route(am, alert).map((l) => l.receiver).join(','));
    expect(converted.out.split('\n')[0]).toBe(m.map((l) => l.receiver).join(','));
  });

  it('an alert without the namespace label is not routed by the AlertmanagerConfig (why the PrometheusRule adds it)', () => {
    const bare = Object.fromEntries(Object.entries(ALERTS[0] as Labels).filter(([k]) => k !== 'namespace'));
    expect(route(merged, bare).map((l) => l.receiver)).toEqual(['null']);
  });

  it('inhibits the same alerts', () => {
    for (const firing of [ALERTS, [...ALERTS, EXPORTER_DOWN]]) {
      for (const target of firing) {
        expect(inhibited(merged, target, firing), JSON.stringify(target)).toBe(inhibited(am, target, firing));
      }
    }
    // And the rules bite: the endpoint-down page silences the model's drift warning, not another model's.
    expect(inhibited(am, ALERTS[4] as Labels, ALERTS)).toBe(true);
    expect(inhibited(am, ALERTS[5] as Labels, ALERTS)).toBe(false);
    expect(inhibited(am, ALERTS[9] as Labels, ALERTS)).toBe(true);
    expect(inhibited(am, ALERTS[10] as Labels, ALERTS)).toBe(false);
  });

  it(`notifies in business hours of ${location} exactly, in both configs, ${FIRST_YEAR} to ${LAST_YEAR}`, () => {
    const leafA = route(am, ALERTS[1] as Labels)[0] as Leaf;
    const leafM = route(merged, ALERTS[1] as Labels)[0] as Leaf;
    expect(leafA.active_time_intervals).toEqual(['business-hours']);
    // The reference: the hours as written, evaluated in their location (what a person means).
    const bh = model.alerting.businessHours;
    const reference = { weekdays: bh.weekdays, times: [{ start_time: bh.start, end_time: bh.end }], location: bh.location };
    let inside = 0;
    let differ = 0;
    // The mutation run (stryker.config.mjs) samples the same years every 7 h 17 min (a step that
    // walks through every hour of the day within weeks) instead of every 53 minutes, to stay fast.
    const step = (process.env.MUTATION_SCOPE ? 437 : 53) * 60_000;
    for (let t = Date.UTC(FIRST_YEAR, 0, 1); t < Date.UTC(LAST_YEAR + 1, 0, 1); t += step) {
      const want = holds(reference, t);
      if (notifiesAt(am, leafA, t) !== want || notifiesAt(merged, leafM, t) !== want) differ++;
      if (want) inside++;
    }
    expect(differ).toBe(0);
    // 45 business hours of 168 in a week: the sample really covers both sides.
    expect(inside / (((LAST_YEAR + 1 - FIRST_YEAR) * 365.25 * 1440 * 60_000) / step)).toBeCloseTo(45 / 168, 2);
  });
});

describe('the notification text inlined in the AlertmanagerConfig', () => {
  it.skipIf(!hasTool('amtool')).each([['title', TITLE], ['text', TEXT]])('renders like the template file: modelwatch.%s', (name, body) => {
    const glob = ['--template.glob', 'alertmanager/templates/*.tmpl'];
    const viaFile = run('amtool', ['template', 'render', ...glob, `--template.text={{ template "modelwatch.${name}" . }}`]);
    const inline = run('amtool', ['template', 'render', ...glob, `--template.text=${body}`]);
    expect(viaFile.code, viaFile.out).toBe(0);
    expect(viaFile.out.length).toBeGreaterThan(10);
    // amtool's sample alerts start relative to now: two renders may straddle a minute.
    const at = (t: string) => t.replace(/\d{4}-\d\d-\d\d \d\d:\d\d [A-Z]+/g, '<time>');
    expect(at(inline.out)).toBe(at(viaFile.out));
  });
});
