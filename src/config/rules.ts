// Semantic rules the schema cannot express: a flat list of small named checks.
import { OUTPUT_FEATURES } from '../catalog/labels.js';
import { parseDuration } from './duration.js';
import { isIanaZone, suggestZone } from './zones.js';
import type { Issue, PathSegment } from './issues.js';
import type { WrittenConfig, WrittenThresholds } from './schema.js';

interface Ctx { readonly config: WrittenConfig; readonly errors: Issue[]; readonly warnings: Issue[] }
type Rule = (ctx: Ctx) => void;

const err = (ctx: Ctx, path: PathSegment[], message: string) => ctx.errors.push({ path, message });

function unique(ctx: Ctx, items: readonly { name?: string; model?: string }[] | undefined, base: PathSegment[], key: 'name' | 'model' = 'name') {
  const seen = new Map<string, number>();
  (items ?? []).forEach((item, i) => {
    const value = item[key];
    if (value === undefined) return;
    const first = seen.get(value);
    if (first !== undefined) err(ctx, [...base, i, key], `duplicate ${key} "${value}" (first used at index ${first})`);
    else seen.set(value, i);
  });
}

const uniqueNames: Rule = (ctx) => {
  const c = ctx.config;
  unique(ctx, c.models, ['models']);
  unique(ctx, c.log_stores, ['log_stores']);
  unique(ctx, c.label_sources, ['label_sources']);
  unique(ctx, c.billing, ['billing']);
  unique(ctx, c.prices?.models, ['prices', 'models'], 'model');
  c.models.forEach((m, i) => unique(ctx, m.features, ['models', i, 'features']));
};

const referencesResolve: Rule = (ctx) => {
  const c = ctx.config;
  const stores = new Set((c.log_stores ?? []).map((s) => s.name));
  const labels = new Set((c.label_sources ?? []).map((s) => s.name));
  const known = (set: Set<string>, what: string) => (set.size ? `known ${what}: ${[...set].join(', ')}` : `no ${what} are configured`);
  c.models.forEach((m, i) => {
    if (m.log_store && !stores.has(m.log_store)) err(ctx, ['models', i, 'log_store'], `log store "${m.log_store}" is not defined (${known(stores, 'log stores')})`);
    if (m.label_source && !labels.has(m.label_source)) err(ctx, ['models', i, 'label_source'], `label source "${m.label_source}" is not defined (${known(labels, 'label sources')})`);
  });
  (c.label_sources ?? []).forEach((l, i) => {
    if (!stores.has(l.log_store)) err(ctx, ['label_sources', i, 'log_store'], `log store "${l.log_store}" is not defined (${known(stores, 'log stores')})`);
  });
  const receivers = c.alerting?.receivers ?? {};
  for (const tier of ['critical', 'warning', 'info'] as const) {
    (c.alerting?.tiers?.[tier] ?? []).forEach((r, j) => {
      if (receivers[r] === undefined) err(ctx, ['alerting', 'tiers', tier, j], `receiver "${r}" is not configured under alerting.receivers`);
    });
  }
};

/** Signals that fire below their level (the critical level is the lower one). */
const FIRES_BELOW = new Set<keyof WrittenThresholds>(['accuracy', 'golden_pass_ratio', 'precision', 'recall', 'f1', 'class_recall', 'task_success_ratio']);

function levelsOrdered(ctx: Ctx, t: WrittenThresholds | undefined, base: PathSegment[]) {
  for (const [key, value] of Object.entries(t ?? {})) {
    if (!value || typeof value !== 'object') continue;
    const { warning, critical } = value as { warning?: number | null; critical?: number | null };
    if (typeof warning !== 'number' || typeof critical !== 'number') continue;
    const below = FIRES_BELOW.has(key as keyof WrittenThresholds);
    if (below ? warning <= critical : warning >= critical) {
      err(ctx, [...base, key], `warning (${warning}) must be ${below ? 'above' : 'below'} critical (${critical}): this signal fires ${below ? 'below' : 'above'} its level`);
    }
  }
}

const thresholdsOrdered: Rule = (ctx) => {
  levelsOrdered(ctx, ctx.config.defaults?.thresholds, ['defaults', 'thresholds']);
  ctx.config.models.forEach((m, i) => levelsOrdered(ctx, m.thresholds, ['models', i, 'thresholds']));
};

// A label value must come from a bounded set: a field that identifies a request, user or session never does.
const ID_LIKE = /(^|[._])(id|ids|uuid|guid|email|user|users|session|request|trace|span|ip)($|[._])|_id$|Id$/i;
const LABEL_FIELDS = ['model', 'version', 'segment', 'error'] as const;

