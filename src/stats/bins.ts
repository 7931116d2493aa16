// Frozen reference-quantile bins and O(1) bin lookup.
// A value v falls in bin #(edges < v): bins are right-closed, (e[i-1], e[i]], the way
// numpy.searchsorted(edges, v, side='left') numbers them.

/** k reference-quantile cut points from a sorted sample: unique(sorted[floor(j*n/k)]), j = 1..k-1. */
export function quantileEdges(sorted: ArrayLike<number>, k: number): Float64Array {
  const n = sorted.length;
  const out: number[] = [];
  for (let j = 1; j < k && n > 0; j++) {
    const v = sorted[Math.floor((j * n) / k)] as number;
    if (out.length === 0 || v > (out[out.length - 1] as number)) out.push(v);
  }
  return Float64Array.from(out);
}

/**
 * Maps a value to its bin in O(1): a lookup table of equal-width cells over [first edge, last edge]
 * gives the first candidate bin, then a short forward scan. Binary search per value would halve
 * ingest throughput (PERFORMANCE.md A3).
 */
export class BinIndex {
  readonly bins: number;
  private readonly lo: number;
  private readonly scale: number;
  private readonly start: Uint32Array;

  constructor(readonly edges: Float64Array, cells = 8192) {
    this.bins = edges.length + 1;
    const m = edges.length;
    this.lo = m ? (edges[0] as number) : 0;
    const hi = m ? (edges[m - 1] as number) : 0;
    this.scale = hi > this.lo ? cells / (hi - this.lo) : 0;
    this.start = new Uint32Array(cells + 1);
    let idx = 0;
    for (let c = 0; c <= cells; c++) {
      const cellLow = this.lo + c / (this.scale || 1);
      while (idx < m && (edges[idx] as number) < cellLow) idx++;
      this.start[c] = idx;
    }
  }

  /** Bin of a finite value (callers exclude nulls and non-finite values first). */
  binOf(v: number): number {
    const e = this.edges;
    const m = e.length;
    if (m === 0 || v <= (e[0] as number)) return 0;
    if (v > (e[m - 1] as number)) return m;
    let c = Math.floor((v - this.lo) * this.scale);
    if (c >= this.start.length) c = this.start.length - 1;
    let idx = this.start[c] as number;
    // The cell's start may overshoot by one when v sits exactly on the cell's lower edge value.
    while (idx > 0 && (e[idx - 1] as number) >= v) idx--;
    while (idx < m && (e[idx] as number) < v) idx++;
    return idx;
  }
}
