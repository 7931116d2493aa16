// modelwatch baseline: profile a reference dataset (CSV or JSONL) into a baseline JSON, in two
// streaming passes with bounded memory.
import { statSync } from 'node:fs';
import type { Model, ModelSpec } from '../config/index.js';
import { ProfileBuilder, type Baseline, type ProfileOptions } from '../stats/profile.js';
import { records } from './records.js';
import { getPath } from '../sources/path.js';

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

export async function buildBaseline(model: Model, m: ModelSpec, input: string, onProgress?: (pass: 1 | 2, fraction: number) => void, options?: ProfileOptions): Promise<BaselineRun> {
  const cols = columns(model, m, /\.csv$/i.test(input));
  const builder = new ProfileBuilder(m.name, cols, options);
  const size = statSync(input).size || 1;
  const values = (rec: unknown) => Object.fromEntries(cols.map((c) => [c.name, getPath(rec, c.path)]));
  let rejected = 0;
  for await (const rec of records(input, (b) => onProgress?.(1, b / size), () => rejected++)) builder.first(values(rec));
  builder.freeze();
  for await (const rec of records(input, (b) => onProgress?.(2, b / size))) builder.second(values(rec));
  return { baseline: builder.profile(), rejected };
}
