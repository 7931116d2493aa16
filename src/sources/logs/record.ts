// One record's mapped fields, as the selective scanner (scan.ts) or a structured record fills
// them: a kind per slot, numbers unboxed, anything else as a JS value.

/** What a slot holds after a read. */
export const ABSENT = 0;
export const NUMBER = 1;
export const VALUE = 2;

/** One record's mapped fields: numbers unboxed, anything else as a JS value. Reused record to record. */
export class FieldRecord {
  readonly kinds: Uint8Array;
  readonly numbers: Float64Array;
  readonly values: unknown[];

  constructor(slots: number) {
    this.kinds = new Uint8Array(slots);
    this.numbers = new Float64Array(slots);
    this.values = new Array<unknown>(slots).fill(undefined);
  }

  /** The slot's value as JSON.parse would have given it (undefined when absent; slot -1 is never mapped). */
  value(slot: number): unknown {
    const k = this.kinds[slot];
    return k === NUMBER ? this.numbers[slot] : k === VALUE ? this.values[slot] : undefined;
  }

  set(slot: number, v: unknown): void {
    if (v === undefined) this.kinds[slot] = ABSENT;
    else if (typeof v === 'number') {
      this.kinds[slot] = NUMBER;
      this.numbers[slot] = v;
    } else {
      this.kinds[slot] = VALUE;
      this.values[slot] = v;
    }
  }
}

/** A record value as text, whatever it is (objects from logs can have hostile toString). */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try { return JSON.stringify(v) ?? ''; } catch { return ''; }
}
