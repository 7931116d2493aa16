// Which fields of a store's records are read, and the slot each lands in: the field mapping of
// the store plus the features of the models it feeds. Computed once per store; per record the
// ingest path reads slots, never walks paths or looks up feature names.
import type { Model, ModelSpec } from '../config/index.js';
import { FieldLayout } from '../sources/logs/select.js';

type Store = Model['logStores'][number];

export const RECORD_FIELDS = ['timestamp', 'requestId', 'model', 'version', 'segment', 'error', 'latency', 'inputTokens', 'outputTokens', 'cost', 'feedback', 'confidence', 'prediction', 'label', 'taskSuccess', 'rating', 'judgeVerdict', 'hallucination'] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

const CONFIG_KEY: Record<RecordField, keyof NonNullable<Store['fields']>> = {
  timestamp: 'timestamp', requestId: 'request_id', model: 'model', version: 'version', segment: 'segment', error: 'error', latency: 'latency',
  inputTokens: 'input_tokens', outputTokens: 'output_tokens', cost: 'cost', feedback: 'feedback', confidence: 'confidence', prediction: 'prediction', label: 'label',
  taskSuccess: 'task_success', rating: 'rating', judgeVerdict: 'judge_verdict', hallucination: 'hallucination',
};

export interface StoreLayout {
  readonly fields: FieldLayout;
  /** Slot of each record field; fields.absent when the store does not map it. */
  readonly slot: Readonly<Record<RecordField, number>>;
  /** Slots of each model's features, in the model's feature order. */
  readonly features: ReadonlyMap<string, Int32Array>;
}

export function storeLayout(store: Store, models: readonly ModelSpec[]): StoreLayout {
  const f = store.fields ?? {};
  const parts = (path: string | undefined) => (path ? path.split('.') : null);
  const under = parts(f.features) ?? [];
  const featurePaths = models.map((m) => [m.name, m.features.map((x) => [...under, x.name])] as const);
  const mapped = RECORD_FIELDS.map((k) => [k, parts(f[CONFIG_KEY[k]])] as const);
  const fields = new FieldLayout([...mapped.flatMap(([, p]) => (p ? [p] : [])), ...featurePaths.flatMap(([, ps]) => ps)]);
  const slotOf = (p: readonly string[] | null) => (p ? fields.slot(p) : fields.absent);
  return {
    fields,
    slot: Object.fromEntries(mapped.map(([k, p]) => [k, slotOf(p)])) as Record<RecordField, number>,
    features: new Map(featurePaths.map(([name, ps]) => [name, Int32Array.from(ps, slotOf)])),
  };
}
