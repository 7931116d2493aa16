// A poll that fails half way (the store errors on a later page, or the deadline aborts it) still
// publishes and checkpoints what it read: the cursor moved with each record, so a restart from
// that checkpoint neither loses nor repeats a record.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { M } from '../../src/catalog/metrics.js';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';
import { json, startFake } from '../fakes/http.js';

const nowNs = BigInt(Date.now()) * 1_000_000n;
const entries = Array.from({ length: 2500 }, (_, i) => ({ ns: nowNs - 1_800_000_000_000n + BigInt(i) * 1_000_000n, line: JSON.stringify({ id: `r${i}`, model: 'm' }) }));

describe('a poll that fails part way', () => {
  it('keeps what it read: published, checkpointed, and resumed from without duplicates', async () => {
    let failing = true;
    let served = 0;
    const loki = await startFake((req, _body, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const start = BigInt(url.searchParams.get('start') ?? '0');
      // The first page is served; later pages fail until the store recovers.
      if (failing && served++ > 0) return json(res, 500, { message: 'ingester unavailable' });
      const picked = entries.filter((e) => e.ns >= start && e.ns < BigInt(url.searchParams.get('end') ?? '0')).slice(0, Number(url.searchParams.get('limit')));
      json(res, 200, { status: 'success', data: { resultType: 'streams', result: [{ stream: { app: 'm' }, values: picked.map((e) => [String(e.ns), e.line]) }] } });
    });
    try {
      const loaded = parseConfig(`version: 1
log_stores: [{name: logs, kind: loki, url: ${loki.url}, query: '{app="m"}', fields: {request_id: id, model: model}}]
models: [{name: m, task: classification, log_store: logs}]
`, 'partial.yaml');
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      const stateDir = mkdtempSync(join(tmpdir(), 'partial-'));
      const make = () => new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model), stateDir });
      const predictions = (p: IngestPipeline) => p.aggregates.samples(M.predictions).reduce((s, x) => s + x.value, 0);

      const first = make();
      await expect(first.poll('logs')).rejects.toThrow();
      expect(predictions(first)).toBe(1000);

      failing = false;
      const restarted = make();
      expect(predictions(restarted)).toBe(1000);
      await restarted.poll('logs');
      expect(predictions(restarted)).toBe(entries.length);
    } finally {
      await loki.close();
    }
  });
});
