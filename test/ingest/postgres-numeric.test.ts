// PostgreSQL number types that pg hands over as strings (NUMERIC: latency_ms / 1000.0; BIGINT:
// count(*), sums) must reach the signals as numbers; a text column that only looks like a number
// is counted as a type error of its feature, never dropped silently. On a real server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';
import { M, type MetricDef } from '../../src/catalog/metrics.js';

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
    await sql(`CREATE TABLE ${table} (ts timestamptz NOT NULL, request_id text NOT NULL, model text, latency_ms integer, amount numeric(12, 2), tokens bigint, cost real, age text)`);
    await sql(`INSERT INTO ${table} SELECT now() - interval '10 minutes' + g * interval '1 s', 'r' || g, 'fraud', 40 + g, g * 10.5, 1000 + g, g * 0.25, (g * 2)::text FROM generate_series(1, 20) g`);
    // NUMERIC NaN: a non-finite amount, counted as a type error of the feature.
    await sql(`INSERT INTO ${table} VALUES (now() - interval '5 minutes', 'r21', 'fraud', 50, 'NaN', 1, 0.5, 'old')`);
  });
  afterAll(async () => { await sql(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined); });

  it('reads NUMERIC, BIGINT and REAL as numbers, and counts a numeric-looking TEXT column as type errors', async () => {
    process.env.MODELWATCH_TEST_PG_NUMERIC = URL_;
    const loaded = parseConfig(`version: 1
log_stores:
  - name: pg
    kind: postgres
    connection: {env: MODELWATCH_TEST_PG_NUMERIC}
    query: "SELECT ts, request_id, model, latency_ms / 1000.0 AS latency, tokens, cost, json_build_object('amount', amount, 'age', age) AS f FROM ${table}"
    fields: {timestamp: ts, request_id: request_id, model: model, latency: latency, input_tokens: tokens, cost: cost, features: f}
models:
  - name: fraud
    task: classification
    log_store: pg
    features: [{name: amount, type: numeric}, {name: age, type: numeric}]
`, 't.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const p = new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model, 1000), stateDir: mkdtempSync(join(tmpdir(), 'num-')) });
    const value = (def: MetricDef, where: (l: Record<string, string | number>) => boolean, suffix = '') =>
      p.aggregates.samples(def).find((x) => where(x.labels) && (x.metricName ?? def.name).endsWith(suffix))?.value;
    try {
      await p.poll('pg');
      expect(value(M.predictionDuration, (l) => l.le === '+Inf')).toBe(21);
      // 41..60 ms and 50 ms.
      expect(value(M.predictionDuration, () => true, '_sum')).toBeCloseTo(((41 + 60) * 20) / 2 / 1000 + 0.05, 9);
      // BIGINT: 1001..1020 and 1.
      expect(value(M.inputTokens, () => true)).toBe(((1001 + 1020) * 20) / 2 + 1);
      // REAL: 0.25..5 and 0.5.
      expect(value(M.predictionCost, () => true)).toBeCloseTo((0.25 * 21 * 20) / 2 + 0.5, 6);
      expect(value(M.featureValues, (l) => l.feature === 'amount')).toBe(21);
      expect(value(M.featureTypeErrors, (l) => l.feature === 'amount')).toBe(1);
      // A TEXT column of digits is text: every value is a counted type error, none vanishes.
      expect(value(M.featureTypeErrors, (l) => l.feature === 'age')).toBe(21);
    } finally {
      await p.idle();
    }
  });
});
