// End to end on the real servers (test/e2e/harness.ts): the demo walks its incident timeline and
// each incident must reach its receiver — the incident -> alert -> tier table of README "The
// demo" — while the calm phase sends nothing. Compressed for CI: 1 s scrapes, evaluations and
// group waits, `for` durations x 0.01, and the test holds each phase until its alert arrives
// (at most PHASE_TIMEOUT) instead of the demo's clock; scripts/demo-alerts.ts measures the same
// table with the committed timings at --speed 1.
import { spawnSync } from 'node:child_process';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS } from '../../src/catalog/alerts.js';
import { UPSTREAM } from '../../src/catalog/upstream.js';
import { names, phaseOf, PHASES, type Expected, type Phase } from '../../src/demo/timeline.js';
import { collectExprs, substitute } from '../exprs.js';
import { hasTool, sleep } from '../tools.js';
import { delivers, RECEIVER, startStack, waitFor, type Notification, type Stack } from './harness.js';

const FOR_SCALE = 0.01;
const CALM_MS = 20_000;
const PHASE_TIMEOUT = 180_000;
const have = hasTool('promtool') && spawnSync('sh', ['-c', 'command -v prometheus && command -v prometheus-alertmanager']).status === 0;
if (!have && process.env.CI === 'true') throw new Error('prometheus and prometheus-alertmanager are required when CI=true');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let stack: Stack;
let calm: Notification[] = [];
const reached = new Map<string, number | null>();
let duringBurst: Json[] = [];

/** Every alert the phase expects has reached its receiver (one notification each, or one for all). */
const arrived = (ns: readonly Notification[], p: Phase) => p.expect.every((e) => ns.some((n) => delivers(n, e)));

