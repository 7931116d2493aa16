import { describe, expect, it } from 'vitest';
import { prng } from './profile.js';
import { RollingFeature } from './rolling.js';

const WEEK = 7 * 86400;
const random = prng(3);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** A week and a day of values, 600 an hour; the last hour shifted by `shift`. */
function feed(f: RollingFeature, shift: number, t0 = 1_800_000_000): number {
  const end = t0 + WEEK + 86400;
  for (let t = t0; t < end; t += 6) f.add(normal() + (t >= end - 3600 ? shift : 0), t);
  return end;
}

describe('a rolling reference', () => {
  it('compares the last hour with the same hour a week earlier', () => {
    const drifted = new RollingFeature('numeric', WEEK, 3600);
    const end = feed(drifted, 1);
    const r = drifted.evaluate(end);
    expect(r?.referenceSamples).toBe(600);
    expect(r?.windowSamples).toBeGreaterThanOrEqual(540);
    expect(r?.psi).toBeGreaterThan(0.5);
    expect(r?.ks).toBeGreaterThan(0.3);

    const calm = new RollingFeature('numeric', WEEK, 3600);
    const end2 = feed(calm, 0);
    expect(calm.evaluate(end2)?.psi).toBeLessThan(0.1);
  });

  it('has no reference until the offset has passed', () => {
    const f = new RollingFeature('numeric', WEEK, 3600);
    for (let t = 0; t < 3 * 3600; t += 1) f.add(normal(), 1_800_000_000 + t);
    const r = f.evaluate(1_800_000_000 + 3 * 3600);
    expect(r?.referenceSamples).toBe(0);
    expect(r?.psi).toBeNaN();
  });

  it('learns categories, and survives a checkpoint', () => {
    const f = new RollingFeature('categorical', 3600, 600);
    const t0 = 1_800_000_000;
    for (let t = 0; t < 7200; t++) f.add(t % 3 === 0 ? 'a' : 'b', t0 + t);
    const restored = new RollingFeature('categorical', 3600, 600);
    restored.restore(JSON.parse(JSON.stringify(f.toJSON())));
    expect(restored.evaluate(t0 + 7200)).toEqual(f.evaluate(t0 + 7200));
    expect(f.evaluate(t0 + 7200)?.js).toBeLessThan(0.05);
  });
});
