// bcrypt off the event loop. A wrong password costs 70-90 ms of CPU at cost 10 (on purpose);
// done on the main thread, a handful of attackers stall every scrape and every poll. Checks run
// in one worker thread with a bounded queue and a global rate (beyond either: turned away at
// once), and each client address has a failure budget (spent: turned away without any bcrypt).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Cost of a bcrypt hash ($2b$10$... -> 10). */
export const bcryptCost = (hash: string): number => Number(/^\$2[aby]\$(\d\d)\$/.exec(hash)?.[1] ?? 10);

// CommonJS in an eval'd worker, so it runs the same from src/ (tests) and dist/ (the image).
const WORKER = (bcryptPath: string) => `
const { parentPort } = require('node:worker_threads');
const bcrypt = require(${JSON.stringify(bcryptPath)});
// The lowest CPU priority for this thread only (Linux nice values are per thread): a guesser's
// hashes get the CPU the event loop leaves over, never the time a scrape needs.
try { require('node:os').setPriority(0, 19); } catch {}
const dummies = new Map();
parentPort.on('message', ({ id, password, hash, cost }) => {
  // Unknown users are compared against a dummy of the configured cost: the same time as a known one.
  if (hash === null && !dummies.has(cost)) dummies.set(cost, bcrypt.hashSync('modelwatch-dummy-password', cost));
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash ?? dummies.get(cost)) && hash !== null; } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});`;

export type Verdict = 'ok' | 'bad_credentials' | 'busy';

export class PasswordChecker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, (ok: boolean) => void>();
  private seq = 0;
  private tokens: number;
  private refilled: number;

  /**
   * At most `perSecond` checks a second across all clients (a token bucket, bursts up to that
   * many): at cost 10 that bounds the worker to about a third of a core whatever the number of
   * attacking addresses. Prometheus is checked once and then cached, so it never waits for one.
   */
  constructor(private readonly maxQueue = 8, private readonly perSecond = 4, private readonly now = () => performance.now()) {
    this.tokens = perSecond;
    this.refilled = now();
  }

  private take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((t - this.refilled) / 1000) * this.perSecond);
    this.refilled = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER(createRequire(import.meta.url).resolve('bcryptjs')), { eval: true });
    w.unref();
    w.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
      this.pending.get(id)?.(ok);
      this.pending.delete(id);
    });
    w.on('error', () => this.fail());
    w.on('exit', () => this.fail());
    return (this.worker = w);
  }

  /** A dead worker fails every pending check (closed), and the next check starts a new one. */
  private fail(): void {
    for (const done of this.pending.values()) done(false);
    this.pending.clear();
    this.worker = null;
  }

  /** hash null: an unknown user, compared against a dummy hash of `cost` so it takes as long. */
  async check(password: string, hash: string | null, cost: number): Promise<Verdict> {
    if (this.pending.size >= this.maxQueue || !this.take()) return 'busy';
    const id = ++this.seq;
    const ok = await new Promise<boolean>((resolve) => {
      this.pending.set(id, resolve);
      this.start().postMessage({ id, password, hash, cost });
    });
    return ok ? 'ok' : 'bad_credentials';
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}

/** Failures allowed per client address within the window before it is turned away unchecked. */
export class FailureBudget {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly limit = 10, private readonly windowMs = 60_000, private readonly now = () => Date.now()) {}

  /** Seconds until the address may try again, or 0 when it may now. */
  retryAfter(address: string): number {
    const recent = this.prune(address);
    return recent.length < this.limit ? 0 : Math.ceil(((recent[0] as number) + this.windowMs - this.now()) / 1000);
  }

  fail(address: string): void {
    const recent = this.prune(address);
    recent.push(this.now());
    this.failures.set(address, recent);
    // Bounded memory under a spray of addresses: forget the oldest.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  private prune(address: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const recent = (this.failures.get(address) ?? []).filter((t) => t > cutoff);
    if (recent.length) this.failures.set(address, recent); else this.failures.delete(address);
    return recent;
  }
}
