// Background polling. Each job runs on its own interval with jitter, never overlapping itself,
// under a hard timeout shorter than the interval. Within a cycle a transient failure is retried
// once; between cycles failures back off (full jitter, interval to 10x interval), a Retry-After
// is honoured by skipping cycles (even above 60 s), and a circuit breaker opens after 5
// consecutive failed cycles. Retry, backoff and breaker come from cockatiel.
import type { Job } from '../sources/job.js';
import {
  BrokenCircuitError, CircuitState, ConsecutiveBreaker, ConstantBackoff, ExponentialBackoff, circuitBreaker, fullJitterGenerator,
  handleAll, handleWhen, retry, wrap, type IBackoff, type IPolicy,
} from 'cockatiel';
import type { Logger } from 'pino';
import { isTransient, SourceError } from '../sources/errors.js';
import type { MetricSet } from './metrics.js';

export interface SchedulerOptions {
  readonly metrics: MetricSet;
  readonly logger: Logger;
  /** Called after every poll, successful or not (the exposition refreshes from it). */
  readonly onPolled: () => void;
  readonly jitterRatio?: number;
  readonly random?: () => number;
  /** What the scheduler before a reload knew about each source (see handOver). */
  readonly carried?: ReadonlyMap<string, CarriedState>;
}

/**
 * A source's standing across a reload: an open breaker stays open, a backoff keeps growing, a
 * Retry-After keeps being honoured. A reload must not be a way around an API's rate limit.
 */
export interface CarriedState {
  readonly breaker: unknown;
  readonly backoff: IBackoff<unknown> | undefined;
  readonly lastError: unknown;
  /** When the next poll was due (ms since the epoch). */
  readonly nextAt: number | undefined;
}

interface JobState {
  readonly job: Job;
  readonly policy: IPolicy;
  readonly breaker: { toJSON(): unknown };
  nextAt: number | undefined;
  backoff: IBackoff<unknown> | undefined;
  timer: NodeJS.Timeout | undefined;
  inFlight: Promise<void> | undefined;
  controller: AbortController | undefined;
}

const reasonOf = (e: unknown): SourceError['reason'] =>
  e instanceof BrokenCircuitError ? 'circuit_open' : e instanceof SourceError ? e.reason : 'other';

export class Scheduler {
  private readonly states: JobState[] = [];
  private readonly lastError = new WeakMap<JobState, unknown>();
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {}

  add(job: Job): void {
    if (job.timeoutSeconds >= job.intervalSeconds) throw new Error(`${job.id}: timeout must be shorter than the interval`);
    const ms = job.intervalSeconds * 1000;
    const carried = this.o.carried?.get(job.id);
    const breaker = circuitBreaker(handleAll, {
      halfOpenAfter: new ExponentialBackoff({ initialDelay: ms * 2, maxDelay: ms * 10 }),
      breaker: new ConsecutiveBreaker(5),
      ...(carried ? { initialState: carried.breaker } : {}),
    });
    breaker.onBreak(() => this.o.metrics.set('sourceCircuitOpen', { source: job.id, kind: job.kind }, 1));
    breaker.onReset(() => this.o.metrics.set('sourceCircuitOpen', { source: job.id, kind: job.kind }, 0));
    // One retry, soon enough to fit inside the poll's timeout.
    const once = retry(handleWhen(isTransient), { maxAttempts: 1, backoff: new ConstantBackoff(Math.min(500, (job.timeoutSeconds * 1000) / 5)) });
    const labels = { source: job.id, kind: job.kind };
    this.o.metrics.set('sourceUp', labels, 0);
    this.o.metrics.set('sourceCircuitOpen', labels, breaker.state === CircuitState.Open ? 1 : 0);
    this.o.metrics.touch('sourceErrors', { ...labels, reason: 'other' });
    const state: JobState = { job, policy: wrap(breaker, once), breaker, nextAt: carried?.nextAt, backoff: carried?.backoff, timer: undefined, inFlight: undefined, controller: undefined };
    if (carried?.lastError !== undefined) this.lastError.set(state, carried.lastError);
    this.states.push(state);
  }

