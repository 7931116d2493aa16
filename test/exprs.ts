// Collects every PromQL expression the generator writes: rules, promtool input series,
// dashboard targets, variables and annotations.
import yaml from 'js-yaml';
import { parser } from '@prometheus-io/lezer-promql';
import type { Artifact } from '../src/generate/index.js';

export interface Expr { readonly where: string; readonly expr: string }

type Json = Record<string, unknown>;
const GRAFANA_VARS: Record<string, string> = { $__rate_interval: '5m', $__interval: '1m', $__range: '1h' };

export const substitute = (expr: string): string => expr.replace(/\$__[a-z_]+/g, (v) => GRAFANA_VARS[v] ?? '1m');

function* walkPanels(panels: Json[] | undefined): Generator<Json> {
  for (const p of panels ?? []) {
    yield p;
    yield* walkPanels(p.panels as Json[] | undefined);
  }
}

export function collectExprs(artifacts: readonly Artifact[]): Expr[] {
  const out: Expr[] = [];
  for (const a of artifacts) {
    if (a.path.startsWith('prometheus/rules/')) {
      const doc = yaml.load(a.content) as { groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[] };
      for (const g of doc.groups) for (const r of g.rules) out.push({ where: `${a.path} ${r.record ?? r.alert}`, expr: r.expr });
    } else if (a.path.startsWith('prometheus/tests/')) {
      const doc = yaml.load(a.content) as { tests: { name: string; input_series: { series: string }[] }[] };
      for (const t of doc.tests) for (const s of t.input_series) out.push({ where: `${a.path} ${t.name}`, expr: s.series });
    } else if (a.path.startsWith('grafana/dashboards/')) {
      const d = JSON.parse(a.content) as Json;
      for (const p of walkPanels(d.panels as Json[])) {
        for (const t of (p.targets as Json[] | undefined) ?? []) out.push({ where: `${a.path} "${String(p.title)}"`, expr: String(t.expr) });
      }
      for (const v of ((d.templating as Json).list as Json[])) {
        const q = typeof v.query === 'string' ? v.query : '';
        const inner = /^label_values\((.*),\s*[a-z_]+\)$/.exec(q);
        if (inner) out.push({ where: `${a.path} variable ${String(v.name)}`, expr: inner[1] as string });
      }
      for (const an of (((d.annotations as Json | undefined)?.list as Json[] | undefined) ?? [])) {
        if (typeof an.expr === 'string') out.push({ where: `${a.path} annotation ${String(an.name)}`, expr: an.expr });
      }
    }
  }
  return out;
}

/** Metric names selected by an expression, read from the parse tree (not a regex). */
export function metricNames(expr: string): { names: string[]; errors: number } {
  const text = substitute(expr);
  const names: string[] = [];
  let errors = 0;
  parser.parse(text).iterate({
    enter: (n) => {
      if (n.type.isError) errors++;
      if (n.type.name === 'Identifier' && n.node.parent?.type.name === 'VectorSelector') names.push(text.slice(n.from, n.to));
    },
  });
  return { names, errors };
}
