// The key tree the scanner walks (built by select.ts from the mapped paths) and its key hash.
export interface Node {
  readonly keys: string[];
  readonly hashes: Int32Array;
  /** Slot of a key read whole, or -1 for a key scanned into (children). */
  readonly slots: Int32Array;
  readonly children: (Node | null)[];
  /** Open addressing: key index + 1 at hash & mask. */
  readonly table: Int32Array;
  readonly mask: number;
  /** Slots under this node (contiguous), cleared when its key is seen again: JSON.parse keeps the last. */
  readonly first: number;
  readonly end: number;
  /** Each key's UTF-8 bytes, and whether they can be matched in place (no quote, backslash or control byte). */
  readonly bytes: Buffer[];
  readonly plain: Uint8Array;
  /**
   * The key that followed the previous one last time (next[0]: the first key; next[k + 1]: after
   * key k), or -1. Log lines repeat their key order, so most keys are one byte comparison.
   */
  readonly next: Int32Array;
}

export const hashOf = (key: Buffer): number => {
  let h = 0;
  for (const c of key) h = (Math.imul(h, 31) + c) | 0;
  return h & 0x3fffffff;
};
