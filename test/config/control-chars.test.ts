// Config values with control characters (a newline in a key, a terminal escape sequence) come
// back escaped: each problem stays one located line, and nothing reaches a terminal raw.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';

describe('problems that quote control characters', () => {
  it('escapes them and keeps every problem on one located line', () => {
    const r = parseConfig('version: 1\nmodels: [{name: m, task: llm, "bad\\nkey\\u001b[31m": 1}]\nlog_stores: [{name: s, kind: jsonl, path: "/x", fields: {model: "user\\u2028id"}}]\n', 'c.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.length).toBeGreaterThanOrEqual(1);
    for (const e of r.errors) {
      // eslint-disable-next-line no-control-regex
      expect(e).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      expect(e).toMatch(/^c\.yaml:\d+:\d+ /);
    }
    expect(r.errors.join('\n')).toContain('\\n');
    // A rule message quoting a value (after the schema passes) is escaped too.
    const rule = parseConfig('version: 1\nmodels: [{name: m, task: llm, log_store: s}]\nlog_stores: [{name: s, kind: jsonl, path: "/x", fields: {model: "user\u2028id"}}]\n', 'c.yaml');
    expect(rule.ok).toBe(false);
    if (!rule.ok) for (const e of rule.errors) expect(e).toContain('user\\u2028id');
  });
});
