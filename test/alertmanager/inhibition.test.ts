// Inhibitions and the heartbeat on a running Alertmanager (Debian's 0.25) with the generated
// alertmanager.yml: alerts are posted as Prometheus posts them, notifications land on a local
// webhook. One page per symptom: a fast budget burn is delivered and the error-ratio page of the
// same model is not; a down endpoint silences the model's drift ticket; the Watchdog reaches the
// heartbeat URL and nobody else.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { generateAll, writeArtifacts } from '../../src/generate/index.js';
import { json, startFake, type FakeServer } from '../fakes/http.js';
import { freePort, hasTool, run, sleep } from '../tools.js';
import { runbookName } from '../../src/generate/prometheus/index.js';

interface Notification { receiver: string; status: string; alerts: { labels: Record<string, string> }[] }

describe.runIf(hasTool('amtool'))('inhibitions and the heartbeat on a running Alertmanager', () => {
  let hook: FakeServer;
  let am: ChildProcess;
  let url: string;
  let dir: string;
  const notified = () => hook.requests.filter((r) => r.method === 'POST').map((r) => ({ path: r.path, body: JSON.parse(r.body) as Notification }));

  beforeAll(async () => {
    hook = await startFake((_req, _body, res) => json(res, 200, {}));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const loaded = parseConfig(`version: 1
alerting:
  group_wait: 1s
  receivers: {webhook: {url: "${hook.url}/notify"}}
  tiers: {page: [webhook], ticket: [webhook], digest: [webhook]}
  heartbeat: {url: "${hook.url}/heartbeat", interval: 2s}
  business_hours: {weekdays: ["sunday:saturday"], start: "00:00", end: "24:00"}
log_stores: [{name: logs, kind: jsonl, path: /tmp/modelwatch-inhibit/*.jsonl}]
models: [{name: m, task: classification, log_store: logs}]
`, 'inhibit.yaml');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    dir = mkdtempSync(join(tmpdir(), 'am-'));
    writeArtifacts(dir, generateAll(loaded.model));
    mkdirSync(join(dir, 'data'));
    am = spawn('prometheus-alertmanager', [`--config.file=${join(dir, 'alertmanager/alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${url}/-/ready`).then((r) => r.ok, () => false)) break;
      await sleep(100);
    }
    const alert = (labels: Record<string, string>) => ({ labels: { ...labels, job: 'modelwatch', instance: 'e:9746' }, annotations: { summary: 's' }, startsAt: new Date().toISOString() });
    const res = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert({ alertname: 'ModelwatchErrorBudgetFastBurn', severity: 'critical', tier: 'page', category: 'serving', model: 'm' }),
        alert({ alertname: 'ModelwatchHighErrorRatio', severity: 'critical', tier: 'page', category: 'serving', model: 'm' }),
        alert({ alertname: 'ModelwatchHighErrorRatio', severity: 'critical', tier: 'page', category: 'serving', model: 'other' }),
        alert({ alertname: 'ModelwatchEndpointDown', severity: 'critical', tier: 'page', category: 'endpoint', model: 'm' }),
        alert({ alertname: 'ModelwatchFeatureDrift', severity: 'critical', tier: 'ticket', category: 'drift', model: 'm', feature: 'amount' }),
        alert({ alertname: 'ModelwatchFeatureDrift', severity: 'critical', tier: 'ticket', category: 'drift', model: 'other', feature: 'amount' }),
        alert({ alertname: 'ModelwatchWatchdog', severity: 'info', tier: 'heartbeat', category: 'watchers' }),
      ]),
    });
    expect(res.ok).toBe(true);
    // group_wait 1s (tickets 2s), the heartbeat every 2s: 8s sees every first notification and repeats.
    await sleep(8000);
  }, 30_000);

  afterAll(async () => {
    am?.kill();
    await hook?.close();
  });

  const delivered = (alertname: string, model?: string) => notified().some((n) => n.body.status === 'firing' && n.body.alerts.some((a) => a.labels.alertname === alertname && (model === undefined || a.labels.model === model)));

  it('delivers the fast burn and not the error-ratio page of the same model', () => {
    expect(delivered('ModelwatchErrorBudgetFastBurn', 'm')).toBe(true);
    expect(delivered('ModelwatchHighErrorRatio', 'm')).toBe(false);
    expect(delivered('ModelwatchHighErrorRatio', 'other')).toBe(true);
  });

  it('silences the drift ticket of a model whose endpoint is down, not another model\'s', () => {
    expect(delivered('ModelwatchEndpointDown', 'm')).toBe(true);
    expect(delivered('ModelwatchFeatureDrift', 'm')).toBe(false);
    expect(delivered('ModelwatchFeatureDrift', 'other')).toBe(true);
  });

  it('sends the Watchdog to the heartbeat URL, again and again, and to no other receiver', () => {
    const beats = notified().filter((n) => n.path === '/heartbeat');
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(beats.every((b) => b.body.alerts.every((a) => a.labels.alertname === 'ModelwatchWatchdog'))).toBe(true);
    expect(notified().filter((n) => n.path === '/notify' && n.body.alerts.some((a) => a.labels.alertname === 'ModelwatchWatchdog'))).toEqual([]);
  });

  it.each([['ModelwatchHighErrorRatio', 'other'], ['ModelwatchWatchdog', null]] as const)('silences %s with its runbook\'s own command, and only that alert', async (alertname, model) => {
    const book = readFileSync(join(dir, 'runbooks', `${runbookName(alertname)}.md`), 'utf8');
    const command = (/^amtool silence add .*$/m.exec(book) as RegExpExecArray)[0]
      .replace('<model>', model ?? '').replace('"<why>"', 'test').replace(/--alertmanager\.url=\S+/, `--alertmanager.url=${url}`);
    const args = command.split(' ').slice(1);
    const added = run('amtool', args);
    expect(added.code, added.out).toBe(0);
    const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as { labels: Record<string, string>; status: { silencedBy: string[] } }[];
    const silenced = alerts.filter((a) => a.status.silencedBy.length).map((a) => `${a.labels.alertname} ${a.labels.model ?? ''}`.trim());
    expect(silenced).toContain(model ? `${alertname} ${model}` : alertname);
    if (model) expect(silenced).not.toContain(`${alertname} m`);
    const query = run('amtool', ['silence', 'query', `alertname=${alertname}`, `--alertmanager.url=${url}`]);
    expect(query.out).toContain(alertname);
  });
});
