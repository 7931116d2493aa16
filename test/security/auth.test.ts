// Basic auth that an attacker cannot turn into a denial of service or a user list: bcrypt runs in
// a worker (the event loop keeps answering), the queue is bounded (full: 503 at once), each
// address has a failure budget (spent: 429 without any bcrypt), unknown users are checked against
// a dummy of the configured cost, and every refusal is counted.
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { FailureBudget, PasswordChecker, bcryptCost, type Verdict } from '../../src/exporter/passwords.js';
import { basicAuth, WebConfigWatcher } from '../../src/exporter/webconfig.js';

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

async function serve(users: Record<string, string>, checker: { check(p: string, h: string | null, c: number): Promise<Verdict> }, budget?: FailureBudget) {
  const dir = mkdtempSync(join(tmpdir(), 'auth-'));
  writeFileSync(join(dir, 'web.yml'), `basic_auth_users:\n${Object.entries(users).map(([u, h]) => `  ${u}: "${h}"`).join('\n')}\n`);
  const refused: string[] = [];
  const app = express();
  app.get('/healthz', (_q, r) => void r.send('ok'));
  app.use(basicAuth(new WebConfigWatcher(join(dir, 'web.yml')), { checker: checker as PasswordChecker, budget, onRefused: (r) => refused.push(r) }));
  app.get('/metrics', (_q, r) => void r.send('metrics'));
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, refused, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const counting = (verdict: (p: string, h: string | null) => Verdict) => {
  const calls: { hash: string | null; cost: number }[] = [];
  return { calls, check: async (p: string, hash: string | null, cost: number) => { calls.push({ hash, cost }); return verdict(p, hash); } };
};

describe('basic auth under attack', () => {
  it('spends an address\'s failure budget, then refuses it with 429 and Retry-After without checking', async () => {
    const checker = counting(() => 'bad_credentials');
    const s = await serve({ prometheus: bcrypt.hashSync('right', 4) }, checker, new FailureBudget(5, 60_000));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await fetch(`${s.url}/metrics`, { headers: basic('prometheus', `wrong-${i}`) })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      expect(checker.calls).toHaveLength(5);
      const throttled = await fetch(`${s.url}/metrics`, { headers: basic('prometheus', 'right') });
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(s.refused.filter((r) => r === 'throttled')).toHaveLength(4);
    } finally { await s.close(); }
  });

  it('checks unknown users against a dummy of the configured cost, not a fixed one', async () => {
    const checker = counting(() => 'bad_credentials');
    const s = await serve({ prometheus: bcrypt.hashSync('right', 5) }, checker);
    try {
      await fetch(`${s.url}/metrics`, { headers: basic('nobody', 'x') });
      expect(checker.calls).toEqual([{ hash: null, cost: 5 }]);
      expect(bcryptCost('$2y$12$abcdefghijklmnopqrstuu')).toBe(12);
    } finally { await s.close(); }
  });

  it('runs bcrypt off the event loop: the exporter answers while a slow check is in progress', async () => {
    const checker = new PasswordChecker(4);
    const s = await serve({ prometheus: bcrypt.hashSync('right', 13) }, checker, new FailureBudget(100));
    try {
      const order: string[] = [];
      const slow = fetch(`${s.url}/metrics`, { headers: basic('prometheus', 'wrong') }).then((r) => order.push(`metrics ${r.status}`));
      await new Promise((r) => setTimeout(r, 50));
      await fetch(`${s.url}/healthz`).then((r) => order.push(`healthz ${r.status}`));
      await slow;
      expect(order).toEqual(['healthz 200', 'metrics 401']);
    } finally { await s.close(); await checker.close(); }
  });

  it('bounds the queue of checks: beyond it a request gets 503 at once, and a right password still passes later', async () => {
    const checker = new PasswordChecker(2);
    const s = await serve({ prometheus: bcrypt.hashSync('right', 12) }, checker, new FailureBudget(100));
    try {
      const statuses = await Promise.all(Array.from({ length: 6 }, (_, i) => fetch(`${s.url}/metrics`, { headers: basic('prometheus', `wrong-${i}`) }).then((r) => r.status)));
      expect(statuses.filter((x) => x === 503).length).toBeGreaterThanOrEqual(1);
      expect(statuses.filter((x) => x === 503 || x === 401)).toHaveLength(6);
      expect(statuses.filter((x) => x === 401).length).toBeGreaterThanOrEqual(1);
      expect(s.refused.filter((r) => r === 'busy').length).toBe(statuses.filter((x) => x === 503).length);
      expect((await fetch(`${s.url}/metrics`, { headers: basic('prometheus', 'right') })).status).toBe(200);
    } finally { await s.close(); await checker.close(); }
  });
});

describe('the global password-check rate', () => {
  it('turns checks beyond perSecond away as busy, and lets them through again as time passes', async () => {
    let t = 0;
    const checker = new PasswordChecker(100, 2, () => t);
    try {
      const hash = bcrypt.hashSync('right', 4);
      const first = await Promise.all(Array.from({ length: 5 }, () => checker.check('wrong', hash, 4)));
      expect(first.filter((v) => v === 'busy')).toHaveLength(3);
      expect(first.filter((v) => v === 'bad_credentials')).toHaveLength(2);
      t += 500;
      expect(await checker.check('right', hash, 4)).toBe('ok');
      expect(await checker.check('right', hash, 4)).toBe('busy');
    } finally { await checker.close(); }
  });
});

describe.runIf(process.platform === 'linux')('the password worker\'s CPU priority', () => {
  it('runs bcrypt in a thread at nice 19, the event loop at its own priority', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const nice = () => readdirSync('/proc/self/task').map((t) => Number(readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]));
    const before = nice().filter((n) => n === 19).length;
    const checker = new PasswordChecker(4);
    try {
      expect(await checker.check('right', bcrypt.hashSync('right', 4), 4)).toBe('ok');
      expect(nice().filter((n) => n === 19).length).toBe(before + 1);
      // This thread (the event loop) keeps its priority.
      expect((await import('node:os')).getPriority(0)).toBe(0);
    } finally { await checker.close(); }
  });
});
