import { describe, expect, it } from 'vitest';
import { ownerOf, owns, parseShard } from './shard.js';

const models = Array.from({ length: 200 }, (_, i) => `model-${i}`);

describe('sharding', () => {
  it.each([1, 2, 3, 4, 5])('assigns every model to exactly one of %i replicas', (n) => {
    for (const m of models) {
      const owners = Array.from({ length: n }, (_, i) => i + 1).filter((i) => owns({ index: i, count: n }, m));
      expect(owners).toHaveLength(1);
    }
    // Every replica gets a share.
    const counts = new Map<number, number>();
    for (const m of models) counts.set(ownerOf(m, n), (counts.get(ownerOf(m, n)) ?? 0) + 1);
    expect(counts.size).toBe(n);
  });

  it('moves only the models the new replica wins when N grows', () => {
    for (const m of models) {
      const before = ownerOf(m, 4);
      const after = ownerOf(m, 5);
      expect(after === before || after === 5).toBe(true);
    }
  });

  it('parses I/N and rejects nonsense', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', '1-3', 'x']) expect(parseShard(bad)).toBeNull();
  });
});
