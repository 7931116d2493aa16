// What the ingest checkpoint holds, and the check that a checkpoint read back has that shape.
import type { AggregatesJson } from './aggregates.js';
import type { DriftWindows } from './drift.js';
import type { LabelJson } from './labels.js';

export interface CheckpointState { version: 1; cursors: Record<string, unknown>; aggregates: AggregatesJson; drift: ReturnType<DriftWindows['toJSON']>; labels: LabelJson; costDays?: Record<string, Record<string, number>>; costSince?: Record<string, number> }

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** The shape restore() relies on; anything else is a damaged checkpoint, not a crash. */
export function isCheckpoint(v: unknown): v is CheckpointState {
  if (!isObject(v) || v.version !== 1 || !isObject(v.cursors) || !isObject(v.drift) || !isObject(v.labels) || !isObject(v.aggregates)) return false;
  const a = v.aggregates;
  const tables = [a.counters, a.gauges, a.histograms];
  return tables.every((t) => isObject(t) && Object.values(t).every(isObject)) && isObject(a.dropped) && (v.costDays === undefined || isObject(v.costDays)) && (v.costSince === undefined || isObject(v.costSince));
}

