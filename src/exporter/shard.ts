// Scale-out: `modelwatch serve --shard I/N` watches only the models rendezvous hashing assigns
// to replica I of N. Every model lands on exactly one replica, and growing N moves only the
// models the new replica wins.
export interface Shard { readonly index: number; readonly count: number }

/** FNV-1a, 32 bit: a stable hash that needs no dependency. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The replica (1..count) that owns a model. */
export function ownerOf(model: string, count: number): number {
  let best = 1;
  let bestWeight = -1;
  for (let r = 1; r <= count; r++) {
    const w = fnv1a(`${model}\u0000${r}`);
    if (w > bestWeight) { best = r; bestWeight = w; }
  }
  return best;
}

export function parseShard(text: string): Shard | null {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : null;
}

export const owns = (shard: Shard | undefined, model: string): boolean => !shard || ownerOf(model, shard.count) === shard.index;
