// The reader for each log-store kind, configured from the store's fields.
import type { Model } from '../config/index.js';
import { parseDuration } from '../config/index.js';
import { ElasticsearchReader } from '../sources/logs/elasticsearch.js';
import { JsonlTailer } from '../sources/logs/jsonl.js';
import { LokiReader } from '../sources/logs/loki.js';
import { PostgresReader } from '../sources/logs/postgres.js';
import type { LogReader } from '../sources/logs/types.js';

type Store = Model['logStores'][number];

/** The reader for a store's kind (null for kinds not implemented yet). */
export function readerFor(s: Store): LogReader | null {
  const lag = s.lag ? parseDuration(s.lag) : 0;
  const f = s.fields ?? {};
  switch (s.kind) {
    case 'jsonl': return s.path ? new JsonlTailer(s.path) : null;
    case 'loki': return s.url && s.query ? new LokiReader(s.url, s.query, lag, s.auth) : null;
    case 'elasticsearch':
    case 'opensearch':
      return s.url && s.query && (s.cursor_column ?? f.request_id) ? new ElasticsearchReader(s.kind, s.url, s.query, f.timestamp ?? '@timestamp', s.cursor_column ?? (f.request_id as string), lag, s.auth) : null;
    case 'postgres':
      return s.connection ? new PostgresReader({
        connection: s.connection, table: s.table, query: s.query, lagSeconds: lag,
        timestampColumn: f.timestamp ?? 'ts', idColumn: s.cursor_column ?? f.request_id ?? 'id',
      }) : null;
    default: return null;
  }
}

