// The current window of a feature: exact counts in the frozen baseline bins, sliding by time in
// steps (for example 12 steps of 5 minutes for 1 hour). Memory is O(bins x steps), never
// O(records); raw values are kept only while the window is small enough for exact KS.
export class SlidingCounts {
  private readonly steps: Float64Array[];
  private readonly stepIds: number[];
  private readonly raw: (number[] | null)[];
  /** The step records are landing in (id and slot), so a value costs no slot lookup. */
  private currentId = -1;
  private currentSlot = 0;
  private currentNow = NaN;
  /** The newest step id seen: a value older than the window it ends is refused, never counted. */
  private newestId = -1;
  /** Each step's checkpoint encoding, kept until the step changes: most steps are closed. */
  private readonly encoded: (string | null)[];

  constructor(readonly bins: number, private readonly stepSeconds: number, stepCount: number, private readonly rawLimit = 5000) {
    this.steps = Array.from({ length: stepCount }, () => new Float64Array(bins));
    this.stepIds = new Array<number>(stepCount).fill(-1);
    this.raw = Array.from({ length: stepCount }, () => []);
    this.encoded = new Array<string | null>(stepCount).fill(null);
  }

  private slot(nowSeconds: number): number {
    const id = Math.floor(nowSeconds / this.stepSeconds);
    const i = id % this.steps.length;
    if (this.stepIds[i] !== id) {
      (this.steps[i] as Float64Array).fill(0);
      this.raw[i] = [];
      this.stepIds[i] = id;
      this.encoded[i] = null;
    }
    return i;
  }

  /**
   * Counts a value at its record time. Returns false, counting nothing, for a time older than the
   * window that ends at the newest time seen: its ring slot holds newer counts (or will), and
   * resetting it would wipe them.
   */
  add(bin: number, nowSeconds: number, value?: number): boolean {
    // The features of one record share its time: the step is worked out once, not per value.
    if (nowSeconds !== this.currentNow) {
      const id = Math.floor(nowSeconds / this.stepSeconds);
      if (id <= this.newestId - this.steps.length) return false;
      if (id > this.newestId) this.newestId = id;
      if (id !== this.currentId) {
        this.currentSlot = this.slot(nowSeconds);
        this.currentId = id;
      }
      this.currentNow = nowSeconds;
    }
    const i = this.currentSlot;
    const step = this.steps[i] as Float64Array;
    step[bin] = (step[bin] as number) + 1;
    this.encoded[i] = null;
    const raw = this.raw[i];
    if (raw && value !== undefined) {
      if (raw.length < this.rawLimit) raw.push(value);
      else this.raw[i] = null;
    }
    return true;
  }

  /** Counts over the steps still inside the window at nowSeconds, and the raw values if all were kept. */
  merged(nowSeconds: number): { counts: Float64Array; raw: number[] | null } {
    const id = Math.floor(nowSeconds / this.stepSeconds);
    const counts = new Float64Array(this.bins);
    let raw: number[] | null = [];
    for (let i = 0; i < this.steps.length; i++) {
      const sid = this.stepIds[i] as number;
      if (sid < 0 || id - sid >= this.steps.length || sid > id) continue;
      const s = this.steps[i] as Float64Array;
      for (let b = 0; b < this.bins; b++) counts[b] = (counts[b] as number) + (s[b] as number);
      const r = this.raw[i];
      raw = raw && r ? raw.concat(r) : null;
    }
    if (raw && raw.length > this.rawLimit) raw = null;
    return { counts, raw };
  }

  /** Counts of the steps that started in [fromSeconds, toSeconds) and are still held. */
  between(fromSeconds: number, toSeconds: number): Float64Array {
    const from = Math.floor(fromSeconds / this.stepSeconds);
    const to = Math.max(from + 1, Math.floor(toSeconds / this.stepSeconds));
    const counts = new Float64Array(this.bins);
    for (let i = 0; i < this.steps.length; i++) {
      const sid = this.stepIds[i] as number;
      if (sid < from || sid >= to) continue;
      const s = this.steps[i] as Float64Array;
      for (let b = 0; b < this.bins; b++) counts[b] = (counts[b] as number) + (s[b] as number);
    }
    return counts;
  }

  /** Counts and step ids for a checkpoint (raw values are not kept: KS is binned until the window refills). */
  toJSON(): { stepIds: number[]; steps: (string | null)[] } {
    // Base64 of the raw float64 counts: exact, and an order of magnitude cheaper to serialize than
    // number arrays. Steps never used are null; unchanged steps reuse their last encoding.
    const steps = this.steps.map((s, i) => {
      if (this.stepIds[i] === -1) return null;
      return (this.encoded[i] ??= Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('base64'));
    });
    return { stepIds: [...this.stepIds], steps };
  }

  restore(json: { stepIds: number[]; steps: (string | null)[] }): void {
    if (json.steps.length !== this.steps.length) return;
    const decoded = json.steps.map((b64) => {
      if (b64 === null) return new Float64Array(this.bins);
      const buf = Buffer.from(b64, 'base64');
      return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    });
    if (decoded.some((s) => s.length !== this.bins)) return;
    decoded.forEach((s, i) => { (this.steps[i] as Float64Array).set(s); this.stepIds[i] = json.stepIds[i] as number; this.raw[i] = null; });
    this.encoded.fill(null);
    this.newestId = Math.max(-1, ...this.stepIds);
    this.currentId = -1;
    this.currentNow = NaN;
  }

  /** Values held, to show memory does not grow with records. */
  get heldValues(): number {
    return this.steps.length * this.bins + this.raw.reduce((s, r) => s + (r?.length ?? 0), 0);
  }
}
