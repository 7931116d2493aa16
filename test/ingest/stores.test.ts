// Loki and Elasticsearch/OpenSearch readers against servers that follow the documented APIs:
// every record read exactly once across pages and polls, boundary timestamps de-duplicated,
// records younger than the lag left for later, point-in-time contexts closed.
import { describe, expect, it } from 'vitest';
import { ElasticsearchReader } from '../../src/sources/logs/elasticsearch.js';
import { LokiReader } from '../../src/sources/logs/loki.js';
import type { LogEvents } from '../../src/sources/logs/types.js';
import { startLoki, startSearch, type EsDoc, type LokiEntry } from '../fakes/logstores.js';

function collector() {
  const ids: string[] = [];
  const events: LogEvents = {
    line: (b, s, e) => void ids.push((JSON.parse(b.toString('utf8', s, e)) as { id: string }).id),
    record: (r) => void ids.push((r as { request_id: string }).request_id),
    oversize: () => undefined, anomaly: () => undefined,
  };
  return { ids, events };
}

const nowNs = () => BigInt(Date.now()) * 1_000_000n;

describe('the Loki reader', () => {
  it('reads every entry once across pages, de-duplicating the page-boundary timestamp', async () => {
    const base = nowNs() - 600n * 1_000_000_000n;
    const entries: LokiEntry[] = [];
    // 2,500 entries over two streams; 40 of them share the timestamp that straddles page 1 and 2.
    for (let i = 0; i < 2500; i++) {
      const ns = i >= 980 && i < 1020 ? base + 980n : base + BigInt(i);
      entries.push({ stream: { app: 'model', pod: `p${i % 2}` }, ns, line: JSON.stringify({ id: `e${i}` }) });
    }
    const loki = await startLoki(entries);
    try {
      const reader = new LokiReader(loki.url, '{app="model"}', 0);
      const c = collector();
      await reader.poll(c.events);
      expect(c.ids.length).toBe(2500);
      expect(new Set(c.ids).size).toBe(2500);
      // Entries at the cursor timestamp are not read again on the next poll; new ones are.
      entries.push({ stream: { app: 'model', pod: 'p0' }, ns: base + 2499n, line: JSON.stringify({ id: 'late-same-ns' }) });
      entries.push({ stream: { app: 'model', pod: 'p1' }, ns: base + 3000n, line: JSON.stringify({ id: 'new' }) });
      await reader.poll(c.events);
      expect(c.ids.slice(2500).sort()).toEqual(['late-same-ns', 'new']);
      const restored = new LokiReader(loki.url, '{app="model"}', 0);
      restored.restore(JSON.parse(JSON.stringify(reader.state)));
      await restored.poll(c.events);
      expect(c.ids.length).toBe(2502);
    } finally {
      await loki.close();
    }
  });

  it('stays its lag behind now', async () => {
    const loki = await startLoki([{ stream: { app: 'm' }, ns: nowNs() - 1_000_000_000n, line: JSON.stringify({ id: 'fresh' }) }]);
    try {
      const c = collector();
      await new LokiReader(loki.url, '{app="m"}', 60).poll(c.events);
      expect(c.ids).toEqual([]);
    } finally {
      await loki.close();
    }
  });
});

describe.each(['elasticsearch', 'opensearch'] as const)('the %s reader', (flavour) => {
  it('reads every document once with a point in time and search_after, and closes the context', async () => {
    const t0 = Date.now() - 3_600_000;
    const docs: EsDoc[] = Array.from({ length: 2300 }, (_, i) => ({
      // Many documents share a timestamp: the request id breaks ties.
      '@timestamp': new Date(t0 + Math.floor(i / 50) * 1000).toISOString(), request_id: `r${String(i).padStart(5, '0')}`, model: 'm',
    }));
    const es = await startSearch(flavour, 'predictions-*', docs);
    try {
      const reader = new ElasticsearchReader(flavour, es.url, 'predictions-*', '@timestamp', 'request_id', 30);
      const c = collector();
      await reader.poll(c.events);
      expect(c.ids.length).toBe(2300);
      expect(new Set(c.ids).size).toBe(2300);
      docs.push({ '@timestamp': new Date(Date.now() - 120_000).toISOString(), request_id: 'z-new', model: 'm' }, { '@timestamp': new Date().toISOString(), request_id: 'z-too-fresh', model: 'm' });
      await reader.poll(c.events);
      expect(c.ids.slice(2300)).toEqual(['z-new']);
      expect(es.openPits.size).toBe(0);
    } finally {
      await es.close();
    }
  });
});
