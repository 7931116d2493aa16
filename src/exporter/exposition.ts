// The exposition is rendered once per refresh (and gzipped once), never per scrape: a scrape
// only copies cached bytes. Refreshes are coalesced so a burst of polls renders once.
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { Registry, type Metric, type OpenMetricsContentType } from 'prom-client';

const gzip = promisify(gzipCb);

export type Format = 'text' | 'openmetrics';
export const CONTENT_TYPES: Record<Format, string> = {
  text: Registry.PROMETHEUS_CONTENT_TYPE,
  openmetrics: Registry.OPENMETRICS_CONTENT_TYPE,
};

interface Rendered { readonly body: Buffer; gzipped?: Promise<Buffer> }

type Collectable = { name: string; help: string; type: string; get(): Promise<{ name: string } & object> | ({ name: string } & object) };

/**
 * prom-client renames counters in place (drops _total) when an OpenMetrics registry renders
 * them, which would corrupt the Prometheus-text exposition of metrics shared by both. So
 * OpenMetrics is rendered from a fresh registry of read-only views over the text registry.
 */
export function openMetricsView(text: Registry): Registry<OpenMetricsContentType> {
  const om = new Registry<OpenMetricsContentType>();
  om.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  for (const real of text.getMetricsAsArray() as unknown as Collectable[]) {
    const name = real.type === 'counter' ? real.name.replace(/_total$/, '') : real.name;
    om.registerMetric({ name, help: real.help, type: real.type, get: async () => ({ ...(await real.get()), name }) } as unknown as Metric);
  }
  return om;
}

export class Exposition {
  private cache = new Map<Format, Promise<Rendered>>();
  private pending: NodeJS.Timeout | undefined;
  private renders = 0;

  constructor(private readonly registry: Registry, private readonly coalesceMs = 250) {}

  /** Number of renders so far (tests use it to prove scrapes do not render). */
  get renderCount(): number {
    return this.renders;
  }

  get ready(): boolean {
    return this.cache.has('text');
  }

  /** Renders the default format now; OpenMetrics is rendered on first request after a refresh. */
  async refresh(): Promise<void> {
    // A refresh now makes a requested one redundant: it would render the same state again.
    clearTimeout(this.pending);
    this.pending = undefined;
    const next = new Map<Format, Promise<Rendered>>();
    const text = this.render('text');
    next.set('text', text);
    await text;
    this.cache = next;
  }

  /** Coalesces refresh requests (one render for a burst of polls). */
  requestRefresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.refresh();
    }, this.coalesceMs);
    this.pending.unref();
  }

  async get(format: Format, gzipped: boolean): Promise<Buffer> {
    let entry = this.cache.get(format);
    if (!entry) {
      entry = this.render(format);
      this.cache.set(format, entry);
    }
    const r = await entry;
    if (!gzipped) return r.body;
    r.gzipped ??= gzip(r.body, { level: 1 });
    return r.gzipped;
  }

  stop(): void {
    clearTimeout(this.pending);
  }

  private async render(format: Format): Promise<Rendered> {
    this.renders++;
    const registry = format === 'text' ? this.registry : openMetricsView(this.registry);
    return { body: Buffer.from(await registry.metrics(), 'utf8') };
  }
}

/** Picks the format by Accept q-values; Prometheus text 0.0.4 unless OpenMetrics is preferred. */
export function negotiate(accept: string | undefined): Format {
  let best: { format: Format; q: number } = { format: 'text', q: 0 };
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.trim().split(';').map((p) => p.trim());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    const format: Format | null = type === 'application/openmetrics-text' ? 'openmetrics' : type === 'text/plain' || type === '*/*' ? 'text' : null;
    if (format && q > best.q) best = { format, q };
  }
  return best.format;
}
