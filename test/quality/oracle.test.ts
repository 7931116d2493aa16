// Quality metrics through the ingest pipeline equal scikit-learn and NumPy on the same records
// (test/fixtures/quality/make.py wrote both): regression with outliers, ties, zeros, missing and
// non-numeric labels; multi-class with a class never predicted and one never labelled; binary
// with a positive class; labels read before their predictions, late labels, labels past the
// horizon, raw build-id versions folded to "other".
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { labelPolicy } from '../../src/exporter/index.js';
import { IngestPipeline } from '../../src/ingest/index.js';
import { M, type MetricDef } from '../../src/catalog/metrics.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/quality');
const records = JSON.parse(readFileSync(join(FIXTURES, 'records.json'), 'utf8')) as { now: number; predictions: object[]; labels_first: object[]; labels_after: object[] };
type Expected = Record<string, { joined: Record<string, number>; versions: Record<string, Record<string, number> & { class_recall?: Record<string, number>; confusion?: Record<string, number> }> }>;
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Expected;

const lines = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

function pipeline() {
  const dir = mkdtempSync(join(tmpdir(), 'quality-'));
  const loaded = parseConfig(`version: 1
log_stores:
  - {name: preds, kind: jsonl, path: ${dir}/preds-*.jsonl, fields: {timestamp: ts, request_id: id, model: model, version: v, prediction: out, confidence: conf}}
  - {name: truth, kind: jsonl, path: ${dir}/truth-*.jsonl, fields: {timestamp: ts, request_id: id, label: label}}
label_sources:
  - {name: truth, log_store: truth, horizon: 2d}
models:
  - {name: house, task: regression, versions: [v1, v2], log_store: preds, label_source: truth}
  - {name: triage, task: classification, versions: [t1], classes: [a, b, c, d], log_store: preds, label_source: truth}
  - {name: fraud, task: classification, versions: [f1, f2], positive_class: fraud, log_store: preds, label_source: truth}
`, 'quality.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const p = new IngestPipeline(loaded.model, { registry: new Registry(), policy: labelPolicy(loaded.model, 1000), stateDir: join(dir, 'state'), now: () => records.now });
  return { p, dir };
}

const value = (p: IngestPipeline, def: MetricDef, labels: Record<string, string>) =>
  p.aggregates.samples(def).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('quality metrics against scikit-learn', () => {
  let p: IngestPipeline;
  beforeAll(async () => {
    const s = pipeline();
    p = s.p;
    // Labels first (a re-ingest reads the label store before the predictions), then the rest.
    writeFileSync(join(s.dir, 'truth-1.jsonl'), lines(records.labels_first));
    await p.poll('truth');
    writeFileSync(join(s.dir, 'preds-1.jsonl'), lines(records.predictions));
    await p.poll('preds');
    writeFileSync(join(s.dir, 'truth-2.jsonl'), lines(records.labels_after));
    await p.poll('truth');
  });

  it('joins every label that arrived within the horizon, per folded version', () => {
    for (const [model, e] of Object.entries(expected)) {
      for (const [version, n] of Object.entries(e.joined)) expect(value(p, M.labelsJoined, { model, version }), `${model} ${version}`).toBe(n);
    }
  });

  it('regression errors equal scikit-learn and NumPy to 1e-9', () => {
    for (const [version, e] of Object.entries(expected.house!.versions)) {
      const at = { model: 'house', version };
      expect(value(p, M.qualityWindowLabels, at)).toBe(e.labelled);
      expect(value(p, M.labelsUnusable, at) ?? 0).toBe(e.unusable);
      for (const [def, key] of [[M.mae, 'mae'], [M.rmse, 'rmse'], [M.meanError, 'mean_error'], [M.smape, 'smape']] as const) {
        const got = value(p, def, at) as number;
        expect(Math.abs(got - (e[key] as number)) / Math.max(1, Math.abs(e[key] as number)), `${version} ${key}: ${got} vs ${e[key]}`).toBeLessThan(1e-9);
      }
      // No classification signal for a regression model.
      expect(value(p, M.accuracy, at)).toBeUndefined();
    }
  });

  it('classification metrics equal scikit-learn to 1e-9 (binary and macro multi-class)', () => {
    for (const model of ['triage', 'fraud']) {
      for (const [version, e] of Object.entries(expected[model]!.versions)) {
        const at = { model, version };
        expect(value(p, M.qualityWindowLabels, at)).toBe(e.labelled);
        for (const [def, key] of [[M.accuracy, 'accuracy'], [M.precision, 'precision'], [M.recall, 'recall'], [M.f1, 'f1'], [M.calibrationError, 'calibration_error']] as const) {
          expect(Math.abs((value(p, def, at) as number) - (e[key] as number)), `${model} ${version} ${key}`).toBeLessThan(1e-9);
        }
        expect(value(p, M.mae, at)).toBeUndefined();
      }
    }
  });

  it('per-class recall and the folded confusion matrix of the multi-class model', () => {
    for (const [version, e] of Object.entries(expected.triage!.versions)) {
      for (const [cls, r] of Object.entries(e.class_recall ?? {})) expect(Math.abs((value(p, M.classRecall, { model: 'triage', version, class: cls }) as number) - r)).toBeLessThan(1e-12);
      for (const [cell, n] of Object.entries(e.confusion ?? {})) {
        const [predicted, actual] = cell.split('|') as [string, string];
        expect(value(p, M.confusion, { model: 'triage', version, predicted, actual }) ?? 0, `${version} ${cell}`).toBe(n);
      }
    }
  });
});

describe('signals by task', () => {
  it('keeps no confidence signals for a regression model, even when its store maps a confidence', async () => {
    const { p, dir } = pipeline();
    writeFileSync(join(dir, 'preds-1.jsonl'), lines([
      { ts: records.now - 60, id: 'x1', model: 'house', v: 'v1', out: 250000, conf: 0.2 },
      { ts: records.now - 60, id: 'x2', model: 'triage', v: 't1', out: 'a', conf: 0.2 },
    ]));
    await p.poll('preds');
    const models = (def: MetricDef) => new Set(p.aggregates.samples(def).filter((s) => s.value > 0).map((s) => s.labels.model));
    expect(models(M.confidence)).toEqual(new Set(['triage']));
    expect(models(M.lowConfidence)).toEqual(new Set(['triage']));
    expect(models(M.estimationWindowPredictions)).toEqual(new Set(['triage']));
  });
});