  start(): void {
    const now = Date.now();
    // A source carried over a reload keeps its due time; a new one starts soon, with jitter.
    for (const s of this.states) this.schedule(s, s.nextAt !== undefined ? Math.max(0, s.nextAt - now) : this.jitter(s.job.intervalSeconds * 1000) * 0.1);
  }

  /** Each source's breaker, backoff, last error and due time, for the scheduler after a reload. */
  handOver(): Map<string, CarriedState> {
    return new Map(this.states.map((s) => [s.job.id, { breaker: s.breaker.toJSON(), backoff: s.backoff, lastError: this.lastError.get(s), nextAt: s.nextAt }]));
  }

  /** Runs one poll of every job now and waits for them (tests, and the first refresh). */
  async pollAll(): Promise<void> {
    await Promise.all(this.states.map((s) => this.poll(s)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.states) {
      clearTimeout(s.timer);
      s.controller?.abort();
    }
    await Promise.allSettled(this.states.map((s) => s.inFlight));
  }

  private jitter(ms: number): number {
    const ratio = this.o.jitterRatio ?? 0.1;
    return ms * (1 - ratio + 2 * ratio * (this.o.random ?? Math.random)());
  }

  /** The delay before the next poll of a job, as last scheduled (ms). */
  plannedDelayMs(id: string): number | undefined {
    return this.planned.get(id);
  }

  private readonly planned = new Map<string, number>();

  private schedule(s: JobState, delayMs: number): void {
    // Recorded even when stopped: a poll that ends during a reload still says when the source
    // may be asked again (a Retry-After), and handOver passes it on.
    this.planned.set(s.job.id, delayMs);
    s.nextAt = Date.now() + delayMs;
    if (this.stopped) return;
    s.timer = setTimeout(() => void this.poll(s).then(() => this.schedule(s, this.nextDelay(s))), delayMs);
    s.timer.unref();
  }

  private nextDelay(s: JobState): number {
    const ms = s.job.intervalSeconds * 1000;
    const e = this.lastError.get(s);
    if (e === undefined) {
      s.backoff = undefined;
      return this.jitter(ms);
    }
    s.backoff = s.backoff ? s.backoff.next(undefined) : new ExponentialBackoff({ initialDelay: ms, maxDelay: ms * 10, generator: fullJitterGenerator }).next();
    const backoff = Math.max(ms, s.backoff.duration);
    const retryAfter = e instanceof SourceError && e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : 0;
    return Math.max(backoff, retryAfter);
  }

  private poll(s: JobState): Promise<void> {
    // No overlap: a poll still running is the poll of this cycle.
    if (s.inFlight) return s.inFlight;
    const labels = { source: s.job.id, kind: s.job.kind };
    const started = performance.now();
    const controller = new AbortController();
    s.controller = controller;
    const deadline = setTimeout(() => controller.abort(new SourceError('timeout', 'poll timed out')), s.job.timeoutSeconds * 1000);
    s.inFlight = s.policy.execute(({ signal }) => s.job.run(AbortSignal.any([signal, controller.signal])), controller.signal)
      .then(() => {
        this.lastError.delete(s);
        this.o.metrics.set('sourceUp', labels, 1);
        this.o.metrics.set('sourceLastSuccess', labels, Date.now() / 1000);
      }, (e: unknown) => {
        this.lastError.set(s, e);
        const reason = controller.signal.aborted ? 'timeout' : reasonOf(e);
        this.o.metrics.set('sourceUp', labels, 0);
        this.o.metrics.inc('sourceErrors', { ...labels, reason });
        this.o.logger.warn({ source: s.job.id, kind: s.job.kind, reason, err: (e as Error).message }, 'poll failed');
      })
      .finally(() => {
        clearTimeout(deadline);
        this.o.metrics.set('sourcePollDuration', labels, (performance.now() - started) / 1000);
        s.inFlight = undefined;
        s.controller = undefined;
        this.o.onPolled();
      });
    return s.inFlight;
  }
}
