// LLM answer quality from logged evaluations: task outcome, LLM-judge verdict, hallucination flag
// and rating, counted per model and version exactly as an offline count of the same records.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';
import { yesNo } from '../../src/ingest/llm-quality.js';
import { M, type MetricDef } from '../../src/catalog/metrics.js';

const NOW = 1_800_000_000;
const dir = mkdtempSync(join(tmpdir(), 'llm-quality-'));

// Written to be counted by hand: v1 has 3 outcomes (2 success), v2 has 1 (a failure) and no other
// evaluation; unreadable values (maybe, 7, "") count nowhere.
const RECORDS = [
  { ts: NOW - 60, id: 'a', model: 'chat', v: 'v1', task: true, judge: 'pass', hall: false, rating: 5 },
  { ts: NOW - 50, id: 'b', model: 'chat', v: 'v1', task: 'resolved', judge: 'FAIL', hall: 'hallucinated', rating: 2 },
  { ts: NOW - 40, id: 'c', model: 'chat', v: 'v1', task: 0, judge: 'maybe', hall: 1, rating: 7 },
  { ts: NOW - 30, id: 'd', model: 'chat', v: 'v1', rating: '4' },
  { ts: NOW - 20, id: 'e', model: 'chat', v: 'v2', task: 'unresolved', judge: '', rating: 0 },
];

describe('LLM answer quality from logs', () => {
  writeFileSync(join(dir, 'log-1.jsonl'), `${RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const loaded = parseConfig(`version: 1
log_stores:
  - name: log
    kind: jsonl
    path: ${dir}/log-*.jsonl
    fields: {timestamp: ts, request_id: id, model: model, version: v, task_success: task, judge_verdict: judge, hallucination: hall, rating: rating}
models:
  - {name: chat, task: llm, versions: [v1, v2], log_store: log}
`, 'test.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const p = new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model, 1000), stateDir: mkdtempSync(join(tmpdir(), 'state-')), now: () => NOW });
  beforeAll(async () => { await p.poll('log'); });
  const value = (def: MetricDef, labels: Record<string, string>) =>
    p.aggregates.samples(def).find((s) => Object.entries(labels).every(([k, v]) => String(s.labels[k]) === v) && !('le' in s.labels))?.value;

  it('counts task outcomes, with the outcome never logged at 0', () => {
    expect(value(M.taskOutcomes, { model: 'chat', version: 'v1', outcome: 'success' })).toBe(2);
    expect(value(M.taskOutcomes, { model: 'chat', version: 'v1', outcome: 'failure' })).toBe(1);
    expect(value(M.taskOutcomes, { model: 'chat', version: 'v2', outcome: 'failure' })).toBe(1);
    expect(value(M.taskOutcomes, { model: 'chat', version: 'v2', outcome: 'success' })).toBe(0);
  });

  it('counts judge verdicts and hallucination checks, ignoring values that are neither', () => {
    expect(value(M.judgeVerdicts, { model: 'chat', version: 'v1', outcome: 'pass' })).toBe(1);
    expect(value(M.judgeVerdicts, { model: 'chat', version: 'v1', outcome: 'fail' })).toBe(1);
    expect(value(M.judgeVerdicts, { model: 'chat', version: 'v2', outcome: 'pass' })).toBeUndefined();
    expect(value(M.hallucinationChecks, { model: 'chat', version: 'v1', outcome: 'hallucinated' })).toBe(2);
    expect(value(M.hallucinationChecks, { model: 'chat', version: 'v1', outcome: 'grounded' })).toBe(1);
  });

  it('keeps ratings from 1 to 5 only', () => {
    const count = p.aggregates.samples(M.rating).find((s) => s.labels.version === 'v1' && s.metricName === `${M.rating.name}_count`)?.value;
    const sum = p.aggregates.samples(M.rating).find((s) => s.labels.version === 'v1' && s.metricName === `${M.rating.name}_sum`)?.value;
    expect([count, sum]).toEqual([3, 11]);
    expect(p.aggregates.samples(M.rating).some((s) => s.labels.version === 'v2')).toBe(false);
  });

  it('reads yes and no in the words of each field', () => {
    expect(['yes', 'Resolved', 1, true, '1'].map((v) => yesNo(v, 'taskSuccess'))).toEqual([true, true, true, true, true]);
    expect(['grounded', 'no', 0, false].map((v) => yesNo(v, 'hallucination'))).toEqual([false, false, false, false]);
    expect(['maybe', '', null, 2, 'grounded'].map((v) => yesNo(v, 'judgeVerdict'))).toEqual([null, null, null, null, null]);
  });
});
