// startExporter: registries from the catalog, background jobs, cached exposition, HTTP server.
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { Model } from '../config/index.js';
import { VERSION } from '../version.js';
import { OUTPUT_FEATURES } from '../catalog/labels.js';
import { FAILURE_REASONS } from '../sources/errors.js';
import { Exposition } from './exposition.js';
import { billingJob, BillingBook, endpointJob, goldenJob, VersionBook } from './jobs.js';
import { MetricSet } from './metrics.js';
import { SeriesBudget, type LabelPolicy } from '../catalog/policy.js';
import { Scheduler, type CarriedState } from './scheduler.js';
import type { Job } from '../sources/job.js';
import { createApp } from './server.js';
import { owns, type Shard } from './shard.js';
import { basicAuth, WebConfigWatcher } from './webconfig.js';
import { PasswordChecker } from './passwords.js';
import { IngestPipeline, INGEST_SOURCES, REJECT_REASONS } from '../ingest/index.js';

export { createLogger } from './log.js';


export interface ExporterOptions {
  readonly port?: number;
  readonly host?: string;
  readonly logger: Logger;
  readonly seriesCap?: number;
  readonly goldenMaxCases?: number;
  /** Start the polling timers (default true); tests poll by hand with scheduler.pollAll(). */
  readonly start?: boolean;
  /** Where checkpoints go (default exporter.state_dir). */
  readonly stateDir?: string;
  /** Watch only this replica's share of the models (billing is polled by replica 1). */
  readonly shard?: Shard;
  /** POST /-/reload: re-read the config (wired by the CLI, which knows the file). */
  readonly onReloadRequest?: () => Promise<boolean>;
  /** TLS and basic auth, in the exporter-toolkit web config format. */
  readonly webConfigFile?: string;
  /** Connection limits (defaults: LIMITS); tests shorten them. */
  readonly limits?: Partial<ConnectionLimits>;
}

export interface ConnectionLimits {
  /** A client must have sent its request headers within this time (slowloris). */
  readonly headersTimeoutMs: number;
  /** ... and the whole request within this time. */
  readonly requestTimeoutMs: number;
  /** A socket with no traffic either way for this long is closed: a client that stops reading. */
  readonly idleTimeoutMs: number;
  /** Open connections at most, so held sockets cannot use up file descriptors (see limitConnections). */
  readonly maxConnections: number;
  /** ... and from one address, so one client cannot take them all from Prometheus. */
  readonly maxConnectionsPerAddress: number;
}

export const LIMITS: ConnectionLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, idleTimeoutMs: 30_000, maxConnections: 512, maxConnectionsPerAddress: 64 };

/**
 * Connection limits with fairness. Beyond `perAddress` from one address, a new connection is
 * closed. At `total`, a new connection from an address holding fewer than the heaviest one
 * takes that address's oldest connection instead of being refused: a thousand held sockets
 * from many addresses cannot lock out Prometheus, which holds one or two.
 */
function limitConnections(server: Server, total: number, perAddress: number): void {
  const byAddress = new Map<string, Set<Socket>>();
  let open = 0;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const mine = byAddress.get(address) ?? new Set<Socket>();
    if (mine.size >= perAddress) return void socket.destroy();
    if (open >= total) {
      let heaviest: Set<Socket> | undefined;
      for (const set of byAddress.values()) if (!heaviest || set.size > heaviest.size) heaviest = set;
      if (!heaviest || heaviest.size <= mine.size + 1) return void socket.destroy();
      heaviest.values().next().value?.destroy();
    }
    mine.add(socket);
    byAddress.set(address, mine);
    open++;
    socket.once('close', () => {
      open--;
      mine.delete(socket);
      if (!mine.size && byAddress.get(address) === mine) byAddress.delete(address);
    });
  });
}

export interface RunningExporter {
  readonly url: string;
  readonly ingest: IngestPipeline;
  readonly exposition: Exposition;
  readonly scheduler: Scheduler;
  /** Swaps in a new config, or, given the errors of an invalid one, keeps the running config and reports it. */
  reload(next: Model | { errors: string[] }): Promise<boolean>;
  /** Open client connections. */
  connections(): Promise<number>;
  stop(): Promise<void>;
}

