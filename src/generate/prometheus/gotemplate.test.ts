// Known answers from Prometheus's template functions (template/template.go) and Go's %.4g.
import { describe, expect, it } from 'vitest';
import { goG4, humanize, humanizeDuration, humanizePercentage, renderTemplate } from './gotemplate.js';

describe('Go %.4g', () => {
  it.each([[6, '6'], [0.06, '0.06'], [1234, '1234'], [12345, '1.234e+04'], [0.00012345, '0.0001234'], [0.000012, '1.2e-05'], [2.5, '2.5'], [100, '100'], [0, '0']])('%d -> %s', (v, s) => {
    expect(goG4(v)).toBe(s);
  });
});

describe('humanize functions', () => {
  it('formats percentages', () => {
    expect(humanizePercentage(0.06000000000000001)).toBe('6%');
    expect(humanizePercentage(0.925)).toBe('92.5%');
  });
  it('formats durations like Prometheus', () => {
    expect(humanizeDuration(1080)).toBe('18m 0s');
    expect(humanizeDuration(90061)).toBe('1d 1h 1m 1s');
    expect(humanizeDuration(0.2425)).toBe('242.5ms');
    expect(humanizeDuration(1.5)).toBe('1.5s');
    expect(humanizeDuration(0)).toBe('0s');
  });
  it('formats numbers with SI prefixes', () => {
    expect(humanize(5500)).toBe('5.5k');
    expect(humanize(1234567)).toBe('1.235M');
    expect(humanize(0.25)).toBe('250m');
  });
});

describe('renderTemplate', () => {
  it('substitutes labels and formatted values', () => {
    expect(renderTemplate('{{ $labels.model }} at {{ $value | humanizePercentage }}', { model: 'fraud' }, 0.5)).toBe('fraud at 50%');
  });
  it('refuses constructs it cannot predict', () => {
    expect(() => renderTemplate('{{ query "up" }}', {}, 0)).toThrow('unsupported template expression');
  });
});
