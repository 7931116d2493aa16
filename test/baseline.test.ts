// modelwatch baseline on CSV and JSONL reference data.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBaseline } from '../src/baseline/index.js';
import { splitCsv } from '../src/baseline/records.js';
import { loadConfig, parseConfig } from '../src/config/index.js';
import type { CategoricalProfile, NumericProfile } from '../src/stats/profile.js';
import { run } from './tools.js';

const loaded = loadConfig('examples/modelwatch.yaml');
if (!loaded.ok) throw new Error('example must load');
const model = loaded.model;
const fraud = model.models.find((m) => m.name === 'fraud-classifier')!;
const dir = mkdtempSync(join(tmpdir(), 'baseline-'));

describe('a baseline', () => {
  it('profiles JSONL through the log store field mapping, skipping malformed lines', async () => {
    const file = join(dir, 'ref.jsonl');
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ features: { amount: i % 7 === 0 ? null : i, account_age_days: i % 100, merchant_category: ['grocery', 'travel'][i % 2], country: 'GB' }, output: { label: i % 3 ? 'legit' : 'fraud', score: (i % 10) / 10 } }));
    writeFileSync(file, `${lines.join('\n')}\n{"truncated": \n`);
    const { baseline, rejected } = await buildBaseline(model, fraud, file);
    expect(rejected).toBe(1);
    expect(baseline.records).toBe(3000);
    const amount = baseline.features.amount as NumericProfile;
    expect(amount.nulls).toBe(Math.ceil(3000 / 7));
    expect(amount.counts.reduce((a, b) => a + b, 0)).toBe(3000 - amount.nulls);
    expect((baseline.features.merchant_category as CategoricalProfile).categories).toEqual(['grocery', 'travel']);
    expect((baseline.features.prediction as CategoricalProfile).counts).toEqual([1000, 2000, 0]);
    // A feature with 100 distinct values gets an edge at every value: binned KS is then exact.
    expect((baseline.features.account_age_days as NumericProfile).edges).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('profiles CSV by column name, with quoted fields', async () => {
    const file = join(dir, 'ref.csv');
    writeFileSync(file, `amount,account_age_days,merchant_category,country,prediction,score\n${Array.from({ length: 500 }, (_, i) => `${i},${i % 30},"gaming, online",GB,legit,0.${i % 10}`).join('\n')}\n`);
    const { baseline } = await buildBaseline(model, fraud, file);
    expect(baseline.records).toBe(500);
    expect((baseline.features.merchant_category as CategoricalProfile).categories).toEqual(['gaming, online']);
    expect((baseline.features.amount as NumericProfile).sample).toHaveLength(500);
  });

  it('splits CSV lines with escaped quotes', () => {
    expect(splitCsv('a,"b ""c"", d",,e')).toEqual(['a', 'b "c", d', '', 'e']);
  });

  it('is written by the CLI', () => {
    const out = join(dir, 'cli.json');
    const r = run('node', ['--import', 'tsx', 'src/cli/index.ts', 'baseline', '-c', 'examples/modelwatch.yaml', '--model', 'fraud-classifier', '--input', join(dir, 'ref.csv'), '-o', out]);
    expect(r.code, r.out).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ format: 'modelwatch-baseline/1', model: 'fraud-classifier', records: 500 });
  });

  it('records the quality of labelled reference data: accuracy, calibration error and the calibration map', async () => {
    const file = join(dir, 'labelled.csv');
    // 10 rows per confidence 0.55, 0.75, 0.95: right 5, 8 and 10 times.
    const rows = [0.55, 0.75, 0.95].flatMap((c, k) => Array.from({ length: 10 }, (_, i) => `1,1,grocery,GB,legit,${c},${i < [5, 8, 10][k]! ? 'legit' : 'fraud'}`));
    writeFileSync(file, `amount,account_age_days,merchant_category,country,prediction,score,label\n${rows.join('\n')}\n`);
    const { baseline } = await buildBaseline(model, fraud, file);
    expect(baseline.performance?.labelled).toBe(30);
    expect(baseline.performance?.statistics.accuracy).toBeCloseTo(23 / 30, 12);
    // |5 - 5.5| + |8 - 7.5| + |10 - 9.5| over 30 predictions.
    expect(baseline.performance?.statistics.calibration_error).toBeCloseTo(1.5 / 30, 12);
    expect(baseline.performance?.calibration?.n.slice(0, 10)).toEqual([0, 0, 0, 0, 0, 10, 0, 10, 0, 10]);
  });

  it('records regression errors of labelled reference data', async () => {
    const cfg = parseConfig('version: 1\nmodels:\n  - {name: price, task: regression, features: [{name: rooms, type: numeric}]}\n', 'r.yaml');
    if (!cfg.ok) throw new Error(cfg.errors.join('\n'));
    const file = join(dir, 'prices.csv');
    writeFileSync(file, 'rooms,prediction,label\n3,100,110\n4,200,190\n5,300,n/a\n2,0,0\n');
    const { baseline } = await buildBaseline(cfg.model, cfg.model.models[0]!, file);
    expect(baseline.performance?.labelled).toBe(3);
    expect(baseline.performance?.statistics).toMatchObject({ mae: 20 / 3, mean_error: 0 });
    expect(baseline.performance?.statistics.rmse).toBeCloseTo(Math.sqrt(200 / 3), 12);
  });

  it('warns when mapped columns are in no record, and the baseline says which', () => {
    const file = join(dir, 'no-score.jsonl');
    writeFileSync(file, `${Array.from({ length: 50 }, (_, i) => JSON.stringify({ features: { amount: i, account_age_days: i, merchant_category: 'grocery', country: 'GB' }, output: { label: 'legit' } })).join('\n')}\n`);
    const out = join(dir, 'no-score.json');
    const r = run('node', ['--import', 'tsx', 'src/cli/index.ts', 'baseline', '-c', 'examples/modelwatch.yaml', '--model', 'fraud-classifier', '--input', file, '-o', out]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('warning: score is in no record');
    expect(JSON.parse(readFileSync(out, 'utf8')).missing).toEqual(['score']);
  });
});