/** Label values the exporter may emit: from the config, plus closed sets defined in code. */
export function labelPolicy(model: Model, seriesCap = model.exporter.seriesPerMetric): LabelPolicy {
  const versions = model.models.flatMap((m) => [...m.versions, 'unknown']);
  return {
    seriesCap,
    budget: new SeriesBudget(model.exporter.seriesLimit),
    allowed: new Map<string, ReadonlySet<string>>([
      // Billing rows name provider models (bounded by the provider's price list), next to configured models.
      ['model', new Set([...model.models.flatMap((m) => [m.name, m.billingModel]), ...(model.prices?.models ?? []).map((p) => p.model)])],
      ['version', new Set(versions)],
      ['reason', new Set([...FAILURE_REASONS, ...REJECT_REASONS])],
      ['feature', new Set([...model.models.flatMap((m) => m.features.map((f) => f.name)), ...OUTPUT_FEATURES])],
      ['segment', new Set([...model.models.flatMap((m) => m.segments), 'default'])],
    ]),
  };
}

/** Values that come straight from the config: set once at start. */
function configGauges(model: Model, metrics: MetricSet): void {
  metrics.set('buildInfo', { version: VERSION, nodejs_version: process.version }, 1);
  metrics.set('configReloadSuccess', {}, 1);
  metrics.set('seriesLimit', {}, model.exporter.seriesLimit);
  for (const b of model.billing) if (b.monthlyBudgetUsd !== null) metrics.set('billingBudget', { source: b.name, provider: b.provider }, b.monthlyBudgetUsd);
  if (model.prices) metrics.set('priceTableAsOf', {}, Date.parse(`${model.prices.asOf}T00:00:00Z`) / 1000);
}

interface Runtime {
  readonly exposition: Exposition;
  readonly scheduler: Scheduler;
  readonly ingest: IngestPipeline;
  readonly metrics: MetricSet;
  readonly sources: string[];
  stop(): Promise<void>;
}

/** Everything a config drives: metrics, sources, polling, ingest. Swapped whole on reload. */
async function createRuntime(model: Model, o: ExporterOptions, carried?: ReadonlyMap<string, CarriedState>): Promise<Runtime> {
  const registry = new Registry();
  const policy = labelPolicy(model, o.seriesCap);
  const metrics = new MetricSet(registry, policy, INGEST_SOURCES);
  configGauges(model, metrics);
  const exposition = new Exposition(registry);
  let droppedInState: Record<string, number> = {};
  // Before each refresh: series counts, and drops in the ingest state carried into the counter.
  const account = () => {
    const counts = new Map([...metrics.seriesCounts(), ...ingest.aggregates.seriesCounts()]);
    metrics.replace('series', [...counts].map(([metric, n]) => ({ labels: { metric }, value: n })));
    const now = ingest.aggregates.droppedSeries;
    for (const [metric, n] of Object.entries(now)) if (n > (droppedInState[metric] ?? 0)) metrics.dropped(metric, n - (droppedInState[metric] ?? 0));
    droppedInState = { ...now };
  };
  const scheduler = new Scheduler({ metrics, logger: o.logger, carried, onPolled: () => { account(); exposition.requestRefresh(); } });
  const versions = new VersionBook(metrics, model.models);
  const billing = new BillingBook(metrics);
  const mine = (name: string) => owns(o.shard, name);
  const ingest = new IngestPipeline(model, { registry, policy, stateDir: o.stateDir ?? model.exporter.stateDir, owns: mine, onCorruptCheckpoint: (what) => o.logger.error({ stateDir: o.stateDir ?? model.exporter.stateDir }, what) });
  for (const p of ingest.problems) o.logger.error({ subject: p.subject, err: p.error }, 'part of the config cannot run');
  const jobs = [
    ...model.models.filter((m) => mine(m.name)).flatMap((m) => [endpointJob(m, metrics, versions), goldenJob(m, metrics, versions, o.goldenMaxCases)]),
    ...ingest.jobs(),
    ...(!o.shard || o.shard.index === 1 ? model.billing.map((b) => billingJob(b, billing)) : []),
  ].filter((j): j is Job => j !== null);
  for (const job of jobs) scheduler.add(job);
  account();
  await exposition.refresh();
  if (o.start !== false) scheduler.start();
  return {
    exposition, scheduler, ingest, metrics, sources: jobs.map((j) => j.id),
    async stop() {
      await scheduler.stop();
      await ingest.idle();
      exposition.stop();
    },
  };
}

