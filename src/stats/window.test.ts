// Sliding counts: steps expire with time, and a checkpoint round-trip restores them exactly,
// including steps changed after an earlier checkpoint (their encoding is cached until they change).
import { describe, expect, it } from 'vitest';
import { SlidingCounts } from './window.js';

const roundTrip = (w: SlidingCounts) => {
  const copy = new SlidingCounts(w.bins, 60, 4);
  copy.restore(JSON.parse(JSON.stringify(w.toJSON())) as ReturnType<SlidingCounts['toJSON']>);
  return copy;
};

describe('sliding counts', () => {
  it('sums the steps inside the window and drops expired ones', () => {
    const w = new SlidingCounts(3, 60, 4);
    w.add(0, 0);
    w.add(1, 60);
    w.add(1, 61);
    w.add(2, 239);
    expect([...w.merged(239).counts]).toEqual([1, 2, 1]);
    expect([...w.merged(240).counts]).toEqual([0, 2, 1]);
    w.add(0, 300); // reuses the slot of step 1
    expect([...w.merged(300).counts]).toEqual([1, 0, 1]);
  });

  it('restores exactly what was checkpointed, also after more counts land in an encoded step', () => {
    const w = new SlidingCounts(3, 60, 4);
    w.add(2, 10);
    expect(w.toJSON().steps.filter((s) => s === null)).toHaveLength(3);
    expect([...roundTrip(w).merged(10).counts]).toEqual([0, 0, 1]);
    w.add(2, 20);
    w.add(0, 70);
    const copy = roundTrip(w);
    expect([...copy.merged(70).counts]).toEqual([1, 0, 2]);
    copy.add(1, 70);
    expect([...copy.merged(70).counts]).toEqual([1, 1, 2]);
  });
});
