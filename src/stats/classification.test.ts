import { describe, expect, it } from 'vitest';
import { pairKey, quality } from './classification.js';

const pairs = (rows: [string, string, number][]) => new Map(rows.map(([p, a, n]) => [pairKey(p, a), n]));

describe('classification quality', () => {
  // tp=40 fp=10 fn=20 tn=30: the textbook values.
  const binary = pairs([['fraud', 'fraud', 40], ['fraud', 'legit', 10], ['legit', 'fraud', 20], ['legit', 'legit', 30]]);

  it('scores the positive class of a binary classifier', () => {
    const q = quality(binary, 'fraud');
    expect(q.accuracy).toBeCloseTo(0.7, 12);
    expect(q.precision).toBeCloseTo(0.8, 12);
    expect(q.recall).toBeCloseTo(40 / 60, 12);
    expect(q.f1).toBeCloseTo((2 * 0.8 * (40 / 60)) / (0.8 + 40 / 60), 12);
    expect(q.labelled).toBe(100);
  });

  it('macro-averages over classes without a positive class', () => {
    const q = quality(binary, null);
    expect(q.precision).toBeCloseTo((0.8 + 0.6) / 2, 12);
    expect(q.recall).toBeCloseTo((40 / 60 + 0.75) / 2, 12);
  });

  it('is NaN without labels', () => {
    expect(quality(new Map(), 'fraud').accuracy).toBeNaN();
  });
});