const labelsBounded: Rule = (ctx) => {
  const c = ctx.config;
  (c.log_stores ?? []).forEach((s, i) => {
    for (const field of LABEL_FIELDS) {
      const path = s.fields?.[field];
      if (path && ID_LIKE.test(path)) {
        err(ctx, ['log_stores', i, 'fields', field], `"${path}" looks like an identifier; ${field} becomes a label, and labels must come from a small, enumerable set (use request_id for joins instead)`);
      }
    }
  });
  c.models.forEach((m, i) => {
    const store = (c.log_stores ?? []).find((s) => s.name === m.log_store);
    if (store?.fields?.segment && !m.segments?.length) {
      err(ctx, ['models', i, 'segments'], `log store "${store.name}" maps a segment field, so the allowed segment values must be listed here`);
    }
  });
};

const featuresConsistent: Rule = (ctx) => {
  ctx.config.models.forEach((m, i) => (m.features ?? []).forEach((f, j) => {
    const at = ['models', i, 'features', j];
    if ((OUTPUT_FEATURES as readonly string[]).includes(f.name)) err(ctx, [...at, 'name'], `"${f.name}" is reserved for drift of the model output`);
    if (f.range && f.type !== 'numeric') err(ctx, [...at, 'range'], 'range applies to numeric features only');
    if (f.range && f.range[0] >= f.range[1]) err(ctx, [...at, 'range'], `min (${f.range[0]}) must be below max (${f.range[1]})`);
    if (f.categories && f.type !== 'categorical') err(ctx, [...at, 'categories'], 'categories apply to categorical features only');
  }));
};

// Polls run under a timeout shorter than their interval; below a second that leaves no room.
const MIN_POLL_SECONDS = 1;

const intervalsRunnable: Rule = (ctx) => {
  const c = ctx.config;
  const atLeast = (text: string | undefined, min: number, path: PathSegment[], what: string) => {
    if (text !== undefined && parseDuration(text) < min) err(ctx, path, `${text} is too short: ${what} must be at least ${min === MIN_POLL_SECONDS ? '1s' : 'above 0'}`);
  };
  const POSITIVE = Number.MIN_VALUE;
  c.models.forEach((m, i) => {
    atLeast(m.endpoint?.interval, MIN_POLL_SECONDS, ['models', i, 'endpoint', 'interval'], 'a probe interval');
    atLeast(m.endpoint?.timeout, POSITIVE, ['models', i, 'endpoint', 'timeout'], 'a probe timeout');
    atLeast(m.golden_set?.interval, MIN_POLL_SECONDS, ['models', i, 'golden_set', 'interval'], 'a golden-set interval');
    atLeast(m.drift_window, MIN_POLL_SECONDS, ['models', i, 'drift_window'], 'a drift window');
    if (m.quality_window !== undefined) {
      const w = parseDuration(m.quality_window);
      // 24 steps of whole seconds, each at least a minute: checkpoints keep step ids.
      if (w < 24 * 60 || w % 24 !== 0) err(ctx, ['models', i, 'quality_window'], `${m.quality_window} cannot be a quality window: it slides in 24 steps of whole seconds, so it must be at least 24m and a multiple of 24s (1h, 6h, 24h, 7d)`);
    }
    atLeast(m.rolling_reference, MIN_POLL_SECONDS, ['models', i, 'rolling_reference'], 'a rolling reference');
    atLeast(m.slo?.window, MIN_POLL_SECONDS, ['models', i, 'slo', 'window'], 'an SLO window');
  });
  (c.log_stores ?? []).forEach((s, i) => atLeast(s.interval, MIN_POLL_SECONDS, ['log_stores', i, 'interval'], 'a log-store interval'));
  (c.label_sources ?? []).forEach((l, i) => atLeast(l.horizon, MIN_POLL_SECONDS, ['label_sources', i, 'horizon'], 'a label horizon'));
  (c.billing ?? []).forEach((b, i) => atLeast(b.interval, MIN_POLL_SECONDS, ['billing', i, 'interval'], 'a billing interval'));
  const p = c.prometheus;
  atLeast(p?.scrape_interval, MIN_POLL_SECONDS, ['prometheus', 'scrape_interval'], 'the scrape interval');
  atLeast(p?.evaluation_interval, MIN_POLL_SECONDS, ['prometheus', 'evaluation_interval'], 'the evaluation interval');
  atLeast(p?.retention, MIN_POLL_SECONDS, ['prometheus', 'retention'], 'retention');
  // Alertmanager refuses a zero group_interval or repeat_interval, which the digest interval sets.
  atLeast(c.alerting?.digest_interval, MIN_POLL_SECONDS, ['alerting', 'digest_interval'], 'the digest interval');
};

