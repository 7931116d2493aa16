// Crash consistency: `modelwatch serve` (the compiled CLI, as in the image) killed with SIGKILL
// at random moments while ingesting, with other sources (an endpoint, a billing API) polling
// every second and refreshing the exposition in the middle of long log polls; then run to the
// end: the prediction total equals an offline count of the records, nothing lost, nothing
// counted twice, and no scrape ever sees the counter lower than an earlier scrape did.
// KILL9_ITERATIONS=50 for a longer run.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prng } from '../../src/stats/profile.js';
import { sample } from '../exporter/harness.js';
import { freePort, sleep } from '../tools.js';

const ITERATIONS = Number(process.env.KILL9_ITERATIONS ?? 20);


async function total(port: number): Promise<number | undefined> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return sample(text, 'modelwatch_predictions_total', { model: 'churn' });
  } catch {
    return undefined;
  }
}

describe('kill -9 while ingesting', () => {
  it(`ends with the offline count after ${ITERATIONS} crashes`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kill9-'));
    const log = join(dir, 'preds-1.jsonl');
    const random = prng(42);
    let written = 0;
    const append = (n: number) => {
      const lines = Array.from({ length: n }, () => JSON.stringify({ id: written++, model: 'churn', v: 'v1', f: { tenure: Math.floor(random() * 100) }, lat: random() }));
      appendFileSync(log, `${lines.join('\n')}\n`);
    };
    append(20_000);
    const port = await freePort();
    const config = join(dir, 'modelwatch.yaml');
    writeFileSync(config, `version: 1
exporter: {state_dir: ${join(dir, 'state')}}
log_stores:
  - {name: preds, kind: jsonl, path: ${join(dir, 'preds-*.jsonl')}, interval: 1s, fields: {request_id: id, model: model, version: v, features: f, latency: lat}}
billing:
  - {name: costs, provider: generic, url: "http://127.0.0.1:9/costs", interval: 1s, mapping: {day: day, amount: amount}}
models:
  - {name: churn, task: classification, versions: [v1], log_store: preds, features: [{name: tenure, type: numeric}], endpoint: {protocol: http, url: "http://127.0.0.1:9", interval: 1s}}
`);
    const start = (): ChildProcess => spawn(process.execPath, ['dist/cli/index.js', 'serve', '-c', config, '--port', String(port), '--listen', '127.0.0.1'], { stdio: 'ignore' });

    let highest = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const child = start();
      // The random moment is counted from when the exporter answers, not from the spawn: a slow
      // start under load must not turn most runs into kills before the first scrape.
      for (let w = 0; w < 200 && (await total(port)) === undefined; w++) await sleep(25);
      const deadline = Date.now() + Math.floor(random() * 1500);
      do {
        const t = await total(port);
        if (t !== undefined) {
          expect(t, 'the counter went backwards').toBeGreaterThanOrEqual(highest);
          expect(t).toBeLessThanOrEqual(written);
          highest = t;
        }
        await sleep(15);
      } while (Date.now() < deadline);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      append(10_000 + Math.floor(random() * 30_000));
    }

    expect(highest, 'no restart ever made progress').toBeGreaterThan(0);
    const child = start();
    try {
      let t: number | undefined;
      for (let i = 0; i < 600 && t !== written; i++) {
        await sleep(100);
        t = await total(port);
      }
      expect(t).toBe(written);
      await sleep(1500);
      expect(await total(port)).toBe(written);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 240_000);
});
