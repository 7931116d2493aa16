// Serving-engine recording rules: each engine's own metrics (catalog/engines.ts) become one
// common series per signal and model, labelled with the engine. The scrape jobs of model servers
// and GPU exporters attach the model label (config.ts), so the rules are generic over models.
// A signal renamed across engine versions reads the newest name a server exposes, and an older
// one only for models that have none of the newer (a server exposing both must not mix buckets).
import { ENGINES, type EngineName, type EngineSignal, type GpuExporterName, type SignalName } from '../../catalog/engines.js';
import type { Model } from '../../config/index.js';
import { num } from '../promql.js';
import type { RecordingRule } from './types.js';

/** The common series, named after OpenTelemetry GenAI / hardware conventions where one exists. */
export const ENGINE_SERIES: Record<SignalName, string> = {
  ttft: 'model:gen_ai_server_time_to_first_token_seconds:p95_rate5m',
  tpot: 'model:gen_ai_server_time_per_output_token_seconds:p95_rate5m',
  queueTime: 'model:modelwatch_server_queue_time_seconds:mean_rate5m',
  waiting: 'model:modelwatch_server_requests_waiting:sum',
  running: 'model:modelwatch_server_requests_running:sum',
  batchSize: 'model:modelwatch_server_batch_size:mean',
  kvCache: 'model:modelwatch_server_kv_cache_usage:ratio_max',
  gpuUtilization: 'model:hw_gpu_utilization:ratio_max',
  gpuMemory: 'model:hw_gpu_memory_utilization:ratio_max',
};

/** How a signal is aggregated to the model: quantiles of latencies, sums of requests, the busiest GPU. */
const AGGREGATE: Record<SignalName, 'p95' | 'mean' | 'sum' | 'max'> = {
  ttft: 'p95', tpot: 'p95', queueTime: 'mean', waiting: 'sum', running: 'sum', batchSize: 'mean', kvCache: 'max', gpuUtilization: 'max', gpuMemory: 'max',
};

const W = '5m';
const scaled = (expr: string, scale?: number) => (scale === undefined ? expr : `${expr} * ${num(scale)}`);

/** One term per name, each used only for models that expose none of the names before it. */
function newestFirst(names: readonly string[], term: (name: string) => string, presence: (name: string) => string): string {
  return names.map((n, i) => {
    const newer = names.slice(0, i);
    return newer.length ? `(${term(n)} unless on (model) (${newer.map(presence).join(' or ')}))` : term(n);
  }).join(' or ');
}

function signalExpr(signal: SignalName, s: EngineSignal): string {
  const how = AGGREGATE[signal];
  switch (s.kind) {
    case 'histogram': {
      const present = (n: string) => `group by (model) (${n}_count)`;
      if (how === 'p95') return `histogram_quantile(0.95, ${newestFirst(s.names, (n) => `sum by (model, le) (rate(${n}_bucket[${W}]))`, present)})`;
      return newestFirst(s.names, (n) => `sum by (model) (rate(${n}_sum[${W}])) / sum by (model) (rate(${n}_count[${W}]))`, present);
    }
    case 'gauge': {
      const agg = how === 'max' ? 'max' : how === 'mean' ? 'avg' : 'sum';
      return scaled(newestFirst(s.names, (n) => `${agg} by (model) (${n})`, (n) => `group by (model) (${n})`), s.scale);
    }
    case 'mean':
      return scaled(`sum by (model) (rate(${s.names[0]}[${W}])) / sum by (model) (rate(${s.per}[${W}]))`, s.scale);
    case 'usedOf': {
      const used = s.names[0] as string;
      return `max by (model) (${used} / ${s.total ?? `(${used} + ${s.free})`})`;
    }
  }
}

export interface EngineRule extends RecordingRule { readonly labels: { readonly engine: string } }

/** The engines and GPU exporters the config's models name. */
export const enginesOf = (model: Model): (EngineName | GpuExporterName)[] =>
  [...new Set(model.models.flatMap((m) => [...(m.endpoint?.server ? [m.endpoint.server] : []), ...(m.endpoint?.gpuExporter ? ['dcgm' as const] : [])]))].sort();

/** Rules for the engines and GPU exporters the config's models name. */
export function engineRules(model: Model): EngineRule[] {
  return enginesOf(model).flatMap((engine) =>
    (Object.entries(ENGINES[engine].signals) as [SignalName, EngineSignal][]).map(([signal, s]) => ({
      record: ENGINE_SERIES[signal],
      expr: signalExpr(signal, s),
      labels: { engine },
    })));
}
