// The demo's engines listen on the ports the config names, so the bundle's Prometheus finds them;
// a port already taken (a laptop running something on 8000) falls back to a free one and says so.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { metricsServer } from '../src/demo/servers.js';
import { freePort } from './tools.js';

describe('demo engine ports', () => {
  it('serves /metrics on the wanted port, and elsewhere (flagged) when it is taken', async () => {
    const port = await freePort();
    const first = await metricsServer(() => 'up 1\n', '127.0.0.1', port);
    expect([first.url, first.wanted]).toEqual([`http://127.0.0.1:${port}`, true]);
    expect(await (await fetch(`${first.url}/metrics`)).text()).toBe('up 1\n');
    expect((await fetch(`${first.url}/other`)).status).toBe(404);
    const second = await metricsServer(() => 'up 2\n', '127.0.0.1', port);
    expect(second.wanted).toBe(false);
    expect(second.url).not.toBe(first.url);
    expect(await (await fetch(`${second.url}/metrics`)).text()).toBe('up 2\n');
    await Promise.all([first.close(), second.close()]);
    // Both let go of their ports.
    const s = createServer();
    await new Promise<void>((resolve, reject) => { s.once('error', reject); s.listen(port, '127.0.0.1', resolve); });
    await new Promise<void>((r) => s.close(() => r()));
  });
});
