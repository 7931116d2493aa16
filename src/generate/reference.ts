// Reference sections of the README, generated from the schema, the metric catalog and the alert
// families, so the documentation cannot drift from the code (a test regenerates and compares).
import { CATALOG } from '../catalog/metrics.js';
import { ConfigSchema, type Model } from '../config/index.js';
import { tierOf } from '../catalog/alerts.js';
import { alertFamilies, runbookName } from './prometheus/index.js';
import { ENGINES, SIGNALS, type EngineSignal, type SignalName } from '../catalog/engines.js';
import { ENGINE_SERIES } from './prometheus/engines.js';

type SchemaNode = { type?: string | string[]; description?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode; enum?: unknown[]; required?: string[] };

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(n: SchemaNode): string {
  if (n.enum) return n.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (n.type === 'array') return `list of ${n.items ? typeOf(n.items) : 'values'}`;
  if (Array.isArray(n.type)) return n.type.join(' or ');
  return n.type ?? 'value';
}

export function configReference(): string {
  const rows: string[] = [];
  const walk = (n: SchemaNode, path: string) => {
    for (const [key, child] of Object.entries(n.properties ?? {})) {
      const p = path ? `${path}.${key}` : key;
      const required = n.required?.includes(key) ? ' (required)' : '';
      rows.push(`| \`${p}\` | ${cell(child.properties ? 'object' : typeOf(child))} | ${cell(child.description ?? '')}${required} |`);
      if (child.properties) walk(child, p);
      if (child.items?.properties) walk(child.items, `${p}[]`);
    }
  };
  walk(ConfigSchema as unknown as SchemaNode, '');
  return ['| key | type | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function metricReference(): string {
  return ['| metric | type | labels | source | meaning |', '| --- | --- | --- | --- | --- |',
    ...CATALOG.map((m) => `| \`${m.name}\` | ${m.type} | ${m.labels.map((l) => `\`${l}\``).join(', ')} | ${m.source} | ${cell(m.help)} |`)].join('\n');
}

export function alertReference(model: Model): string {
  const byName = new Map<string, { severities: Set<string>; tiers: Set<string>; category: string; summary: string }>();
  for (const f of alertFamilies(model)) {
    const e = byName.get(f.name) ?? { severities: new Set<string>(), tiers: new Set<string>(), category: f.category, summary: f.summary };
    for (const r of f.rules) {
      e.severities.add(r.severity);
      e.tiers.add(`${r.severity} → ${tierOf(f.name, r.severity, model.alerting.paging)}`);
    }
    byName.set(f.name, e);
  }
  return ['| alert | severity → tier | category | summary | runbook |', '| --- | --- | --- | --- | --- |',
    ...[...byName].map(([name, e]) => `| ${name} | ${[...e.tiers].join(', ')} | ${e.category} | ${cell(e.summary)} | [runbooks/${runbookName(name)}.md](runbooks/${runbookName(name)}.md) |`)].join('\n');
}

const how = (s: EngineSignal): string => {
  const names = s.names.map((n) => `\`${n}\``).join(', then ');
  if (s.kind === 'histogram') return names;
  if (s.kind === 'mean') return `${names} / \`${s.per}\`${s.scale ? ` x ${s.scale}` : ''}`;
  if (s.kind === 'usedOf') return `${names} / ${s.total ? `\`${s.total}\`` : `(used + \`${s.free}\`)`}`;
  return `${names}${s.scale ? ` x ${s.scale}` : ''}`;
};

/** Common serving series <- each engine's own metrics (newest name first where an engine renamed one). */
export function engineReference(): string {
  const engines = Object.entries(ENGINES);
  return [`| signal (OpenTelemetry) | recorded series | ${engines.map(([, e]) => e.title).join(' | ')} |`, `| --- | --- |${engines.map(() => ' --- |').join('')}`,
    ...(Object.keys(SIGNALS) as SignalName[]).map((k) => `| ${SIGNALS[k].title}${SIGNALS[k].otel ? ` (\`${SIGNALS[k].otel}\`)` : ''} | \`${ENGINE_SERIES[k]}\` | ${engines.map(([, e]) => { const s = e.signals[k]; return s ? how(s) : '-'; }).join(' | ')} |`)].join('\n');
}

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export function fillSections(text: string, sections: Record<string, string>): string {
  let out = text;
  for (const [name, body] of Object.entries(sections)) {
    const re = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!re.test(out)) throw new Error(`README has no generated:${name} section`);
    out = out.replace(re, (_m, open: string, close: string) => `${open}${body}\n${close}`);
  }
  return out;
}

export const readmeSections = (model: Model): Record<string, string> => ({
  config: configReference(), metrics: metricReference(), alerts: alertReference(model), engines: engineReference(),
});
