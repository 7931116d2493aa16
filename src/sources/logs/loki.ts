// Grafana Loki (APIS.md §9): query_range with direction=forward, paging by the last timestamp.
// Loki has no cursor and `start` is inclusive, so entries sharing the boundary nanosecond are
// seen again on the next page or poll: they are de-duplicated by (stream, timestamp, line hash).
// The query stays `lag` behind now to tolerate ingestion delay.
import { createHash } from 'node:crypto';
import { SourceError } from '../errors.js';
import { parseJson, requestOk } from '../http.js';
import { readSecret } from '../secret.js';
import type { SecretRef } from '../../config/schema.js';
import type { LogEvents, LogReader } from './types.js';

interface LokiState { cursorNs: string | null; seen: string[] }
interface Stream { stream?: Record<string, string>; values?: [string, string][] }

const PAGE = 1000;
/** A bound against a server that never returns a short page; the poll's deadline normally ends a catch-up first. */
const MAX_PAGES = 10_000;

export const authHeader = (auth: SecretRef | undefined): Record<string, string> => {
  if (!auth) return {};
  const v = readSecret(auth);
  // A value with a scheme ("Basic ...", "ApiKey ...") is sent as is; a bare token as a bearer token.
  return { authorization: /^\S+ \S+/.test(v) ? v : `Bearer ${v}` };
};

export class LokiReader implements LogReader {
  state: LokiState = { cursorNs: null, seen: [] };

  constructor(private readonly url: string, private readonly query: string, private readonly lagSeconds: number, private readonly auth?: SecretRef, private readonly lookbackSeconds = 3600) {}

  restore(state: unknown): void {
    this.state = structuredClone(state as LokiState);
  }

  async poll(events: LogEvents, signal?: AbortSignal): Promise<void> {
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const end = nowNs - BigInt(Math.round(this.lagSeconds * 1e9));
    let start = this.state.cursorNs ? BigInt(this.state.cursorNs) : nowNs - BigInt(this.lookbackSeconds) * 1_000_000_000n;
    let seen = new Set(this.state.seen);
    for (let page = 0; page < MAX_PAGES && start < end && !signal?.aborted; page++) {
      const q = new URLSearchParams({ query: this.query, start: String(start), end: String(end), limit: String(PAGE), direction: 'forward' });
      const body = parseJson((await requestOk(`${this.url}/loki/api/v1/query_range?${q}`, { signal: signal ?? new AbortController().signal, headers: authHeader(this.auth) })).text, 'loki response') as { status?: string; data?: { resultType?: string; result?: Stream[] } };
      if (body.status !== 'success' || body.data?.resultType !== 'streams') throw new SourceError('invalid_output', 'loki query_range did not return streams');
      const entries = (body.data.result ?? []).flatMap((s) => {
        const stream = JSON.stringify(s.stream ?? {});
        return (s.values ?? []).map(([ts, line]) => ({ ts: BigInt(ts), line, key: `${ts}|${createHash('sha1').update(stream).update('\u0000').update(line).digest('hex')}` }));
      }).sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.key.localeCompare(b.key)));
      let maxTs = start;
      for (const e of entries) {
        if (seen.has(e.key)) continue;
        const bytes = Buffer.from(e.line, 'utf8');
        events.line(bytes, 0, bytes.length);
        if (e.ts > maxTs) { maxTs = e.ts; seen = new Set(); }
        if (e.ts === maxTs) seen.add(e.key);
      }
      // Keep the keys at the boundary timestamp only: earlier ones can never come back.
      this.state = { cursorNs: String(maxTs), seen: [...seen].filter((k) => k.startsWith(`${maxTs}|`)) };
      if (entries.length < PAGE) return;
      // A full page that is all one timestamp cannot be paged past with start alone: stop, not spin.
      if (maxTs === start) return;
      start = maxTs;
    }
  }
}
