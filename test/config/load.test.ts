import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/index.js';
import { SECRET_KEYS } from '../../src/config/secrets.js';
import { DEFAULT_THRESHOLDS } from '../../src/config/defaults.js';

const ok = (yaml: string) => {
  const r = parseConfig(yaml, 'c.yaml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.model;
};

describe('loading a config', () => {
  it('loads the example into a frozen Model with every default resolved', () => {
    const r = loadConfig('examples/modelwatch.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const fraud = r.model.models.find((m) => m.name === 'fraud-classifier');
    expect(fraud?.endpoint?.intervalSeconds).toBe(30);
    expect(fraud?.thresholds.accuracy).toEqual({ warning: 0.95, critical: 0.9 });
    expect(fraud?.thresholds.featurePsi).toEqual({ warning: 0.1, critical: 0.2 });
    expect(fraud?.slo?.windowSeconds).toBe(30 * 86400);
    expect(Object.isFrozen(r.model)).toBe(true);
    expect(Object.isFrozen(r.model.models[0]?.thresholds)).toBe(true);
  });

  it('merges thresholds: defaults, then config defaults, then the model, level by level', () => {
    const model = ok(`version: 1
defaults:
  thresholds:
    error_ratio: {warning: 0.01}
models:
  - name: a
    task: llm
    thresholds:
      error_ratio: {critical: 0.1}
      null_ratio: {warning: null}
`);
    const t = model.models[0]!.thresholds;
    expect(t.errorRatio).toEqual({ warning: 0.01, critical: 0.1 });
    expect(t.nullRatio).toEqual({ warning: null, critical: null });
    expect(t.accuracy).toEqual(DEFAULT_THRESHOLDS.accuracy);
  });

  it('reports every problem at once, each located at its line and column', () => {
    const r = parseConfig(`version: 1
exporter:
  port: 0
models:
  - name: a
    task: nope
  - name: a
    task: llm
`, 'c.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContain('c.yaml:3:3 exporter.port: must be >= 1');
    expect(r.errors).toContain('c.yaml:6:5 models[0].task: must be one of: classification, regression, llm');
  });

  it('reports semantic problems together', () => {
    const r = parseConfig(`version: 1
models:
  - {name: a, task: llm, log_store: x}
  - {name: a, task: llm}
`, 'c.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.length).toBe(2);
  });

  it('reports YAML syntax errors with their position', () => {
    const r = parseConfig('version: 1\nmodels:\n  - name: [unclosed\n', 'c.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^c\.yaml:\d+:\d+ \(yaml\): /);
  });

  it('rejects duplicate keys', () => {
    const r = parseConfig('version: 1\nversion: 1\nmodels: [{name: a, task: llm}]\n', 'c.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toContain('c.yaml:2:1');
  });

  it('names the file when it cannot be read', () => {
    const r = loadConfig('does/not/exist.yaml');
    expect(r).toEqual({ ok: false, errors: ['does/not/exist.yaml: cannot read config: no such file'], warnings: [] });
  });

  it('warns about a retention too short for week-over-week alerts', () => {
    const r = parseConfig('version: 1\nprometheus: {retention: 3d}\nmodels: [{name: a, task: llm}]\n', 'c.yaml');
    expect(r.ok).toBe(true);
    expect(r.warnings[0]).toContain('prometheus.retention: 3d is shorter than 8d');
  });

  it('knows every secret field of the schema', () => {
    expect([...SECRET_KEYS].sort()).toEqual(['admin_password', 'api_key', 'api_url', 'auth', 'auth_password', 'bearer_token', 'connection', 'password', 'routing_key']);
  });
});
