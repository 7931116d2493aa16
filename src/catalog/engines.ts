// The serving-engine catalog: which of its own metric names each model server exposes for the
// common serving signals, including names renamed across engine versions (newest first: a
// version exposes the first name it has). The generator names engine metrics only through this
// table; test/engines.test.ts checks every name against the engines' own declarations and
// /metrics captures, committed under test/fixtures/engines/ with their source.

/** Engines whose /metrics Prometheus scrapes beside the endpoint probe (endpoint.server). */
export const ENGINE_NAMES = ['vllm', 'tgi', 'triton'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
/** GPU exporters scraped per model (endpoint.gpu_exporter). */
export type GpuExporterName = 'dcgm';

/**
 * The common serving signals. Names follow the OpenTelemetry GenAI semantic conventions where
 * one exists (gen_ai.server.*), the hardware conventions for GPUs (hw.gpu.*), and modelwatch's
 * own otherwise.
 */
export const SIGNALS = {
  ttft: { otel: 'gen_ai.server.time_to_first_token', title: 'Time to first token p95', unit: 's' },
  tpot: { otel: 'gen_ai.server.time_per_output_token', title: 'Time per output token p95', unit: 's' },
  queueTime: { otel: null, title: 'Queue time (mean)', unit: 's' },
  waiting: { otel: null, title: 'Requests waiting', unit: 'short' },
  running: { otel: null, title: 'Requests running', unit: 'short' },
  batchSize: { otel: null, title: 'Batch size (mean)', unit: 'short' },
  kvCache: { otel: null, title: 'KV-cache usage', unit: 'percentunit' },
  gpuUtilization: { otel: 'hw.gpu.utilization', title: 'GPU utilisation', unit: 'percentunit' },
  gpuMemory: { otel: 'hw.gpu.memory.utilization', title: 'GPU memory used', unit: 'percentunit' },
} as const;
export type SignalName = keyof typeof SIGNALS;

/**
 * How an engine exposes a signal:
 * - histogram: seconds; p95 from its buckets (queue time: mean from _sum / _count);
 * - gauge: summed (requests) or the highest (usage) across the engine's processes and GPUs;
 * - mean: counter `names` / counter `per` (Triton's cumulative times and counts);
 * - usedOf: used / (used + free), or used / total with `total` (GPU memory).
 * `scale` turns the engine's unit into the signal's (microseconds, percent).
 */
export type EngineSignal =
  | { readonly kind: 'histogram'; readonly names: readonly string[] }
  | { readonly kind: 'gauge'; readonly names: readonly string[]; readonly scale?: number }
  | { readonly kind: 'mean'; readonly names: readonly string[]; readonly per: string; readonly scale?: number }
  | { readonly kind: 'usedOf'; readonly names: readonly string[]; readonly free?: string; readonly total?: string };

export interface EngineDef {
  readonly title: string;
  /** The signals this engine exposes; one it lacks is absent, and its panel says so. */
  readonly signals: Partial<Record<SignalName, EngineSignal>>;
}

export const ENGINES: Record<EngineName | GpuExporterName, EngineDef> = {
  vllm: {
    title: 'vLLM',
    signals: {
      ttft: { kind: 'histogram', names: ['vllm:time_to_first_token_seconds'] },
      // Renamed in the V1 engine: time_per_output_token_seconds became inter_token_latency_seconds.
      tpot: { kind: 'histogram', names: ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'] },
      queueTime: { kind: 'histogram', names: ['vllm:request_queue_time_seconds'] },
      waiting: { kind: 'gauge', names: ['vllm:num_requests_waiting'] },
      running: { kind: 'gauge', names: ['vllm:num_requests_running'] },
      // Renamed in the V1 engine: gpu_cache_usage_perc became kv_cache_usage_perc (both are 0-1).
      kvCache: { kind: 'gauge', names: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'] },
    },
  },
  tgi: {
    title: 'Text Generation Inference',
    signals: {
      tpot: { kind: 'histogram', names: ['tgi_request_mean_time_per_token_duration'] },
      queueTime: { kind: 'histogram', names: ['tgi_request_queue_duration'] },
      waiting: { kind: 'gauge', names: ['tgi_queue_size'] },
      batchSize: { kind: 'gauge', names: ['tgi_batch_current_size'] },
    },
  },
  triton: {
    title: 'Triton Inference Server',
    signals: {
      queueTime: { kind: 'mean', names: ['nv_inference_queue_duration_us'], per: 'nv_inference_request_success', scale: 1e-6 },
      // Inferences per execution: a batch of n counts n inferences and one execution.
      batchSize: { kind: 'mean', names: ['nv_inference_count'], per: 'nv_inference_exec_count' },
      gpuUtilization: { kind: 'gauge', names: ['nv_gpu_utilization'] },
      gpuMemory: { kind: 'usedOf', names: ['nv_gpu_memory_used_bytes'], total: 'nv_gpu_memory_total_bytes' },
    },
  },
  dcgm: {
    title: 'NVIDIA DCGM exporter',
    signals: {
      gpuUtilization: { kind: 'gauge', names: ['DCGM_FI_DEV_GPU_UTIL'], scale: 0.01 },
      gpuMemory: { kind: 'usedOf', names: ['DCGM_FI_DEV_FB_USED'], free: 'DCGM_FI_DEV_FB_FREE' },
    },
  },
};

/** Every series an engine's signals read (histograms as their _bucket, _sum and _count series). */
export const engineSeriesNames = (e: EngineDef): string[] => Object.values(e.signals).flatMap((s) => {
  if (!s) return [];
  if (s.kind === 'histogram') return s.names.flatMap((n) => [`${n}_bucket`, `${n}_sum`, `${n}_count`]);
  return [...s.names, ...(s.kind === 'mean' ? [s.per] : []), ...(s.kind === 'usedOf' ? [(s.free ?? s.total) as string] : [])];
});
