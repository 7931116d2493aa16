// Alerts on the serving engine behind a model (endpoint.server, endpoint.gpu_exporter): time to
// first token as users feel it (a symptom), and saturation of the KV cache or GPU (a cause: the
// queue grows and latency follows).
import type { ModelSpec } from '../../../config/index.js';
import { ENGINES, type EngineSignal } from '../../../catalog/engines.js';
import { DASHBOARDS } from '../../dashboards.js';
import { num, sel } from '../../promql.js';
import { ENGINE_SERIES } from '../engines.js';
import { counter, exported, withinBucket } from '../series.js';
import type { AlertFamily, InputSeries, Scenario } from '../types.js';
import { thresholdFamily } from './threshold.js';

/** Buckets of the scenario histogram (vLLM's time-to-first-token buckets from 0.25 s). */
const TTFT_BUCKETS = [0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80] as const;

/** 20 minutes of requests whose p95 time to first token is v: 5 % of them in v's bucket, 95 % in the first. */
function ttftSeries(metric: string, model: string, v: number): InputSeries[] {
  const i = TTFT_BUCKETS.findIndex((b) => v <= b);
  const a = TTFT_BUCKETS[i - 1] as number;
  const b = TTFT_BUCKETS[i] as number;
  const f = 0.05 / (1 - (v - a) / (b - a));
  const perStep = 100;
  return [...TTFT_BUCKETS, '+Inf' as const].map((le) => {
    const inc = le === '+Inf' || le >= b ? perStep : perStep * (1 - f);
    return counter(`${metric}_bucket`, { model, le: String(le) }, [[inc, 21]]);
  }).concat([counter(`${metric}_count`, { model }, [[perStep, 21]])]);
}

const ttftAchievable = (lo: number, hi: number) => withinBucket(TTFT_BUCKETS, lo, hi, 0.9);

const signal = (m: ModelSpec, name: 'ttft' | 'kvCache' | 'gpuUtilization'): EngineSignal | undefined =>
  (m.endpoint?.server ? ENGINES[m.endpoint.server].signals[name] : undefined);

export function ttftAlert(m: ModelSpec): AlertFamily | null {
  const s = signal(m, 'ttft');
  if (!s || !m.endpoint?.server) return null;
  const metric = s.names[0] as string;
  const engine = m.endpoint.server;
  return thresholdFamily({
    name: 'ModelwatchTimeToFirstTokenHigh', domain: 'engines', category: 'serving', model: m.name, dashboard: DASHBOARDS.model.uid,
    summary: 'Users of an LLM wait too long for the first token of its answers.',
    levels: m.thresholds.ttftP95Seconds, unit: 'seconds', forSeconds: 600,
    what: `The p95 time to first token of {{ $labels.model }} (${ENGINES[engine].title}, over 5m)`,
    // Go raw strings (backquotes): the PromQL keeps its double quotes; the model is this family's.
    context: `Queue time now {{ with query \`${sel(ENGINE_SERIES.queueTime, { model: m.name })}\` }}{{ . | first | value | humanizeDuration }}{{ else }}not exposed{{ end }}; KV cache {{ with query \`${sel(ENGINE_SERIES.kvCache, { model: m.name })}\` }}{{ . | first | value | humanizePercentage }} used{{ else }}usage not exposed{{ end }}.`,
    expr: (lvl) => `${sel(ENGINE_SERIES.ttft, { model: m.name })} ${lvl}`,
    scenario: {
      intervalSeconds: 60, evalSeconds: 1200, labels: { model: m.name, engine }, achievable: ttftAchievable,
      series: (v) => ttftSeries(metric, m.name, v),
      noTraffic: [],
    },
  });
}

/** The resources a model's server can saturate: the engine's own gauge, the level it is judged at. */
function resources(m: ModelSpec) {
  const engine = m.endpoint?.server;
  const kv = signal(m, 'kvCache');
  const own = signal(m, 'gpuUtilization');
  const gpu = own ?? (m.endpoint?.gpuExporter ? ENGINES.dcgm.signals.gpuUtilization : undefined);
  return [
    ...(kv && engine ? [{ resource: 'kv_cache', signal: kv, engine, level: m.thresholds.kvCacheUsageRatio, what: 'KV-cache usage' }] : []),
    ...(gpu ? [{ resource: 'gpu', signal: gpu, engine: own && engine ? engine : 'dcgm', level: m.thresholds.gpuUtilizationRatio, what: 'GPU utilisation' }] : []),
  ];
}
type Resource = ReturnType<typeof resources>[number];
const SERIES: Record<string, string> = { kv_cache: ENGINE_SERIES.kvCache, gpu: ENGINE_SERIES.gpuUtilization };

export function saturationAlert(m: ModelSpec): AlertFamily | null {
  const rs = resources(m);
  const base = rs[0];
  if (!base) return null;
  const expr = rs.map((r) => `label_replace(${sel(SERIES[r.resource] as string, { model: m.name })} > ${num(r.level)}, "resource", "${r.resource}", "", "")`).join(' or ');
  const levels = rs.map((r) => `${r.what} ${Math.round(r.level * 100)}%`).join(', ');
  // The engine's own gauge in its own unit (DCGM reports percent), so the scenario runs the engine rules too.
  const raw = (r: Resource, values: string): InputSeries => exported(r.signal.names[0] as string, { model: m.name }, values);
  const inUnit = (r: Resource, v: number) => num(r.signal.kind === 'gauge' && r.signal.scale ? v / r.signal.scale : v);
  const past = (r: Resource) => Math.min(1, r.level + 0.02);
  const scenarios: Scenario[] = [
    ...rs.map((r) => ({
      name: `fires with ${r.what} just past ${Math.round(r.level * 100)}% for 20m`, intervalSeconds: 60, evalSeconds: 1200,
      series: [raw(r, `${inUnit(r, past(r))}x25`)],
      expect: [{ severity: 'warning' as const, labels: { model: m.name, engine: r.engine, resource: r.resource }, value: past(r) }],
    })),
    { name: `silent with ${base.what} exactly at its level`, intervalSeconds: 60, evalSeconds: 1200, series: [raw(base, `${inUnit(base, base.level)}x25`)], expect: [] },
    // Pending, not firing, the moment it saturates (whatever the for scale of the bundle).
    { name: 'silent the minute it saturates', intervalSeconds: 60, evalSeconds: 1200, series: [raw(base, `${inUnit(base, 0.5)}x19 ${inUnit(base, past(base))}x5`)], expect: [] },
  ];
  return {
    name: 'ModelwatchServerSaturated', domain: 'engines', category: 'serving', model: m.name, dashboard: DASHBOARDS.model.uid,
    summary: 'The serving engine of a model is near its capacity: requests will queue and slow down.',
    rules: [{
      severity: 'warning', forSeconds: 900,
      expr,
      description: `The {{ $labels.resource }} usage of {{ $labels.model }} ({{ $labels.engine }}) is {{ $value | humanizePercentage }}, above its saturation level (${levels}).`,
    }],
    scenarios,
  };
}
