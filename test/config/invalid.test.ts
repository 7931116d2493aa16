// The negative corpus: each bad config is rejected with its path and a message that says what
// to do, located at file:line:col. Every problem is reported, never a stack trace.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';

const MODEL = `models:
  - name: fraud
    task: classification`;
const base = (extra = '', model = MODEL) => `version: 1\n${extra}\n${model}\n`;
const withModel = (lines: string) => base('', `${MODEL}\n${lines}`);

interface Case { name: string; yaml: string; path: string; message: string }

const CASES: Case[] = [
  { name: 'a missing version', yaml: MODEL, path: 'version', message: 'is required' },
  { name: 'an unsupported version', yaml: `version: 2\n${MODEL}`, path: 'version', message: 'must be 1' },
  { name: 'no models', yaml: 'version: 1\nmodels: []\n', path: 'models', message: 'must NOT have fewer than 1 items' },
  { name: 'a misspelt top-level key', yaml: base('exportr: {port: 1}'), path: 'exportr', message: 'did you mean "exporter"' },
  { name: 'a misspelt model key', yaml: withModel('    featurs: []'), path: 'models[0].featurs', message: 'did you mean "features"' },
  { name: 'an unknown task', yaml: base('', 'models:\n  - name: x\n    task: ranking'), path: 'models[0].task', message: 'must be one of: classification, regression, llm' },
  { name: 'an invalid model name', yaml: base('', 'models:\n  - name: Fraud Model\n    task: llm'), path: 'models[0].name', message: 'does not match' },
  { name: 'duplicate model names', yaml: base('', `${MODEL}\n  - name: fraud\n    task: llm`), path: 'models[1].name', message: 'duplicate name "fraud"' },
  { name: 'an unknown log store', yaml: withModel('    log_store: nowhere'), path: 'models[0].log_store', message: 'log store "nowhere" is not defined' },
  { name: 'an unknown label source', yaml: withModel('    label_source: nope'), path: 'models[0].label_source', message: 'label source "nope" is not defined' },
  { name: 'a label source on an unknown store', yaml: base('label_sources:\n  - {name: l, log_store: missing}'), path: 'label_sources[0].log_store', message: 'log store "missing" is not defined' },
  { name: 'warning above critical', yaml: withModel('    thresholds:\n      error_ratio: {warning: 0.1, critical: 0.05}'), path: 'models[0].thresholds.error_ratio', message: 'warning (0.1) must be below critical (0.05)' },
  { name: 'accuracy warning below critical', yaml: withModel('    thresholds:\n      accuracy: {warning: 0.8, critical: 0.9}'), path: 'models[0].thresholds.accuracy', message: 'must be above critical' },
  { name: 'a default threshold out of order', yaml: base('defaults:\n  thresholds:\n    feature_psi: {warning: 0.3, critical: 0.2}'), path: 'defaults.thresholds.feature_psi', message: 'must be below critical' },
  { name: 'a ratio threshold above 1', yaml: withModel('    thresholds:\n      null_ratio: {warning: 1.5}'), path: 'models[0].thresholds.null_ratio.warning', message: 'must be <= 1' },
  { name: 'protected segments without a positive class', yaml: withModel('    segments: [a, b]\n    protected_segments: [b]'), path: 'models[0].protected_segments', message: 'needs a classification model with positive_class' },
  { name: 'a protected segment that is not a segment', yaml: withModel('    positive_class: yes\n    segments: [a, b]\n    protected_segments: [c]'), path: 'models[0].protected_segments[0]', message: '"c" is not one of the model\'s segments (a, b)' },
  { name: 'task success levels the wrong way round', yaml: base('', 'models:\n  - name: chat\n    task: llm\n    thresholds:\n      task_success_ratio: {warning: 0.5, critical: 0.8}'), path: 'models[0].thresholds.task_success_ratio', message: 'must be above critical' },
  { name: 'an unknown serving engine', yaml: base('', 'models:\n  - name: chat\n    task: llm\n    endpoint: {protocol: openai, url: "http://x:8000", server: ollama}'), path: 'models[0].endpoint.server', message: 'must be one of: vllm, tgi, triton' },
  { name: 'an unknown threshold', yaml: withModel('    thresholds:\n      psi: {warning: 0.1}'), path: 'models[0].thresholds.psi', message: 'unknown key "psi"' },
  { name: 'a quality window not in 24 whole-second steps', yaml: withModel('    quality_window: 25m'), path: 'models[0].quality_window', message: 'at least 24m and a multiple of 24s' },
  { name: 'a quality window shorter than 24m', yaml: withModel('    quality_window: 12m'), path: 'models[0].quality_window', message: 'at least 24m' },
  { name: 'an inline API key', yaml: base('billing:\n  - {name: openai, provider: openai, api_key: sk-admin-123}'), path: 'billing[0].api_key', message: 'inline secrets are not allowed' },
  { name: 'an inline PagerDuty key', yaml: base('alerting:\n  receivers:\n    pagerduty: {routing_key: abc}'), path: 'alerting.receivers.pagerduty.routing_key', message: 'inline secrets are not allowed' },
  { name: 'an inline password under an unknown key', yaml: base('grafana:\n  password: hunter2'), path: 'grafana.password', message: 'inline secrets are not allowed' },
  { name: 'a secret with both file and env', yaml: base('billing:\n  - {name: o, provider: openai, api_key: {file: /k, env: KEY}}'), path: 'billing[0].api_key', message: 'exactly one of file or env' },
  { name: 'an env secret for Alertmanager', yaml: base('alerting:\n  receivers:\n    slack: {api_url: {env: SLACK}, channel: "#x"}'), path: 'alerting.receivers.slack.api_url.env', message: 'use file, not env' },
  { name: 'a billing source without its key', yaml: base('billing:\n  - {name: openai, provider: openai}'), path: 'billing[0].api_key', message: 'is required for openai' },
  { name: 'a generic billing source without a mapping', yaml: base('billing:\n  - {name: c, provider: generic, url: "http://x/export"}'), path: 'billing[0].mapping', message: 'say where day and amount live' },
  { name: 'a mapping on a provider with a fixed API', yaml: base('billing:\n  - {name: o, provider: openai, api_key: {env: K}, mapping: {day: d, amount: a}}'), path: 'billing[0].mapping', message: 'generic billing sources only' },
  { name: 'a generic billing source without a URL', yaml: base('billing:\n  - {name: chargeback, provider: generic}'), path: 'billing[0].url', message: 'is required for a generic billing source' },
  { name: 'a version label from an id field', yaml: base('log_stores:\n  - name: p\n    kind: jsonl\n    path: /x\n    fields: {version: request_id}'), path: 'log_stores[0].fields.version', message: 'looks like an identifier' },
  { name: 'a segment label from a user id', yaml: base('log_stores:\n  - name: p\n    kind: jsonl\n    path: /x\n    fields: {segment: user.id}'), path: 'log_stores[0].fields.segment', message: 'looks like an identifier' },
  { name: 'a segment field without allowed segments', yaml: base('log_stores:\n  - name: p\n    kind: jsonl\n    path: /x\n    fields: {segment: tier}', `${MODEL}\n    log_store: p`), path: 'models[0].segments', message: 'allowed segment values must be listed' },
  { name: 'a jsonl store without a path', yaml: base('log_stores:\n  - {name: p, kind: jsonl}'), path: 'log_stores[0].path', message: 'is required for a jsonl store' },
  { name: 'a postgres store without table or query', yaml: base('log_stores:\n  - {name: p, kind: postgres, connection: {env: PG}}'), path: 'log_stores[0].table', message: 'needs a table or a query' },
  { name: 'a loki store without a URL', yaml: base('log_stores:\n  - {name: p, kind: loki, query: "{app=\\"x\\"}"}'), path: 'log_stores[0].url', message: 'is required for a loki store' },
  { name: 'an unknown store kind', yaml: base('log_stores:\n  - {name: p, kind: kafka}'), path: 'log_stores[0].kind', message: 'must be one of: jsonl, postgres' },
  { name: 'a reserved feature name', yaml: withModel('    features:\n      - {name: prediction, type: numeric}'), path: 'models[0].features[0].name', message: 'reserved' },
  { name: 'a range on a categorical feature', yaml: withModel('    features:\n      - {name: c, type: categorical, range: [0, 1]}'), path: 'models[0].features[0].range', message: 'numeric features only' },
  { name: 'an inverted range', yaml: withModel('    features:\n      - {name: amount, type: numeric, range: [10, 1]}'), path: 'models[0].features[0].range', message: 'min (10) must be below max (1)' },
  { name: 'a range with one bound', yaml: withModel('    features:\n      - {name: amount, type: numeric, range: [10]}'), path: 'models[0].features[0].range', message: 'must NOT have fewer than 2 items' },
  { name: 'duplicate features', yaml: withModel('    features:\n      - {name: a, type: numeric}\n      - {name: a, type: numeric}'), path: 'models[0].features[1].name', message: 'duplicate name "a"' },
  { name: 'a probe timeout longer than its interval', yaml: withModel('    endpoint: {protocol: http, url: "http://m:1", interval: 10s, timeout: 30s}'), path: 'models[0].endpoint.timeout', message: 'must be shorter than the probe interval' },
  { name: 'a malformed duration', yaml: withModel('    endpoint: {protocol: http, url: "http://m:1", interval: 10 seconds}'), path: 'models[0].endpoint.interval', message: 'such as 30s, 5m, 1h, 7d' },
  { name: 'an endpoint URL that is not a URL', yaml: withModel('    endpoint: {protocol: http, url: "not a url"}'), path: 'models[0].endpoint.url', message: 'must match format "uri"' },
  { name: 'a golden set without an endpoint', yaml: withModel('    golden_set: {path: g.jsonl, scorer: exact}'), path: 'models[0].golden_set', message: 'needs an endpoint' },
  { name: 'a tolerance on the exact scorer', yaml: withModel('    endpoint: {protocol: http, url: "http://m:1"}\n    golden_set: {path: g.jsonl, scorer: exact, tolerance: 0.1}'), path: 'models[0].golden_set.tolerance', message: 'tolerance scorer only' },
  { name: 'labels for an llm', yaml: base('log_stores:\n  - {name: p, kind: jsonl, path: /x}\nlabel_sources:\n  - {name: l, log_store: p}', 'models:\n  - {name: chat, task: llm, log_store: p, label_source: l}'), path: 'models[0].label_source', message: 'use a golden set or feedback' },
  { name: 'a tier naming an unconfigured receiver', yaml: base('alerting:\n  tiers:\n    critical: [pagerduty]'), path: 'alerting.tiers.critical[0]', message: 'receiver "pagerduty" is not configured' },
  { name: 'business hours ending before they start', yaml: base('alerting:\n  business_hours: {start: "18:00", end: "09:00"}'), path: 'alerting.business_hours.end', message: 'must be after start' },
  { name: 'a weekday range that runs backwards', yaml: base('alerting:\n  business_hours: {weekdays: ["monday:sunday"]}'), path: 'alerting.business_hours.weekdays[0]', message: 'runs backwards' },
  { name: 'a misspelt weekday', yaml: base('alerting:\n  business_hours: {weekdays: ["mon:fri"]}'), path: 'alerting.business_hours.weekdays[0]', message: 'is not a weekday' },
  { name: 'an env secret for Prometheus remote_write', yaml: base('prometheus:\n  remote_write: [{url: "http://m/x", username: u, password: {env: P}}]'), path: 'prometheus.remote_write[0].password.env', message: 'use file, not env' },
  { name: 'remote_write basic auth without a password', yaml: base('prometheus:\n  remote_write: [{url: "http://m/x", username: u}]'), path: 'prometheus.remote_write[0].password', message: 'needs both username and password' },
  { name: 'a baseline and a rolling reference', yaml: withModel('    log_store: p\n    baseline: b.json\n    rolling_reference: 7d').replace('version: 1', 'version: 1\nlog_stores: [{name: p, kind: jsonl, path: /x}]'), path: 'models[0].rolling_reference', message: 'not both' },
  { name: 'an SLO of 100%', yaml: withModel('    slo: {availability: 1}'), path: 'models[0].slo.availability', message: 'must be < 1' },
  { name: 'a port out of range', yaml: base('exporter: {port: 70000}'), path: 'exporter.port', message: 'must be <= 65535' },
  { name: 'a price table with a bad date', yaml: base('prices:\n  as_of: yesterday\n  models: []'), path: 'prices.as_of', message: 'does not match' },
];

describe('an invalid config', () => {
  it('has at least 30 cases in the corpus', () => expect(CASES.length).toBeGreaterThanOrEqual(30));

  it.each(CASES)('with $name is rejected at $path', ({ yaml, path, message }) => {
    const result = parseConfig(yaml, 'bad.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const line = result.errors.find((e) => e.includes(` ${path}: `));
    expect(line, result.errors.join('\n')).toBeDefined();
    expect(line).toMatch(/^bad\.yaml:\d+:\d+ /);
    expect(line).toContain(message);
  });
});
