// Poll jobs for model endpoints and golden sets: each turns a source result into samples.
import type { BillingSource, ModelSpec } from '../config/index.js';
import { byPeriod, pollBilling, type BillingSnapshot } from '../sources/billing.js';
import { probeEndpoint } from '../sources/endpoint.js';
import { SourceError } from '../sources/errors.js';
import { goldenRunner } from '../sources/golden/index.js';
import type { MetricSet } from './metrics.js';
import type { Job } from '../sources/job.js';

/** What the endpoint last said about the model version, shared with golden runs. */
export class VersionBook {
  private readonly versions = new Map<string, string>();
  constructor(private readonly metrics: MetricSet, private readonly models: readonly ModelSpec[]) {
    for (const m of models) this.metrics.set('modelInfo', { model: m.name, version: 'unknown', task: m.task }, 1);
  }
  get(model: string): string {
    return this.versions.get(model) ?? 'unknown';
  }
  set(model: ModelSpec, version: string): void {
    const before = this.get(model.name);
    if (before === version) return;
    this.metrics.remove('modelInfo', { model: model.name, version: before, task: model.task });
    this.metrics.set('modelInfo', { model: model.name, version, task: model.task }, 1);
    this.versions.set(model.name, version);
  }
}

export function endpointJob(m: ModelSpec, metrics: MetricSet, versions: VersionBook): Job | null {
  const e = m.endpoint;
  if (!e) return null;
  const labels = { model: m.name };
  metrics.set('endpointUp', labels, 0);
  metrics.touch('endpointProbeDuration', labels);
  metrics.touch('endpointProbeFailures', { ...labels, reason: 'timeout' });
  if (e.protocol === 'openai') {
    metrics.touch('canaryInputTokens', labels);
    metrics.touch('canaryOutputTokens', labels);
  }
  return {
    id: `endpoint/${m.name}`, kind: 'endpoint', intervalSeconds: e.intervalSeconds, timeoutSeconds: e.timeoutSeconds,
    async run(signal) {
      const started = performance.now();
      try {
        const result = await probeEndpoint(e, signal);
        metrics.set('endpointUp', labels, 1);
        if (result.version) versions.set(m, result.version);
        if (result.usage) {
          metrics.inc('canaryInputTokens', labels, result.usage.input);
          metrics.inc('canaryOutputTokens', labels, result.usage.output);
        }
      } catch (err) {
        metrics.set('endpointUp', labels, 0);
        metrics.inc('endpointProbeFailures', { ...labels, reason: err instanceof SourceError ? err.reason : 'other' });
        throw err;
      } finally {
        metrics.observe('endpointProbeDuration', labels, (performance.now() - started) / 1000);
      }
    },
  };
}

export function goldenJob(m: ModelSpec, metrics: MetricSet, versions: VersionBook, maxCases = 50): Job | null {
  const e = m.endpoint;
  const g = m.goldenSet;
  if (!e || !g) return null;
  const runner = goldenRunner(e, g, maxCases);
  const labels = { model: m.name };
  metrics.touch('goldenDuration', labels);
  return {
    id: `golden/${m.name}`, kind: 'golden', intervalSeconds: g.intervalSeconds,
    // A golden run is many sequential requests: give it most of its interval, bounded by 10 minutes.
    timeoutSeconds: Math.min(g.intervalSeconds * 0.8, 600),
    async run(signal) {
      const results = await runner.run(signal);
      const version = versions.get(m.name);
      const counts = { pass: 0, fail: 0, error: 0 };
      for (const r of results) {
        counts[r.outcome]++;
        metrics.observe('goldenDuration', labels, r.seconds);
      }
      for (const outcome of ['pass', 'fail', 'error'] as const) metrics.inc('goldenCases', { ...labels, version, outcome }, counts[outcome]);
      if (results.length) metrics.set('goldenPassRatio', { ...labels, version }, counts.pass / results.length);
      metrics.set('goldenLastRun', labels, Date.now() / 1000);
      // Not one case got an answer to score: the run measured nothing, so the source is down
      // (counted by reason), not up with a pass ratio of 0.
      if (results.length && counts.error === results.length) {
        // Not a transient reason: a retry would run (and count) every case again.
        const first = (results[0]?.detail ?? 'other') as SourceError['reason'];
        const reason = first === 'server_error' ? 'other' : first;
        throw new SourceError(reason, `every golden case of ${m.name} failed to run (first: ${results[0]?.id}, ${first})`);
      }
    },
  };
}

/** The latest snapshot of every billing source; gauges are replaced from the union on each poll. */
export class BillingBook {
  private readonly costs = new Map<string, { labels: Record<string, string>; value: number }[]>();
  private readonly tokens = new Map<string, { labels: Record<string, string>; value: number }[]>();

  constructor(private readonly metrics: MetricSet) {}

  update(b: BillingSource, snapshot: BillingSnapshot, now: number): void {
    const base = { source: b.name, provider: b.provider };
    this.costs.set(b.name, [...byPeriod(snapshot.costs, now, (r) => `${r.project}\u0000${r.model}\u0000${r.lineItem}`, (r) => r.usd).values()]
      .map(({ period, row, total }) => ({ labels: { ...base, project: row.project, model: row.model, line_item: row.lineItem, period }, value: total })));
    this.tokens.set(b.name, [...byPeriod(snapshot.tokens, now, (r) => `${r.project}\u0000${r.model}\u0000${r.tokenType}`, (r) => r.tokens).values()]
      .map(({ period, row, total }) => ({ labels: { ...base, project: row.project, model: row.model, token_type: row.tokenType, period }, value: total })));
    this.metrics.replace('billingCost', [...this.costs.values()].flat());
    this.metrics.replace('billingTokens', [...this.tokens.values()].flat());
  }
}

export function billingJob(b: BillingSource, book: BillingBook): Job {
  return {
    id: `billing/${b.name}`, kind: 'billing', intervalSeconds: b.intervalSeconds, timeoutSeconds: Math.min(60, b.intervalSeconds * 0.8),
    async run(signal) {
      const now = Date.now() / 1000;
      book.update(b, await pollBilling(b, now, signal), now);
    },
  };
}
