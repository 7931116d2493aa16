// Elasticsearch and OpenSearch (APIS.md §10): a point in time per poll, pages of `search_after`
// sorted by the timestamp and a unique field (the request id), so paging never skips or repeats
// a document and the cursor survives across point-in-time contexts. Stays `lag` behind now.
import type { SecretRef } from '../../config/schema.js';
import { SourceError } from '../errors.js';
import { parseJson, request, requestOk } from '../http.js';
import { authHeader } from './loki.js';
import type { LogEvents, LogReader } from './types.js';

interface EsState { searchAfter: unknown[] | null }
interface Hit { _source?: unknown; sort?: unknown[] }

const PAGE = 1000;
/** A bound against a server that never returns a short page; the poll's deadline normally ends a catch-up first. */
const MAX_PAGES = 10_000;

export class ElasticsearchReader implements LogReader {
  state: EsState = { searchAfter: null };

  constructor(
    private readonly flavour: 'elasticsearch' | 'opensearch', private readonly url: string, private readonly index: string,
    private readonly timestampField: string, private readonly idField: string, private readonly lagSeconds: number, private readonly auth?: SecretRef,
  ) {}

  restore(state: unknown): void {
    this.state = structuredClone(state as EsState);
  }

  private async openPit(signal: AbortSignal, headers: Record<string, string>): Promise<string> {
    const path = this.flavour === 'elasticsearch' ? `/${encodeURIComponent(this.index)}/_pit?keep_alive=1m` : `/${encodeURIComponent(this.index)}/_search/point_in_time?keep_alive=1m`;
    const body = parseJson((await requestOk(`${this.url}${path}`, { method: 'POST', signal, headers })).text, 'point in time') as { id?: string; pit_id?: string };
    const id = body.id ?? body.pit_id;
    if (!id) throw new SourceError('invalid_output', 'point-in-time response has no id');
    return id;
  }

  private async closePit(id: string, headers: Record<string, string>): Promise<void> {
    const path = this.flavour === 'elasticsearch' ? '/_pit' : '/_search/point_in_time';
    const body = this.flavour === 'elasticsearch' ? { id } : { pit_id: [id] };
    // Best effort: an expired context closes itself after keep_alive.
    await request(`${this.url}${path}`, { method: 'DELETE', body, headers, signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  }

  async poll(events: LogEvents, signal: AbortSignal = new AbortController().signal): Promise<void> {
    const headers = authHeader(this.auth);
    let pit = await this.openPit(signal, headers);
    try {
      for (let page = 0; page < MAX_PAGES && !signal.aborted; page++) {
        const query = { size: PAGE, track_total_hits: false, pit: { id: pit, keep_alive: '1m' },
          query: { range: { [this.timestampField]: { lt: `now-${Math.max(0, Math.round(this.lagSeconds))}s` } } },
          sort: [{ [this.timestampField]: 'asc' }, { [this.idField]: 'asc' }],
          ...(this.state.searchAfter ? { search_after: this.state.searchAfter } : {}) };
        const body = parseJson((await requestOk(`${this.url}/_search`, { method: 'POST', body: query, signal, headers })).text, 'search') as { pit_id?: string; hits?: { hits?: Hit[] } };
        if (body.pit_id) pit = body.pit_id;
        const hits = body.hits?.hits;
        if (!Array.isArray(hits)) throw new SourceError('invalid_output', 'search response has no hits');
        for (const h of hits) {
          events.record(h._source ?? {});
          if (Array.isArray(h.sort)) this.state = { searchAfter: h.sort };
        }
        if (hits.length < PAGE) return;
      }
    } finally {
      await this.closePit(pit, headers);
    }
  }
}