const endpointTimeouts: Rule = (ctx) => {
  ctx.config.models.forEach((m, i) => {
    const e = m.endpoint;
    if (e?.timeout && parseDuration(e.timeout) >= parseDuration(e.interval ?? '30s')) {
      err(ctx, ['models', i, 'endpoint', 'timeout'], `timeout (${e.timeout}) must be shorter than the probe interval (${e.interval ?? '30s'}) so polls never overlap`);
    }
    if (m.golden_set && m.golden_set.tolerance !== undefined && m.golden_set.scorer !== 'tolerance') {
      err(ctx, ['models', i, 'golden_set', 'tolerance'], 'tolerance applies to the tolerance scorer only');
    }
    if (m.golden_set && !m.endpoint) err(ctx, ['models', i, 'golden_set'], 'a golden set needs an endpoint to send its cases to');
  });
};

const REQUIRED_BY_KIND: Record<string, readonly ('path' | 'url' | 'connection' | 'query')[]> = {
  jsonl: ['path'], postgres: ['connection'], loki: ['url', 'query'], elasticsearch: ['url', 'query'], opensearch: ['url', 'query'],
};

const storesComplete: Rule = (ctx) => {
  (ctx.config.log_stores ?? []).forEach((s, i) => {
    for (const key of REQUIRED_BY_KIND[s.kind] ?? []) if (s[key] === undefined) err(ctx, ['log_stores', i, key], `is required for a ${s.kind} store`);
    if (s.kind === 'postgres' && !s.table && !s.query) err(ctx, ['log_stores', i, 'table'], 'a postgres store needs a table or a query');
    if ((s.kind === 'elasticsearch' || s.kind === 'opensearch') && !s.fields?.request_id && !s.cursor_column) {
      err(ctx, ['log_stores', i, 'fields', 'request_id'], `a ${s.kind} store pages with search_after on the timestamp and a unique keyword field: map request_id (or set cursor_column)`);
    }
  });
  (ctx.config.billing ?? []).forEach((b, i) => {
    if (b.provider === 'generic' && !b.url) err(ctx, ['billing', i, 'url'], 'is required for a generic billing source');
    if (b.provider === 'generic' && !b.mapping) err(ctx, ['billing', i, 'mapping'], 'is required for a generic billing source: say where day and amount live in the response');
    if (b.provider !== 'generic' && b.mapping) err(ctx, ['billing', i, 'mapping'], `applies to generic billing sources only (${b.provider} has a fixed API)`);
    if (b.provider !== 'generic' && !b.api_key) err(ctx, ['billing', i, 'api_key'], `is required for ${b.provider} (an admin key, as {file: ...} or {env: ...})`);
  });
};

const oneReference: Rule = (ctx) => {
  ctx.config.models.forEach((m, i) => {
    if (m.rolling_reference && m.baseline) err(ctx, ['models', i, 'rolling_reference'], 'a model compares with a baseline or with its own past, not both');
    if (m.rolling_reference && !m.log_store) err(ctx, ['models', i, 'log_store'], 'a rolling reference is read from the model\'s logs: set log_store');
  });
};

const labelsNeedQualityTask: Rule = (ctx) => {
  ctx.config.models.forEach((m, i) => {
    if (m.label_source && m.task === 'llm') err(ctx, ['models', i, 'label_source'], 'delayed labels score classification and regression models; use a golden set or feedback for an llm');
    if (m.label_source && !m.log_store) err(ctx, ['models', i, 'log_store'], 'a model with a label source needs a log store of predictions to join the labels to');
    if (m.task !== 'classification') {
      for (const key of ['positive_class', 'classes', 'recall_class'] as const) if (m[key] !== undefined) err(ctx, ['models', i, key], `applies to classification models only (this one is a ${m.task} model)`);
    }
    if (m.recall_class !== undefined && m.classes && !m.classes.includes(m.recall_class)) err(ctx, ['models', i, 'recall_class'], `"${m.recall_class}" is not one of the model's classes (${m.classes.join(', ')})`);
    if (m.positive_class !== undefined && m.classes && !m.classes.includes(m.positive_class)) err(ctx, ['models', i, 'positive_class'], `"${m.positive_class}" is not one of the model's classes (${m.classes.join(', ')})`);
    if (m.thresholds?.class_recall && m.recall_class === undefined && m.positive_class === undefined) err(ctx, ['models', i, 'thresholds', 'class_recall'], 'needs a class: set recall_class (or positive_class)');
    if (m.protected_segments) {
      if (m.task !== 'classification' || m.positive_class === undefined) err(ctx, ['models', i, 'protected_segments'], 'compares shares of positive predictions: needs a classification model with positive_class');
      for (const [j, s] of m.protected_segments.entries()) if (!(m.segments ?? []).includes(s)) err(ctx, ['models', i, 'protected_segments', j], `"${s}" is not one of the model's segments (${(m.segments ?? []).join(', ') || 'none'})`);
    }
  });
};

