// /readyz means "can serve /metrics with the last known state": a billing API that never
// answers (interval 1h, so its first poll could take a minute) keeps nothing NotReady; it shows
// in modelwatch_source_* instead. /healthz and /readyz answer without basic auth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFake, type FakeServer } from '../fakes/http.js';
import { sample, startHarness, type Harness } from './harness.js';

let hang: FakeServer;
let h: Harness;

beforeAll(async () => {
  hang = await startFake(() => { /* never answers */ });
  h = await startHarness(`version: 1
billing:
  - {name: slow, provider: generic, url: "${hang.url}/costs", interval: 1h, mapping: {day: day, amount: amount}}
models: [{name: m, task: llm}]
`);
});
afterAll(async () => { await h.exporter.stop(); await hang.close(); });

describe('readiness', () => {
  it('is ready before a slow source has finished its first poll, and the source shows as not up', async () => {
    // The first poll is in flight and will not finish: the API holds the request.
    void h.exporter.scheduler.pollAll();
    for (let i = 0; i < 50 && !hang.requests.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hang.requests.length).toBe(1);
    const ready = await fetch(`${h.exporter.url}/readyz`);
    expect(ready.status).toBe(200);
    const { text } = await h.scrape();
    expect(sample(text, 'modelwatch_source_up', { source: 'billing/slow' })).toBe(0);
  });
});
