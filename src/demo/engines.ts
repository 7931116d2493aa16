// The demo's serving engines, answering /metrics in each engine's own exposition (names as the
// engines publish them: test/fixtures/engines/): vLLM V1 behind the ticket summarizer, the DCGM
// exporter on its GPU, and Triton's counters behind the fraud classifier. Their traffic follows
// the timeline: in `engine_saturated` the vLLM KV cache fills, requests queue and the time to
// first token climbs to about 3 s.
import { prng } from '../stats/profile.js';
import type { Timeline } from './timeline.js';

type Labels = Readonly<Record<string, string>>;
const labelText = (l: Labels) => Object.entries(l).map(([k, v]) => `${k}="${v}"`).join(',');
const num = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));

/** A cumulative histogram in the engine's buckets. */
class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, private readonly buckets: readonly number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.buckets.forEach((b, i) => { if (v <= b) this.counts[i] = (this.counts[i] as number) + 1; });
    this.sum += v;
    this.count += 1;
  }
  text(labels: Labels): string[] {
    const l = labelText(labels);
    return [
      `# TYPE ${this.name} histogram`,
      ...this.buckets.map((b, i) => `${this.name}_bucket{${l},le="${num(b)}"} ${num(this.counts[i] as number)}`),
      `${this.name}_bucket{${l},le="+Inf"} ${num(this.count)}`,
      `${this.name}_sum{${l}} ${this.sum}`,
      `${this.name}_count{${l}} ${num(this.count)}`,
    ];
  }
}

// vLLM V1's buckets (vllm/v1/metrics/loggers.py).
const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5];
const REQUEST_BUCKETS = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60];

export class EngineSimulation {
  private readonly random: () => number;
  private readonly ttft = new Histogram('vllm:time_to_first_token_seconds', TTFT_BUCKETS);
  private readonly itl = new Histogram('vllm:inter_token_latency_seconds', ITL_BUCKETS);
  private readonly queue = new Histogram('vllm:request_queue_time_seconds', REQUEST_BUCKETS);
  private vllm = { running: 0, waiting: 0, kv: 0, generated: 0 };
  private gpu = { util: 0, fbUsed: 0 };
  private triton = { success: 0, queueUs: 0, inferences: 0, executions: 0 };

  constructor(private readonly timeline: Timeline, private readonly servedModel: string, seed = 11) {
    this.random = prng(seed);
  }

  /** One second of traffic (`perSecond` requests to each engine). */
  tick(perSecond: number): void {
    const saturated = this.timeline.active('engine_saturated');
    const jitter = (spread: number) => (this.random() - 0.5) * spread;
    for (let i = 0; i < perSecond; i++) {
      // Calm: the first token in about 0.2 s. Saturated: one request in five waits about 3 s for a KV-cache slot.
      const waited = saturated && this.random() < 0.2 ? 2.6 + this.random() * 0.8 : 0;
      this.queue.observe(waited + 0.005 * this.random());
      this.ttft.observe(waited + 0.15 + 0.1 * this.random());
      for (let t = 0; t < 8; t++) this.itl.observe((saturated ? 0.045 : 0.025) + 0.01 * this.random());
      this.vllm.generated += 200;
    }
    this.vllm = { ...this.vllm, running: saturated ? 48 : 12 + Math.round(jitter(4)), waiting: saturated ? 15 + Math.round(jitter(6)) : 0, kv: saturated ? 0.96 + jitter(0.02) : 0.4 + jitter(0.1) };
    this.gpu = { util: saturated ? 99 : 60 + Math.round(jitter(10)), fbUsed: 72_000 + Math.round(jitter(200)) };
    // Triton: 20 requests a second in batches of 4, a fraction of a millisecond in the queue (more when the latency incident slows the model down).
    const slow = this.timeline.active('latency_spike');
    this.triton = {
      success: this.triton.success + 20, inferences: this.triton.inferences + 20, executions: this.triton.executions + 5,
      queueUs: this.triton.queueUs + 20 * (slow ? 40_000 : 300) * (1 + jitter(0.2)),
    };
  }

  /** vLLM V1's /metrics (label names as vLLM sets them: model_name and engine). */
  vllmMetrics(): string {
    const l = { engine: '0', model_name: this.servedModel };
    const g = (name: string, v: number) => [`# TYPE ${name} gauge`, `${name}{${labelText(l)}} ${num(v)}`];
    return [
      ...g('vllm:num_requests_running', this.vllm.running), ...g('vllm:num_requests_waiting', this.vllm.waiting),
      ...g('vllm:kv_cache_usage_perc', Math.round(this.vllm.kv * 1e4) / 1e4),
      '# TYPE vllm:generation_tokens_total counter', `vllm:generation_tokens_total{${labelText(l)}} ${num(this.vllm.generated)}`,
      ...this.ttft.text(l), ...this.itl.text(l), ...this.queue.text(l), '',
    ].join('\n');
  }

  /** The DCGM exporter's /metrics for one GPU (an 80 GiB card, most of it reserved by vLLM at start). */
  dcgmMetrics(): string {
    const l = labelText({ gpu: '0', UUID: 'GPU-5c1e0000-demo-0000-0000-000000000000', device: 'nvidia0', modelName: 'NVIDIA H100 80GB HBM3', Hostname: 'demo' });
    return [
      '# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).', '# TYPE DCGM_FI_DEV_GPU_UTIL gauge', `DCGM_FI_DEV_GPU_UTIL{${l}} ${this.gpu.util}`,
      '# HELP DCGM_FI_DEV_FB_FREE Framebuffer memory free (in MiB).', '# TYPE DCGM_FI_DEV_FB_FREE gauge', `DCGM_FI_DEV_FB_FREE{${l}} ${81_559 - this.gpu.fbUsed}`,
      '# HELP DCGM_FI_DEV_FB_USED Framebuffer memory used (in MiB).', '# TYPE DCGM_FI_DEV_FB_USED gauge', `DCGM_FI_DEV_FB_USED{${l}} ${this.gpu.fbUsed}`, '',
    ].join('\n');
  }

  /** Triton's /metrics (its own model and version labels; counters without _total, as Triton writes them). */
  tritonMetrics(model: string): string {
    const l = labelText({ model, version: '1' });
    const c = (name: string, help: string, v: number) => [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name}{${l}} ${Math.round(v)}`];
    return [
      ...c('nv_inference_request_success', 'Number of successful inference requests, all batch sizes', this.triton.success),
      ...c('nv_inference_count', 'Number of inferences performed (does not include cached requests)', this.triton.inferences),
      ...c('nv_inference_exec_count', 'Number of model executions performed (does not include cached requests)', this.triton.executions),
      ...c('nv_inference_queue_duration_us', 'Cumulative inference queuing duration in microseconds (includes cached requests)', this.triton.queueUs), '',
    ].join('\n');
  }
}