// Alertmanager numbers weekdays from sunday (0) to saturday (6) and rejects descending ranges.
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const businessHoursOrdered: Rule = (ctx) => {
  const bh = ctx.config.alerting?.business_hours;
  if (bh?.location !== undefined && !isIanaZone(bh.location)) {
    const near = suggestZone(bh.location);
    err(ctx, ['alerting', 'business_hours', 'location'], `"${bh.location}" is not a time zone of the IANA database${near ? `; did you mean "${near}"?` : ''} (names are case-sensitive, for example Europe/Berlin or America/New_York)`);
  }
  if (bh?.start && bh.end && bh.start >= bh.end) err(ctx, ['alerting', 'business_hours', 'end'], `end (${bh.end}) must be after start (${bh.start})`);
  (bh?.weekdays ?? []).forEach((range, i) => {
    const [from, to = from] = range.split(':') as [string, string?];
    const a = WEEKDAYS.indexOf(from);
    const b = WEEKDAYS.indexOf(to);
    if (a < 0 || b < 0) err(ctx, ['alerting', 'business_hours', 'weekdays', i], `"${range}" is not a weekday or a range of weekdays (${WEEKDAYS.join(', ')})`);
    else if (a > b) err(ctx, ['alerting', 'business_hours', 'weekdays', i], `"${range}" runs backwards: weeks start on sunday, so write "${to}:${from}" or two ranges`);
  });
};

const retentionCoversTrends: Rule = (ctx) => {
  const r = ctx.config.prometheus?.retention;
  if (r && parseDuration(r) < 8 * 86400) {
    ctx.warnings.push({ path: ['prometheus', 'retention'], message: `${r} is shorter than 8d: week-over-week alerts (throughput, satisfaction, latency baseline) will have no data to compare against` });
  }
};

const webConfigured: Rule = (ctx) => {
  const web = ctx.config.exporter?.web;
  if (web && (web.tls || web.basic_auth) && !web.config_file) {
    err(ctx, ['exporter', 'web', 'config_file'], 'is required with tls or basic_auth: the exporter must be started with the web config that Prometheus is told to expect');
  }
};

const remoteWriteAuth: Rule = (ctx) => {
  (ctx.config.prometheus?.remote_write ?? []).forEach((r, i) => {
    if ((r.username === undefined) !== (r.password === undefined)) err(ctx, ['prometheus', 'remote_write', i, r.username ? 'password' : 'username'], 'basic auth needs both username and password');
    if (r.password && r.bearer_token) err(ctx, ['prometheus', 'remote_write', i, 'bearer_token'], 'use either basic auth or a bearer token, not both');
  });
};

const seriesBelowSampleLimit: Rule = (ctx) => {
  const limit = ctx.config.exporter?.series_limit ?? 40_000;
  const sample = ctx.config.prometheus?.sample_limit ?? 50_000;
  // Histograms and meta-series add samples beyond the series count: keep a margin.
  if (limit >= sample) err(ctx, ['exporter', 'series_limit'], `${limit} must be below prometheus.sample_limit (${sample}), or Prometheus rejects whole scrapes when the exporter is full`);
};

const receiversConfigured: Rule = (ctx) => {
  const r = ctx.config.alerting?.receivers ?? {};
  if (!Object.keys(r).length) {
    ctx.warnings.push({ path: ['alerting', 'receivers'], message: 'no receivers are configured: alerts will fire in Prometheus and Alertmanager but notify nobody' });
  }
};

export const RULES: readonly Rule[] = [
  uniqueNames, referencesResolve, thresholdsOrdered, labelsBounded, featuresConsistent,
  intervalsRunnable, endpointTimeouts, storesComplete, webConfigured, oneReference, labelsNeedQualityTask, businessHoursOrdered, retentionCoversTrends, receiversConfigured, remoteWriteAuth, seriesBelowSampleLimit,
];

export function checkRules(config: WrittenConfig): { errors: Issue[]; warnings: Issue[] } {
  const ctx: Ctx = { config, errors: [], warnings: [] };
  for (const rule of RULES) rule(ctx);
  return { errors: ctx.errors, warnings: ctx.warnings };
}
