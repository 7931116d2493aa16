// PostgreSQL: a table or a query, read with a keyset cursor on (timestamp, unique column) — never
// OFFSET — under a statement timeout and a connection timeout. The cursor keeps the timestamp as
// PostgreSQL prints it (full microsecond precision), and idle-client errors are handled, so a
// terminated backend or a restarted server fails one poll instead of the process.
import pg from 'pg';
import type { SecretRef } from '../../config/schema.js';
import { SourceError } from '../errors.js';
import { readSecret } from '../secret.js';
import type { LogEvents, LogReader } from './types.js';

interface PgState { ts: string | null; id: string | null }

const PAGE = 1000;

/**
 * pg returns NUMERIC (and so `latency_ms / 1000.0`) and BIGINT (count(*), sum() of integers) as
 * strings, to keep their precision; a record field is a number to modelwatch, so they would be
 * dropped as type errors. Here NUMERIC becomes a JavaScript number (a double, as every other
 * number in a record; 'NaN' and 'Infinity' become those, and count as type errors of a feature),
 * and BIGINT a number when it is a safe integer (beyond 2^53 it stays a string: a feature counts a
 * type error, and a bigint cursor stays exact). Other types keep pg's parsers.
 */
const toNumber = (v: string) => Number(v);
const toSafeInteger = (v: string) => { const n = Number(v); return Number.isSafeInteger(n) ? n : v; };
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary' && oid === pg.types.builtins.NUMERIC) return toNumber;
    if (format !== 'binary' && oid === pg.types.builtins.INT8) return toSafeInteger;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface PostgresSource {
  readonly connection: SecretRef;
  readonly table?: string;
  readonly query?: string;
  readonly timestampColumn: string;
  readonly idColumn: string;
  readonly lagSeconds: number;
  readonly statementTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

export class PostgresReader implements LogReader {
  state: PgState = { ts: null, id: null };
  private pool: pg.Pool | null = null;
  private dsn = '';

  constructor(private readonly s: PostgresSource, private readonly onPoolError: (e: Error) => void = () => undefined) {}

  restore(state: unknown): void {
    this.state = structuredClone(state as PgState);
  }

  /**
   * The pool for the current DSN. The secret is read at every poll: when it changes (a rotated
   * password), the old pool is closed and a new one connects with the new DSN.
   */
  private getPool(): pg.Pool {
    const dsn = readSecret(this.s.connection);
    if (this.pool && dsn !== this.dsn) {
      void this.pool.end().catch(() => undefined);
      this.pool = null;
    }
    if (!this.pool) {
      this.dsn = dsn;
      this.pool = new pg.Pool({
        connectionString: dsn,
        max: 2,
        connectionTimeoutMillis: this.s.connectTimeoutMs ?? 5000,
        idleTimeoutMillis: 10_000,
        statement_timeout: this.s.statementTimeoutMs ?? 10_000,
        application_name: 'modelwatch',
        types: TYPES,
      });
      // An idle client whose backend dies emits 'error' on the pool: without a listener, Node crashes.
      this.pool.on('error', (e) => this.onPoolError(e));
    }
    return this.pool;
  }

  private sql(): string {
    const source = this.s.table ? this.s.table.split('.').map(ident).join('.') : `(${this.s.query})`;
    const ts = `mw.${ident(this.s.timestampColumn)}`;
    const id = `mw.${ident(this.s.idColumn)}`;
    return `SELECT mw.*, ${ts}::text AS "__mw_ts", ${id}::text AS "__mw_id" FROM ${source} AS mw
      WHERE ${ts} < now() - make_interval(secs => $3) AND (NOT $4::boolean OR (${ts}, ${id}) > ($1, $2))
      ORDER BY ${ts}, ${id} LIMIT ${PAGE}`;
  }

  async poll(events: LogEvents, signal?: AbortSignal): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.getPool().connect();
    } catch (e) {
      throw new SourceError(/timeout/i.test((e as Error).message) ? 'timeout' : 'connection_refused', `cannot connect to PostgreSQL: ${(e as Error).message}`, undefined, { cause: e });
    }
    let broken: Error | undefined;
    try {
      // Pages until caught up, or until the poll's deadline aborts it (the cursor keeps the place).
      while (!signal?.aborted) {
        let rows: Record<string, unknown>[];
        try {
          ({ rows } = await client.query(this.sql(), [this.state.ts, this.state.id, this.s.lagSeconds, this.state.ts !== null]));
        } catch (e) {
          broken = e as Error;
          const code = (e as { code?: string }).code;
          throw new SourceError(code === '57014' ? 'timeout' : code?.startsWith('42') ? 'client_error' : 'server_error', `PostgreSQL query failed: ${(e as Error).message}`, undefined, { cause: e });
        }
        for (const row of rows) {
          const { __mw_ts: ts, __mw_id: id, ...rec } = row;
          events.record(rec);
          this.state = { ts: String(ts), id: String(id) };
        }
        if (rows.length < PAGE) return;
      }
    } finally {
      // A client that saw a connection error is discarded, not returned to the pool.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool?.end();
    this.pool = null;
  }
}
