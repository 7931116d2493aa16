// Loki and Elasticsearch/OpenSearch servers that follow their documented APIs (APIS.md §9, §10):
// Loki query_range (start inclusive, end exclusive, limit, direction=forward), ES/OpenSearch
// point in time + search_after with sort, range filters on the timestamp.
import { json, startFake, type FakeServer } from './http.js';

export interface LokiEntry { stream: Record<string, string>; ns: bigint; line: string }

export function startLoki(entries: LokiEntry[]): Promise<FakeServer> {
  return startFake((req, _body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/loki/api/v1/query_range') return json(res, 404, { message: 'not found' });
    if (url.searchParams.get('direction') !== 'forward') return json(res, 400, { message: 'test server only pages forward' });
    const start = BigInt(url.searchParams.get('start') ?? '0');
    const end = BigInt(url.searchParams.get('end') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? '100');
    const picked = entries.filter((e) => e.ns >= start && e.ns < end).sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0)).slice(0, limit);
    const streams = new Map<string, { stream: Record<string, string>; values: [string, string][] }>();
    for (const e of picked) {
      const key = JSON.stringify(e.stream);
      if (!streams.has(key)) streams.set(key, { stream: e.stream, values: [] });
      streams.get(key)?.values.push([String(e.ns), e.line]);
    }
    json(res, 200, { status: 'success', data: { resultType: 'streams', result: [...streams.values()], stats: {} } });
  });
}

export interface EsDoc { '@timestamp': string; request_id: string; [k: string]: unknown }

export function startSearch(flavour: 'elasticsearch' | 'opensearch', index: string, docs: EsDoc[]): Promise<FakeServer & { openPits: Set<string> }> {
  const openPits = new Set<string>();
  let n = 0;
  return startFake((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const pitPath = flavour === 'elasticsearch' ? `/${index}/_pit` : `/${index}/_search/point_in_time`;
    if (req.method === 'POST' && url.pathname === pitPath) {
      const id = `pit-${++n}`;
      openPits.add(id);
      return json(res, 200, flavour === 'elasticsearch' ? { id } : { pit_id: id, _shards: {}, creation_time: Date.now() });
    }
    if (req.method === 'DELETE' && url.pathname === (flavour === 'elasticsearch' ? '/_pit' : '/_search/point_in_time')) {
      const b = JSON.parse(body) as { id?: string; pit_id?: string[] };
      for (const id of b.id ? [b.id] : b.pit_id ?? []) openPits.delete(id);
      return json(res, 200, { succeeded: true });
    }
    if (req.method === 'POST' && url.pathname === '/_search') {
      const q = JSON.parse(body) as { size: number; pit?: { id: string }; search_after?: [string, string]; query: { range: Record<string, { lt: string }> } };
      if (!q.pit || !openPits.has(q.pit.id)) return json(res, 404, { error: { type: 'search_context_missing_exception' } });
      const lag = Number(/now-(\d+)s/.exec(Object.values(q.query.range)[0]?.lt ?? '')?.[1] ?? 0);
      const cutoff = Date.now() - lag * 1000;
      const key = (d: EsDoc): [string, string] => [d['@timestamp'], d.request_id];
      const after = q.search_after;
      const hits = docs.filter((d) => Date.parse(d['@timestamp']) < cutoff)
        .sort((a, b) => (a['@timestamp'] < b['@timestamp'] ? -1 : a['@timestamp'] > b['@timestamp'] ? 1 : a.request_id.localeCompare(b.request_id)))
        .filter((d) => !after || key(d)[0] > after[0] || (key(d)[0] === after[0] && key(d)[1] > after[1]))
        .slice(0, q.size)
        .map((d) => ({ _index: index, _id: d.request_id, _score: null, _source: d, sort: key(d) }));
      return json(res, 200, { pit_id: q.pit.id, took: 1, timed_out: false, hits: { hits } });
    }
    json(res, 404, { error: 'not found' });
  }).then((s) => Object.assign(s, { openPits }));
}
