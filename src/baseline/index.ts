// modelwatch baseline: profile a reference dataset (CSV or JSONL) into a baseline JSON, in two
// streaming passes with bounded memory.
import { statSync } from 'node:fs';
import type { Model, ModelSpec } from '../config/index.js';
import { ProfileBuilder, type Baseline, type ProfileOptions } from '../stats/profile.js';
import { records } from './records.js';
import { getPath } from '../sources/path.js';
import { text } from '../sources/logs/record.js';
import { PerformanceBuilder } from '../stats/performance.js';
import { toFinite } from '../stats/regression.js';

interface Column { readonly name: string; readonly type: 'numeric' | 'categorical'; readonly path: string }

/** Where each feature (and the prediction and score) sits in a record: the log store's field mapping, or flat columns. */
export function columns(model: Model, m: ModelSpec, csv: boolean): Column[] {
  const fields = model.logStores.find((s) => s.name === m.logStore)?.fields ?? {};
  const under = (path: string | undefined, name: string) => (csv || !path ? name : `${path}.${name}`);
  const out: Column[] = m.features.map((f) => ({ name: f.name, type: f.type, path: under(fields.features, f.name) }));
  if (m.task !== 'llm') out.push({ name: 'prediction', type: m.task === 'regression' ? 'numeric' : 'categorical', path: csv ? 'prediction' : fields.prediction ?? 'prediction' });
  if (m.task === 'classification') out.push({ name: 'score', type: 'numeric', path: csv ? 'score' : fields.confidence ?? 'score' });
  return out;
}

export interface BaselineRun { readonly baseline: Baseline; readonly rejected: number }

/** Where the label sits in a reference record: the log store's label field, or a "label" column. */
function labelPath(model: Model, m: ModelSpec, csv: boolean): string {
  const fields = model.logStores.find((s) => s.name === m.logStore)?.fields ?? {};
  return csv ? 'label' : fields.label ?? 'label';
}

export async function buildBaseline(model: Model, m: ModelSpec, input: string, onProgress?: (pass: 1 | 2, fraction: number) => void, options?: ProfileOptions): Promise<BaselineRun> {
  const csv = /\.csv$/i.test(input);
  const cols = columns(model, m, csv);
  const builder = new ProfileBuilder(m.name, cols, options);
  const size = statSync(input).size || 1;
  const values = (rec: unknown) => Object.fromEntries(cols.map((c) => [c.name, getPath(rec, c.path)]));
  const present = new Set<string>();
  const label = labelPath(model, m, csv);
  const perf = m.task === 'llm' ? null : new PerformanceBuilder(m.task, m.positiveClass);
  let rejected = 0;
  for await (const rec of records(input, (b) => onProgress?.(1, b / size), () => rejected++)) {
    const v = values(rec);
    for (const c of cols) if (v[c.name] !== undefined && v[c.name] !== null && v[c.name] !== '') present.add(c.name);
    builder.first(v);
    const actual = getPath(rec, label);
    if (perf && actual !== undefined && actual !== null && actual !== '' && v.prediction !== undefined && v.prediction !== null) {
      perf.add(m.task === 'regression' ? toFinite(v.prediction) : text(v.prediction), m.task === 'regression' ? toFinite(actual) : text(actual), toFinite(v.score));
    }
  }
  builder.freeze();
  for await (const rec of records(input, (b) => onProgress?.(2, b / size))) builder.second(values(rec));
  const performance = perf?.build() ?? null;
  const missing = cols.filter((c) => !present.has(c.name)).map((c) => c.name);
  return { baseline: { ...builder.profile(), ...(missing.length ? { missing } : {}), ...(performance ? { performance } : {}) }, rejected };
}
