// LLM answer quality from logged evaluations: whether the user's task succeeded, an LLM judge's
// verdict, a hallucination flag and a 1-5 rating, each counted per model, version and segment. Series
// appear with the first value of their kind (a store that never logs ratings has no rating series).
import { M } from '../catalog/metrics.js';
import type { MetricDef } from '../catalog/metrics.js';
import { ABSENT, text, type FieldRecord } from '../sources/logs/record.js';
import type { Aggregates } from './aggregates.js';
import type { StoreLayout } from './layout.js';

/** How each logged yes/no field reads: its words for yes and no, and the outcome label of each. */
const BINARY = {
  taskSuccess: { def: M.taskOutcomes, yes: ['success', 'succeeded', 'resolved', 'pass', 'yes'], no: ['failure', 'failed', 'unresolved', 'fail', 'no'], outcomes: ['success', 'failure'] },
  judgeVerdict: { def: M.judgeVerdicts, yes: ['pass', 'passed', 'correct', 'good', 'yes'], no: ['fail', 'failed', 'incorrect', 'bad', 'no'], outcomes: ['pass', 'fail'] },
  hallucination: { def: M.hallucinationChecks, yes: ['hallucinated', 'hallucination', 'yes'], no: ['grounded', 'faithful', 'no'], outcomes: ['hallucinated', 'grounded'] },
} as const satisfies Record<string, { def: MetricDef; yes: readonly string[]; no: readonly string[]; outcomes: readonly [string, string] }>;
type Binary = keyof typeof BINARY;
const FIELDS = Object.keys(BINARY) as Binary[];

/** A logged yes/no value: true, false, or null when it is neither (not counted). */
export function yesNo(v: unknown, field: Binary): boolean | null {
  if (v === true || v === 1) return true;
  if (v === false || v === 0) return false;
  const s = text(v).trim().toLowerCase();
  if (s === '1' || s === 'true' || (BINARY[field].yes as readonly string[]).includes(s)) return true;
  if (s === '0' || s === 'false' || (BINARY[field].no as readonly string[]).includes(s)) return false;
  return null;
}

export interface LlmQuality { apply(rec: FieldRecord): void }

/** The LLM-quality counting of one model and version, or null when the store maps none of its fields. */
export function llmQuality(agg: Aggregates, slot: StoreLayout['slot'], absent: number, labels: { model: string; version: string; segment: string }): LlmQuality | null {
  const mapped = FIELDS.filter((f) => slot[f] !== absent);
  const rated = slot.rating !== absent;
  if (!mapped.length && !rated) return null;
  // Both outcomes of a field are created together (a counter starts at 0), so a ratio of one to
  // all exists even when every answer goes the same way.
  const counters = new Map<Binary, readonly [(by?: number) => void, (by?: number) => void]>();
  const count = (field: Binary, yes: boolean) => {
    let c = counters.get(field);
    if (!c) {
      const [a, b] = BINARY[field].outcomes.map((outcome) => agg.counter(BINARY[field].def, { ...labels, outcome }));
      counters.set(field, (c = [a as (by?: number) => void, b as (by?: number) => void]));
    }
    c[yes ? 0 : 1]();
  };
  let rating: ((v: number) => void) | null = null;
  return {
    apply(rec) {
      for (const f of mapped) {
        if (rec.kinds[slot[f]] === ABSENT) continue;
        const v = yesNo(rec.value(slot[f]), f);
        if (v !== null) count(f, v);
      }
      if (rated && rec.kinds[slot.rating] !== ABSENT) {
        const r = Number(rec.value(slot.rating));
        if (Number.isFinite(r) && r >= 1 && r <= 5) (rating ??= agg.histogram(M.rating, labels))(r);
      }
    },
  };
}