describe.runIf(have)('the demo on real Prometheus and Alertmanager', () => {
  beforeAll(async () => {
    stack = await startStack({
      forScale: FOR_SCALE, compressed: true,
      tweak: (c) => {
        // An old price table makes the info-tier alert fire.
        c.prices = { ...c.prices, as_of: '2026-01-01' };
        // A lower spend level: a 10m rate over a series minutes old divides its spend by the whole 10m,
        // so 10 USD/h is reached only minutes into the spike (calm reads under 1.5 USD/h here).
        const assistant = (c.models as Json[]).find((m) => m.name === 'support-assistant') as Json;
        assistant.thresholds = { ...assistant.thresholds, cost_per_hour_usd: { warning: 4 } };
      },
    });
    const timeline = stack.demo.timeline;
    timeline.hold('calm');
    const calmStart = Date.now();
    await sleep(CALM_MS);
    calm = stack.notifications.filter((n) => n.at >= calmStart && n.firing && n.receiver !== 'webhook');
    for (const p of PHASES.filter((x) => x.name !== 'calm')) {
      timeline.hold(p.name);
      const t0 = Date.now();
      try {
        await waitFor(`${p.name} to reach its receiver`, () => arrived(stack.notifications.filter((n) => n.at >= t0), p), PHASE_TIMEOUT);
        reached.set(p.name, Date.now() - t0);
      } catch {
        reached.set(p.name, null);
      }
      if (p.name === 'error_burst') duringBurst = await stack.amAlerts();
    }
    timeline.hold('calm');
    // Every panel needs a few scrapes of every source (billing, golden sets, labels).
    await sleep(5000);
  }, PHASES.length * PHASE_TIMEOUT + CALM_MS + 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('sends nothing to the page or ticket tier in the calm phase', () => {
    expect(calm.map((n) => `${n.receiver}: ${n.alerts.join(',')}`)).toEqual([]);
  });

  it.each(PHASES.filter((p) => p.name !== 'calm').map((p) => [p.name, p] as const))('%s reaches its receiver', (name, p) => {
    const ms = reached.get(name);
    console.log(`${name}: ${p.expect.map((e) => `${e.alert}${e.or ? ` or ${e.or}` : ''} ${e.model} (${e.severity}) -> ${RECEIVER[e.tier]}`).join(', ')} after ${ms === null ? 'never' : `${(Number(ms) / 1000).toFixed(1)} s`}`);
    expect(ms, `${name} never reached its receiver within ${PHASE_TIMEOUT / 1000} s`).not.toBeNull();
    // The level too: Prometheus fired the expected severity with the expected tier label.
    expect(arrived(stack.notifications, p)).toBe(true);
  });

  it('pages only for symptoms: no cause ever reaches PagerDuty', () => {
    const pages = stack.notifications.filter((n) => n.receiver === 'pagerduty' && n.firing).flatMap((n) => n.alerts);
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.filter((a) => ALERTS[a] !== 'symptom')).toEqual([]);
  });

  it('exposes every Prometheus and Alertmanager metric the watcher alerts read', async () => {
    const text = (await (await fetch(`http://127.0.0.1:${stack.ports.prometheus}/metrics`)).text()) + (await (await fetch(`http://127.0.0.1:${stack.ports.alertmanager}/metrics`)).text());
    const names = new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
    expect(Object.values(UPSTREAM).filter((m) => !names.has(m))).toEqual([]);
  });

  it('loads every rule group and every rule is healthy', async () => {
    const groups = (await stack.api('/api/v1/rules')).data.groups as Json[];
    const expected = stack.artifacts.filter((a) => a.path.startsWith('prometheus/rules/'))
      .flatMap((a) => (yaml.load(a.content) as { groups: { name: string }[] }).groups.map((g) => g.name));
    expect(groups.map((g) => g.name).sort()).toEqual(expected.sort());
    const unhealthy = groups.flatMap((g) => (g.rules as Json[]).filter((r) => r.health !== 'ok').map((r) => `${g.name}/${r.name}: ${r.lastError}`));
    expect(unhealthy).toEqual([]);
  });

  it('produces a series for every recording rule', async () => {
    const records = ((await stack.api('/api/v1/rules?type=record')).data.groups as Json[]).flatMap((g) => (g.rules as Json[]).map((r) => String(r.name)));
    const empty: string[] = [];
    // Reconciliation needs a whole logged day (ingest/cost-days.ts): empty on a stack's first day.
    for (const r of records.filter((x) => !x.includes('estimated_cost'))) if (!(await stack.query(r)).length) empty.push(r);
    expect(empty).toEqual([]);
  });

  it('pages PagerDuty for the error burst, with its severity, summary and links', () => {
    // One page for the symptom: the error ratio, or the fast budget burn once it is established.
    const pd = stack.notifications.find((n) => n.receiver === 'pagerduty' && n.firing && names(phaseOf('error_burst').expect[0] as Expected, n.alerts))?.body;
    console.log('critical -> PagerDuty:', pd?.payload?.summary);
    expect(pd).toMatchObject({ routing_key: 'e2e-routing-key', event_action: 'trigger', payload: { severity: 'critical' } });
    // The alert's own sentence with its value and context: percent and what is normal, or a burn rate and the budget left.
    expect(pd?.payload.summary).toMatch(/^(ModelwatchHighErrorRatio fraud-classifier \(critical\): The error ratio of fraud-classifier.* is [0-9.]+%.* Normally |ModelwatchErrorBudgetFastBurn fraud-classifier \(critical\): fraud-classifier is burning its 30d error budget \(SLO 99.5%\) [0-9.]+ times as fast.* of the 30d error budget is left)/);
    // Runbook and dashboard as PagerDuty links; the client link is Alertmanager's external URL.
    expect((pd?.links as Json[]).map((l) => l.text)).toEqual(['Runbook', 'Dashboard']);
    expect(pd?.client_url).toBe(stack.model.alerting.externalUrl);
  });

  it('posts a ticket to Slack with the runbook link', () => {
    const slack = stack.notifications.find((n) => n.receiver === 'slack' && n.firing && n.alerts.includes('ModelwatchFeatureNulls'))?.body;
    const text = JSON.stringify(slack);
    console.log('ticket -> Slack:', slack?.attachments?.[0]?.title);
    expect(slack?.channel).toBe('#ml-alerts');
    expect(text).toContain('runbooks/modelwatch-feature-nulls.md');
  });

  it('sends an info alert to the digest webhook', () => {
    const hook = stack.notifications.find((n) => n.receiver === 'webhook' && n.alerts.includes('ModelwatchPriceTableStale'))?.body;
    expect(hook?.commonLabels).toMatchObject({ alertname: 'ModelwatchPriceTableStale', severity: 'info' });
  });

  it('inhibits the warning copy of a firing critical alert', () => {
    const warning = duringBurst.find((a) => a.labels.alertname === 'ModelwatchHighErrorRatio' && a.labels.severity === 'warning');
    // Whether the warning's ticket went out before the critical fired depends on the ramp from 2 %
    // to 5 % against the ticket group wait: 2 s here, so that is measured at the committed timings
    // by scripts/demo-alerts.ts, not here.
    expect(warning?.status.inhibitedBy.length).toBeGreaterThan(0);
  });

  it('resolves every dashboard variable to values present in the data', async () => {
    const missing: string[] = [];
    for (const a of stack.artifacts.filter((x) => x.path.startsWith('grafana/dashboards/'))) {
      for (const v of (JSON.parse(a.content) as Json).templating.list as Json[]) {
        const m = /^label_values\((.*),\s*([a-z_]+)\)$/.exec(typeof v.query === 'string' ? v.query : '');
        if (!m) continue;
        const series = await stack.query(String(m[1]).replace(/\$(job|model|version)\b/g, '.+'));
        const values = new Set(series.map((x) => x.metric[m[2] as string]).filter(Boolean));
        if (!values.size) missing.push(`${a.path} $${String(v.name)}: ${v.query}`);
        // $version lists the versions the data has (today both models log theirs), not "unknown".
        if (v.name === 'version') expect([...values].sort()).toEqual(expect.arrayContaining(['2026-10-01', '2026-11-15', 'v3', 'v4']));
      }
    }
    expect(missing).toEqual([]);
  });

  it('returns data for every query of every dashboard panel', async () => {
    const targets = collectExprs(stack.artifacts).filter((e) => e.where.startsWith('grafana/dashboards/') && !e.where.includes(' variable ') && !e.where.includes(' annotation '));
    expect(targets.length).toBeGreaterThan(40);
    const empty: string[] = [];
    for (const t of targets) {
      // Reconciliation needs a whole logged day (its panel says so): empty on a stack's first day.
      if (t.expr.includes('estimated_cost')) continue;
      const expr = substitute(t.expr).replace(/\$(job|model|version)\b/g, '.+');
      if (!(await stack.query(expr)).length) empty.push(`${t.where}: ${t.expr}`);
    }
    expect(empty).toEqual([]);
  });
});
