// A PostgreSQL NUMERIC column (latency_ms / 1000.0 is NUMERIC) arrives from pg as a string; it
// must reach the latency histogram as a number, not be dropped as a type error.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';
import { M } from '../../src/catalog/metrics.js';

const URL_ = process.env.MODELWATCH_TEST_PG_URL;
if (!URL_ && process.env.CI === 'true') throw new Error('MODELWATCH_TEST_PG_URL is required when CI=true');
const table = `numeric_${process.pid}`;

const sql = async (text: string) => {
  const c = new pg.Client({ connectionString: URL_ });
  c.on('error', () => undefined);
  await c.connect();
  try { return await c.query(text); } finally { await c.end().catch(() => undefined); }
};

describe.runIf(URL_)('a NUMERIC column from PostgreSQL', () => {
  beforeAll(async () => {
    await sql(`DROP TABLE IF EXISTS ${table}`);
    await sql(`CREATE TABLE ${table} (ts timestamptz NOT NULL, request_id text NOT NULL, model text, latency_ms integer, amount numeric(12, 2))`);
    await sql(`INSERT INTO ${table} SELECT now() - interval '10 minutes' + g * interval '1 s', 'r' || g, 'fraud', 40 + g, g * 10.5 FROM generate_series(1, 20) g`);
  });
  afterAll(async () => { await sql(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined); });

  it('reaches the latency histogram as a number', async () => {
    process.env.MODELWATCH_TEST_PG_NUMERIC = URL_;
    const loaded = parseConfig(`version: 1
log_stores:
  - name: pg
    kind: postgres
    connection: {env: MODELWATCH_TEST_PG_NUMERIC}
    query: "SELECT ts, request_id, model, latency_ms / 1000.0 AS latency, amount FROM ${table}"
    fields: {timestamp: ts, request_id: request_id, model: model, latency: latency}
models:
  - {name: fraud, task: classification, log_store: pg}
`, 't.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const p = new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model, 1000), stateDir: mkdtempSync(join(tmpdir(), 'num-')) });
    try {
      await p.poll('pg');
      const count = p.aggregates.samples(M.predictionDuration).find((x) => x.labels.model === 'fraud' && x.labels.le === '+Inf')?.value;
      expect(count).toBe(20);
      const sum = p.aggregates.samples(M.predictionDuration).find((x) => x.labels.model === 'fraud' && x.metricName?.endsWith('_sum'));
      // 41..60 ms.
      expect(sum?.value).toBeCloseTo(((41 + 60) * 20) / 2 / 1000, 9);
    } finally {
      await p.idle();
    }
  });
});
