// The PostgreSQL reader against a real server (.ci/run installs and starts it from Debian's
// packages and exports MODELWATCH_TEST_PG_URL): keyset paging with timestamp ties, restart from
// a checkpointed cursor, a terminated backend and a server restart survived with no gap or
// duplicate, the statement timeout enforced.
import { execSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresReader } from '../../src/sources/logs/postgres.js';
import type { LogEvents } from '../../src/sources/logs/types.js';
import { sleep } from '../tools.js';

const URL_ = process.env.MODELWATCH_TEST_PG_URL;
if (!URL_ && process.env.CI === 'true') throw new Error('MODELWATCH_TEST_PG_URL is required when CI=true (.ci/run starts PostgreSQL)');
if (!URL_) console.warn('skipping PostgreSQL tests: MODELWATCH_TEST_PG_URL is not set');


describe.runIf(URL_)('the PostgreSQL reader', () => {
  const admin = new pg.Client({ connectionString: URL_ });
  // A table of its own for every test: each passes alone and in any order.
  let table = '';
  let tables = 0;
  const ids: string[] = [];
  const events: LogEvents = { line: () => undefined, record: (r) => void ids.push(String((r as { request_id: string }).request_id)), oversize: () => undefined, anomaly: () => undefined };
  process.env.MODELWATCH_TEST_PG_SECRET = URL_;
  const reader = () => new PostgresReader({ connection: { env: 'MODELWATCH_TEST_PG_SECRET' }, table, timestampColumn: 'ts', idColumn: 'request_id', lagSeconds: 0, statementTimeoutMs: 2000 });
  let inserted = 0;
  const insert = async (n: number, sameTimestamp = false) => {
    await admin.query(`INSERT INTO ${table} (ts, request_id, model, features) SELECT ${sameTimestamp ? `timestamptz '2026-11-20 10:00:00.123456+00'` : `now() - interval '1 hour' + (g * interval '1 microsecond')`}, 'r' || lpad((g + $1)::text, 7, '0'), 'fraud', jsonb_build_object('amount', g) FROM generate_series(1, $2) g`, [inserted, n]);
    inserted += n;
  };

  // The test's own connection dies with the server restart: that is expected, not an error.
  admin.on('error', () => undefined);

  beforeAll(async () => {
    await admin.connect();
  });

  beforeEach(async () => {
    table = `predictions_${process.pid}_${++tables}`;
    inserted = 0;
    ids.length = 0;
    await admin.query(`CREATE TABLE ${table} (ts timestamptz NOT NULL, request_id text NOT NULL, model text, features jsonb)`);
  });

  afterEach(async () => {
    await admin.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  });

  afterAll(async () => {
    await admin.end().catch(() => undefined);
  });

  it('reads every row once in keyset pages, ties on the timestamp included', async () => {
    await insert(1500, true);
    await insert(1200);
    const r = reader();
    await r.poll(events);
    expect(ids.length).toBe(2700);
    expect(new Set(ids).size).toBe(2700);
    // Microseconds survive in the cursor: nothing is read twice.
    await r.poll(events);
    expect(ids.length).toBe(2700);
    await r.close();
  });

  it('resumes from a checkpointed cursor', async () => {
    await insert(1500, true);
    await insert(1200);
    const r = reader();
    const first = reader();
    ids.length = 0;
    await first.poll(events);
    const saved = JSON.parse(JSON.stringify(first.state)) as unknown;
    await first.close();
    await insert(300);
    r.restore(saved);
    await r.poll(events);
    expect(ids.length).toBe(2700 + 300);
    expect(new Set(ids).size).toBe(3000);
    await r.close();
  });

  it('pages until caught up, and stops between pages when the poll is aborted', async () => {
    await insert(2500);
    const all = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    const r = reader();
    const controller = new AbortController();
    const seen: string[] = [];
    const stopping: LogEvents = { ...events, record: (rec) => { seen.push(String((rec as { request_id: string }).request_id)); controller.abort(); } };
    await r.poll(stopping, controller.signal);
    expect(seen.length).toBe(1000);
    await r.poll({ ...stopping, record: (rec) => void seen.push(String((rec as { request_id: string }).request_id)) });
    expect(seen.length).toBe(Number(all.rows[0]?.n));
    expect(new Set(seen).size).toBe(seen.length);
    await r.close();
  });

  it('connects with a rotated password from its secret, without a restart', async () => {
    const role = `mw_rotate_${process.pid}`;
    const dsn = (password: string) => { const u = new URL(URL_ as string); u.username = role; u.password = password; return u.toString(); };
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'first-password'`);
    await admin.query(`GRANT SELECT ON ${table} TO ${role}`);
    process.env.MODELWATCH_TEST_PG_ROTATING = dsn('first-password');
    await insert(50);
    const r = new PostgresReader({ connection: { env: 'MODELWATCH_TEST_PG_ROTATING' }, table, timestampColumn: 'ts', idColumn: 'request_id', lagSeconds: 0 }, () => undefined);
    try {
      ids.length = 0;
      await r.poll(events);
      const before = ids.length;
      expect(before).toBeGreaterThan(0);
      // Rotate: the old password stops working and the old session is gone.
      await admin.query(`ALTER ROLE ${role} PASSWORD 'second-password'`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
      process.env.MODELWATCH_TEST_PG_ROTATING = dsn('second-password');
      await insert(10);
      await r.poll(events);
      expect(ids.length).toBe(before + 10);
    } finally {
      await r.close();
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE ${role}`);
    }
  });

  it('survives pg_terminate_backend of its connections and a server restart with no gap or duplicate', async () => {
    const r = reader();
    ids.length = 0;
    await r.poll(events);
    const before = ids.length;
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'modelwatch'`);
    await insert(100);
    await sleep(200);
    // The first poll after the kill may fail (a typed error, not a crash); the next one catches up.
    await r.poll(events).catch((e: Error) => expect(e.name).toBe('SourceError'));
    await r.poll(events);
    expect(ids.length).toBe(before + 100);
    if (process.getuid?.() === 0) {
      execSync('pg_ctlcluster --skip-systemctl-redirect 15 main restart', { stdio: 'ignore' });
      await admin.end().catch(() => undefined);
      const fresh = new pg.Client({ connectionString: URL_ });
      fresh.on('error', () => undefined);
      await fresh.connect();
      Object.assign(admin, { query: fresh.query.bind(fresh), end: fresh.end.bind(fresh) });
      await insert(50);
      await r.poll(events).catch((e: Error) => expect(e.name).toBe('SourceError'));
      await r.poll(events);
      expect(ids.length).toBe(before + 150);
    }
    expect(new Set(ids).size).toBe(ids.length);
    await r.close();
  });

  it('enforces the statement timeout', async () => {
    await insert(1);
    const slow = new PostgresReader({ connection: { env: 'MODELWATCH_TEST_PG_SECRET' }, query: `SELECT * FROM ${table}, pg_sleep(5)`, timestampColumn: 'ts', idColumn: 'request_id', lagSeconds: 0, statementTimeoutMs: 300 });
    await expect(slow.poll(events)).rejects.toMatchObject({ reason: 'timeout' });
    await slow.close();
  });
});
