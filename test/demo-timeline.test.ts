// The demo's clock: calm for 5 minutes, then each incident for the minutes README "The demo"
// gives it, 55 minutes a cycle, on repeat; a held phase wins over the clock.
import { describe, expect, it } from 'vitest';
import { Timeline } from '../src/demo/timeline.js';

describe('the demo timeline', () => {
  it('runs calm, then each incident for its length, and starts over after 55 minutes', () => {
    let now = 1_000_000;
    const t = new Timeline(1, new Set(), () => now);
    const at = (minutes: number) => { now = 1_000_000 + minutes * 60; return t.phase(); };
    expect([at(0), at(4.99), at(5), at(12.99), at(13), at(21), at(26), at(31), at(40), at(47), at(51.99), at(52), at(54.99), at(55)])
      .toEqual(['calm', 'calm', 'feature_drift', 'feature_drift', 'nulls', 'latency_spike', 'error_burst', 'accuracy_drop', 'cost_spike', 'engine_saturated', 'engine_saturated', 'endpoint_down', 'endpoint_down', 'calm']);
    // --speed 10: the same cycle in 5.5 minutes.
    now = 1_000_000;
    const fast = new Timeline(10, new Set(), () => now);
    now = 1_000_000 + 29;
    expect(fast.phase()).toBe('calm');
    now = 1_000_000 + 31;
    expect(fast.phase()).toBe('feature_drift');
  });

  it('holds a phase until released, and keeps pinned incidents on', () => {
    const now = 1_000_000;
    const t = new Timeline(1, new Set(), () => now);
    t.hold('cost_spike');
    expect([t.phase(), t.active('cost_spike'), t.active('nulls')]).toEqual(['cost_spike', true, false]);
    t.hold(null);
    expect(t.phase()).toBe('calm');
    const pinned = new Timeline(1, new Set(['nulls']), () => now);
    expect([pinned.active('nulls'), pinned.active('feature_drift')]).toEqual([true, false]);
  });
});