export async function startExporter(model: Model, o: ExporterOptions): Promise<RunningExporter> {
  let current = await createRuntime(model, o);
  let running = model;
  let reloading: Promise<unknown> = Promise.resolve();
  const refused = async (errors: readonly string[]) => {
    // An invalid config keeps the old one running, and says so.
    current.metrics.set('configReloadSuccess', {}, 0);
    await current.exposition.refresh();
    o.logger.error({ errors }, 'config reload failed: keeping the running config');
    return false;
  };
  // Never throws: SIGHUP and POST /-/reload get true or false, and something always runs.
  const reload = (next: Model | { errors: string[] }): Promise<boolean> => {
    const run = reloading.then(async () => {
      if ('errors' in next) return refused(next.errors);
      // Stopped first, so the new runtime restores the checkpoint the old one wrote last; the
      // sources' breakers, backoffs and Retry-After carry over.
      // Handed over after the stop, so a poll that was in flight has told its outcome.
      await current.stop();
      const carried = current.scheduler.handOver();
      try {
        current = await createRuntime(next, o, carried);
        running = next;
      } catch (e) {
        current = await createRuntime(running, o, carried);
        return refused([`the new config cannot run: ${(e as Error).message}`]);
      }
      o.logger.info({ sources: current.sources }, 'config reloaded');
      return true;
    });
    reloading = run.catch(() => undefined);
    return run.catch(() => false);
  };

  let tlsServer: HttpsServer | undefined;
  const web = o.webConfigFile ? new WebConfigWatcher(o.webConfigFile, (c) => {
    // Rotated certificates take effect for new connections without a restart.
    if (c.tls && tlsServer) tlsServer.setSecureContext({ cert: c.tls.cert, key: c.tls.key, ...(c.tls.ca ? { ca: c.tls.ca } : {}) });
  }) : undefined;
  const checker = web ? new PasswordChecker() : undefined;
  const auth = web && checker ? basicAuth(web, { checker, onRefused: (reason) => current.metrics.inc('httpAuthRefused', { reason }) }) : undefined;
  const app = createApp(() => current.exposition, () => current.exposition.ready, o.onReloadRequest, auth, (err) => o.logger.error({ err: (err as Error)?.message }, 'request failed'));
  const tls = web?.config.tls;
  const server: Server = await new Promise((resolve, reject) => {
    const limits = { ...LIMITS, ...o.limits };
    // Node checks the headers and request timeouts only this often (default 30 s).
    const checking = { connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs / 2), headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs };
    const s: Server = tls
      ? (tlsServer = createHttpsServer({ ...checking, cert: tls.cert, key: tls.key, ...(tls.ca ? { ca: tls.ca } : {}), requestCert: tls.requestCert, rejectUnauthorized: tls.requestCert, minVersion: tls.minVersion }, app))
      : createHttpServer(checking, app);
    limitConnections(s, limits.maxConnections, limits.maxConnectionsPerAddress);
    // No 'timeout' listener: Node destroys a socket idle this long (a client that stopped reading).
    s.setTimeout(limits.idleTimeoutMs);
    s.listen(o.port ?? model.exporter.port, o.host ?? '0.0.0.0', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = `${tls ? 'https' : 'http'}://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  o.logger.info({ url, sources: current.sources }, 'modelwatch exporter listening');

  return {
    url,
    get exposition() { return current.exposition; },
    get scheduler() { return current.scheduler; },
    get ingest() { return current.ingest; },
    reload,
    connections: () => new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n)))),
    async stop() {
      await reloading;
      await current.stop();
      server.closeAllConnections();
      await checker?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      o.logger.info('modelwatch exporter stopped');
    },
  };
}
