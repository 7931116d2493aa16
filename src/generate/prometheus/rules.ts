// Alert families -> Prometheus rule files and promtool unit tests, one pair per domain.
// Runbook and dashboard links are added here, in one pass, never by hand per alert.
import type { Model } from '../../config/index.js';
import { dur, sel } from '../promql.js';
import { tierOf } from '../../catalog/alerts.js';
import { renderTemplate } from './gotemplate.js';
import { recordingGroups, type RuleGroupSpec } from './recording.js';
import { DOMAINS, type AlertFamily, type Domain } from './types.js';

export const runbookName = (alert: string): string => alert.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

function annotations(model: Model, f: AlertFamily, description: string): Record<string, string> {
  const dashboard = `${model.grafana.url}/d/${f.dashboard}${f.model ? '?var-model={{ $labels.model }}' : ''}`;
  // Who owns the model and what it is for, as the config says: the first things an on-call engineer needs.
  const spec = f.model ? model.models.find((m) => m.name === f.model) : undefined;
  return {
    summary: f.summary,
    description,
    runbook_url: `${model.alerting.runbookBaseUrl}/${runbookName(f.name)}.md`,
    dashboard_url: dashboard,
    ...(spec?.owner ? { owner: spec.owner } : {}),
    ...(spec?.description ? { model_description: spec.description } : {}),
  };
}

const alertRules = (model: Model, f: AlertFamily, forScale: number) => f.rules.map((r) => ({
  alert: f.name,
  expr: r.expr,
  ...(r.forSeconds ? { for: dur(Math.max(1, Math.round(r.forSeconds * forScale))) } : {}),
  ...(r.keepFiringSeconds ? { keep_firing_for: dur(Math.max(1, Math.round(r.keepFiringSeconds * forScale))) } : {}),
  // A static model label keeps per-model copies of an alert distinct (promtool's duplicate-rules lint).
  labels: { severity: r.severity, tier: tierOf(f.name, r.severity, model.alerting.paging), category: f.category, ...(f.model ? { model: f.model } : {}) },
  annotations: annotations(model, f, r.description),
}));

interface RuleGroup { name: string; interval?: string; rules: object[] }

export function ruleGroups(model: Model, families: readonly AlertFamily[], forScale = 1): Map<Domain, RuleGroup[]> {
  // forScale also shortens slow group intervals, so a time-compressed run evaluates them promptly.
  const byDomain = new Map<Domain, RuleGroup[]>();
  const add = (domain: Domain, group: RuleGroup) => byDomain.set(domain, [...(byDomain.get(domain) ?? []), group]);
  for (const g of recordingGroups(model)) add(g.domain, recordingGroup(g, forScale));
  for (const domain of Object.keys(DOMAINS) as Domain[]) {
    const rules = families.filter((f) => f.domain === domain).flatMap((f) => alertRules(model, f, forScale));
    if (rules.length) add(domain, { name: `modelwatch-${domain}.alerts`, rules });
  }
  return byDomain;
}

const recordingGroup = (g: RuleGroupSpec, scale: number): RuleGroup => ({
  name: g.name,
  ...(g.intervalSeconds ? { interval: dur(Math.max(1, Math.round(g.intervalSeconds * scale))) } : {}),
  rules: g.rules.map((r) => ({ record: r.record, expr: r.expr, ...(r.labels ? { labels: r.labels } : {}) })),
});

/** Rule files a domain's alerts read from (recording rules of other domains). */
const DEPENDS_ON: Partial<Record<Domain, readonly Domain[]>> = {};

export function ruleTests(model: Model, families: readonly AlertFamily[], groups: Map<Domain, RuleGroup[]>) {
  const files = new Map<Domain, object>();
  for (const [domain, spec] of Object.entries(DOMAINS) as [Domain, (typeof DOMAINS)[Domain]][]) {
    const mine = families.filter((f) => f.domain === domain);
    if (!mine.length) continue;
    const domains = [...(DEPENDS_ON[domain] ?? []), domain].filter((d) => groups.has(d));
    files.set(domain, {
      rule_files: domains.map((d) => `../rules/${d}.yml`),
      evaluation_interval: dur(spec.evalSeconds),
      group_eval_order: domains.flatMap((d) => (groups.get(d) ?? []).map((g) => g.name)),
      tests: mine.flatMap((f) => f.scenarios.map((s) => ({
        name: `${f.name}${f.model ? ` ${f.model}` : ''}: ${s.name}`,
        interval: dur(s.intervalSeconds),
        input_series: s.series.map((x) => ({ series: x.series, values: x.values })),
        // Text that runs queries cannot be predicted here: those families are checked by labels
        // (their text by the hand-written suites, which run the queries).
        ...(f.rules.some((r) => r.description.includes('{{ with query')) ? {
          promql_expr_test: [{
            expr: `ALERTS{alertname="${f.name}",alertstate="firing"}`,
            eval_time: dur(s.evalSeconds),
            exp_samples: s.expect.map((e) => ({ labels: sel('ALERTS', { ...e.labels, alertname: f.name, alertstate: 'firing', severity: e.severity, tier: tierOf(f.name, e.severity, model.alerting.paging), category: f.category, ...(f.model ? { model: f.model } : {}) }), value: 1 })),
          }],
        } : { alert_rule_test: [{
          eval_time: dur(s.evalSeconds),
          alertname: f.name,
          exp_alerts: s.expect.map((e) => {
            const rule = f.rules.find((r) => r.severity === e.severity);
            if (!rule) throw new Error(`${f.name}: scenario expects severity ${e.severity} that has no rule`);
            const labels = { ...e.labels, severity: e.severity, tier: tierOf(f.name, e.severity, model.alerting.paging), category: f.category, ...(f.model ? { model: f.model } : {}) };
            const rendered = Object.fromEntries(Object.entries(annotations(model, f, rule.description)).map(([k, t]) => [k, renderTemplate(t, labels, e.value)]));
            return { exp_labels: labels, exp_annotations: rendered };
          }),
        }] }),
      }))),
    });
  }
  return files;
}
