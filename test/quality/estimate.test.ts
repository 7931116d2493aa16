// Confidence-based performance estimation (CBPE) on synthetic scores with a known truth: per
// window of 5,000 predictions the estimate is within ±0.02 of the realised accuracy when the
// scores are calibrated (or a calibration map was fitted on labelled data), and the test
// records how far off it is when miscalibrated scores are taken at face value.
import { describe, expect, it } from 'vitest';
import { addPair, addPrediction, cell, ece, emptyCalibration, emptyCounts, estimate } from '../../src/stats/calibration.js';
import { prng } from '../../src/stats/profile.js';

const WINDOW = 5000;

/** P(right | confidence): calibrated (identity) or overconfident (half the distance from 0.5). */
const CALIBRATED = (c: number) => c;
const OVERCONFIDENT = (c: number) => 0.5 + (c - 0.5) / 2;

function sample(seed: number, truth: (c: number) => number) {
  const random = prng(seed);
  return Array.from({ length: WINDOW }, () => {
    const confidence = 0.5 + random() / 2;
    const positive = random() < 0.3;
    const right = random() < truth(confidence);
    return { confidence, positive, right };
  });
}

function realised(s: ReturnType<typeof sample>) {
  const tp = s.filter((x) => x.positive && x.right).length;
  const predictedPositive = s.filter((x) => x.positive).length;
  const fn = s.filter((x) => !x.positive && !x.right).length;
  return { accuracy: s.filter((x) => x.right).length / s.length, precision: tp / predictedPositive, recall: tp / (tp + fn) };
}

function counts(s: ReturnType<typeof sample>) {
  const c = emptyCounts();
  for (const x of s) addPrediction(c, cell(x.confidence, x.positive), x.confidence);
  return c;
}

function fitted(s: ReturnType<typeof sample>) {
  const map = emptyCalibration();
  for (const x of s) addPair(map, cell(x.confidence, x.positive), x.right, x.confidence);
  return map;
}

describe('estimated accuracy (CBPE)', () => {
  const seeds = Array.from({ length: 20 }, (_, i) => 1000 + i);

  it('is within ±0.02 of the realised accuracy per window of 5,000 calibrated predictions', () => {
    for (const seed of seeds) {
      const s = sample(seed, CALIBRATED);
      const e = estimate(counts(s), null, true);
      const r = realised(s);
      expect(e.predictions).toBe(WINDOW);
      expect(Math.abs(e.accuracy - r.accuracy), `seed ${seed}`).toBeLessThanOrEqual(0.02);
      // Precision and recall of the positive class rest on fewer predictions: noisier.
      expect(Math.abs(e.precision - r.precision), `seed ${seed}`).toBeLessThanOrEqual(0.04);
      expect(Math.abs(e.recall - r.recall), `seed ${seed}`).toBeLessThanOrEqual(0.05);
    }
  });

  it('is off by about 0.12 on overconfident scores taken at face value, and ECE says so', () => {
    const errors = seeds.map((seed) => {
      const s = sample(seed, OVERCONFIDENT);
      return estimate(counts(s), null, true).accuracy - realised(s).accuracy;
    });
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    // E[c] = 0.75 over U(0.5, 1), the true accuracy 0.625: the raw estimate is 0.125 too high.
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(0.15);
    expect(ece(fitted(sample(7, OVERCONFIDENT)))).toBeGreaterThan(0.1);
    expect(ece(fitted(sample(7, CALIBRATED)))).toBeLessThan(0.03);
  });

  it('is within ±0.02 again once a calibration map is fitted on labelled predictions', () => {
    const map = fitted(sample(99, OVERCONFIDENT));
    for (const seed of seeds) {
      const s = sample(seed, OVERCONFIDENT);
      expect(Math.abs(estimate(counts(s), map, true).accuracy - realised(s).accuracy), `seed ${seed}`).toBeLessThanOrEqual(0.02);
    }
  });

  it('has no precision or recall without a positive class, and nothing without predictions', () => {
    const e = estimate(counts(sample(1, CALIBRATED)), null, false);
    expect(e.precision).toBeNaN();
    expect(e.recall).toBeNaN();
    expect(estimate(emptyCounts(), null, true).accuracy).toBeNaN();
  });
});
