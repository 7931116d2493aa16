import { describe, expect, it } from 'vitest';
import { score } from './scorers.js';

describe('golden-set scorers', () => {
  it.each([
    ['exact', 'fraud', 'fraud', true],
    ['exact', 'legit', 'fraud', false],
    ['exact', 1, '1', true],
    ['tolerance', 0.52, 0.5, true],
    ['tolerance', 0.6, 0.5, false],
    ['tolerance', 'n/a', 0.5, false],
    ['contains', 'You can reset it under Settings > Password.', 'settings', true],
    ['contains', 'I cannot help with that.', 'settings', false],
    ['regex', 'Order #12345 shipped', 'Order #\\d{5}', true],
    ['regex', 'Order shipped', 'Order #\\d{5}', false],
    ['json_schema', '{"intent":"refund"}', { type: 'object', required: ['intent'] }, true],
    ['json_schema', '{"other":1}', { type: 'object', required: ['intent'] }, false],
    ['json_schema', 'not json', { type: 'object' }, false],
  ] as const)('%s scores %j against %j as %s', (scorer, answer, expected, pass) => {
    expect(score(scorer, answer, expected, 0.05).pass).toBe(pass);
  });
});
