// The demo's business-hours check agrees with Alertmanager's reading of the same interval:
// weekday ranges, start inclusive, end exclusive, in the configured time zone.
import { describe, expect, it } from 'vitest';
import { inBusinessHours } from '../src/demo/business-hours.js';

const LONDON = { weekdays: ['monday:friday'], start: '09:00', end: '18:00', location: 'Europe/London' };

describe('business hours in the demo', () => {
  it.each([
    ['2026-11-30T09:00:00Z', true], // Monday 09:00 GMT: the start is inside
    ['2026-11-30T08:59:00Z', false],
    ['2026-11-30T17:59:00Z', true],
    ['2026-11-30T18:00:00Z', false], // the end is outside
    ['2026-11-29T12:00:00Z', false], // Sunday
    ['2026-07-06T08:30:00Z', true], // Monday 09:30 BST (UTC+1)
    ['2026-07-06T17:30:00Z', false], // Monday 18:30 BST
  ])('%s in business hours: %s', (at, expected) => {
    expect(inBusinessHours(LONDON, new Date(at))).toBe(expected);
  });

  it('reads single days and ranges (backwards ranges never pass validation)', () => {
    const weekend = { weekdays: ['sunday', 'saturday', 'wednesday'], start: '00:00', end: '24:00', location: 'UTC' };
    expect(inBusinessHours(weekend, new Date('2026-11-29T23:59:00Z'))).toBe(true); // Sunday
    expect(inBusinessHours(weekend, new Date('2026-11-25T10:00:00Z'))).toBe(true); // Wednesday
    expect(inBusinessHours(weekend, new Date('2026-11-30T10:00:00Z'))).toBe(false); // Monday
    expect(inBusinessHours({ ...weekend, weekdays: ['friday:saturday', 'sunday:monday'] }, new Date('2026-11-29T10:00:00Z'))).toBe(true);
  });
});
