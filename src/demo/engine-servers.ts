// Where the demo's engines listen: on the ports the config names for each model's server metrics
// and GPU exporter, so the Prometheus of the bundle generated from the same config scrapes them
// (in Docker Compose the exporter container answers for those host names; on a laptop, on
// localhost). A port already taken falls back to a free one, and the log says so.
import type { Logger } from 'pino';
import type { Model } from '../config/index.js';
import type { EngineSimulation } from './engines.js';
import { chatServer, metricsServer, type DemoServer } from './servers.js';

export interface EngineServers {
  readonly servers: readonly DemoServer[];
  /** The endpoint URL of models whose engine also answers their requests (vLLM). */
  readonly endpoints: ReadonlyMap<string, string>;
}

const portOf = (u: string) => Number(new URL(u).port || (u.startsWith('https:') ? 443 : 80));

export async function startEngineServers(model: Model, sim: EngineSimulation, host: string, logger: Logger): Promise<EngineServers> {
  const servers: DemoServer[] = [];
  const endpoints = new Map<string, string>();
  const started = (what: string, wanted: number, s: DemoServer & { wanted: boolean }) => {
    servers.push(s);
    if (!s.wanted) logger.warn({ what, port: wanted, url: s.url }, 'demo: port taken, serving elsewhere (Prometheus will not find it there)');
  };
  for (const m of model.models) {
    const e = m.endpoint;
    if (!e) continue;
    if (e.server === 'vllm') {
      const port = portOf(e.metricsUrl ?? e.url);
      const s = await chatServer(e.modelName, host, { metrics: () => sim.vllmMetrics(), port });
      started(`${m.name} vLLM`, port, s);
      endpoints.set(m.name, s.url);
    } else if (e.server === 'triton' && e.metricsUrl) {
      const port = portOf(e.metricsUrl);
      started(`${m.name} Triton metrics`, port, await metricsServer(() => sim.tritonMetrics(e.modelName), host, port));
    }
    if (e.gpuExporter) {
      const port = portOf(e.gpuExporter);
      started(`${m.name} DCGM exporter`, port, await metricsServer(() => sim.dcgmMetrics(), host, port));
    }
  }
  return { servers, endpoints };
}
