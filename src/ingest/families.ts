// Metrics whose values live in the ingest state (restored from checkpoints, so counters continue
// across restarts): registered in the prom-client registry as read-only collectors.
import type { Registry } from 'prom-client';
import type { MetricDef } from '../catalog/metrics.js';

export interface Sample { readonly labels: Readonly<Record<string, string | number>>; readonly value: number; readonly metricName?: string }

export function registerFamily(registry: Registry, def: MetricDef, values: () => Sample[]): void {
  const family = {
    name: def.name, help: def.help, type: def.type, labelNames: def.labels, aggregator: 'sum',
    get: () => ({ name: def.name, help: def.help, type: def.type, values: values(), aggregator: 'sum' }),
    reset: () => undefined,
  };
  registry.registerMetric(family as never);
}
