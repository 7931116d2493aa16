// The "Serving engine" row (overview and model detail): the common serving signals the engine
// rules record from each engine's own metrics. Present only when a model of the config names its
// engine or GPU exporter; a panel appears only when one of those engines exposes its signal.
import { type DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Model } from '../../config/index.js';
import { ENGINES, SIGNALS, type SignalName } from '../../catalog/engines.js';
import { sel } from '../promql.js';
import { ENGINE_SERIES, enginesOf } from '../prometheus/engines.js';
import { timeseries, withLevels } from './panels.js';

const DESCRIPTION: Record<SignalName, string> = {
  ttft: 'p95 time from request to first output token over 5m, from the engine\'s own histogram (OpenTelemetry gen_ai.server.time_to_first_token). Dashed lines: the default warning and critical levels.',
  tpot: 'p95 time per output token after the first over 5m (gen_ai.server.time_per_output_token; vLLM inter-token latency, TGI mean time per token).',
  queueTime: 'Mean time requests waited in the engine\'s queue before being scheduled, over 5m.',
  waiting: 'Requests waiting for a slot in the engine (vLLM waiting, TGI queue size).',
  running: 'Requests the engine is running now (its batch).',
  batchSize: 'Mean batch size (TGI current batch; Triton inferences per execution over 5m).',
  kvCache: 'Share of KV-cache blocks in use (the highest engine process); near 100 % new requests wait or running ones are preempted. Dashed line: the saturation level (default).',
  gpuUtilization: 'Utilisation of the busiest GPU serving the model (hw.gpu.utilization; Triton or the DCGM exporter). Dashed line: the saturation level (default).',
  gpuMemory: 'Memory used on the fullest GPU serving the model (hw.gpu.memory.utilization). vLLM reserves most of it for its KV cache at start.',
};

/** The signals some engine of the config exposes. */
export function engineSignals(model: Model): SignalName[] {
  const engines = enginesOf(model);
  return (Object.keys(SIGNALS) as SignalName[]).filter((s) => engines.some((e) => ENGINES[e].signals[s]));
}

export function engineRow(b: DashboardBuilder, model: Model): DashboardBuilder {
  const signals = engineSignals(model);
  if (!signals.length) return b;
  const t = model.defaultThresholds;
  b.withRow(new RowBuilder('Serving engine'));
  for (const s of signals) {
    const p = timeseries(SIGNALS[s].title, DESCRIPTION[s], SIGNALS[s].unit, [[sel(ENGINE_SERIES[s], { model: { re: '$model' } }), '{{model}} ({{engine}})']], 8);
    const level = s === 'ttft' ? t.ttftP95Seconds : s === 'kvCache' ? { warning: t.kvCacheUsageRatio, critical: null } : s === 'gpuUtilization' ? { warning: t.gpuUtilizationRatio, critical: null } : null;
    b.withPanel(level ? withLevels(p, level) : p);
  }
  return b;
}
