// The demo workload: prediction records of a fraud classifier and a support assistant written
// as JSONL logs (the example config's field mapping), delayed fraud labels, user feedback and
// the spend a billing API will report.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../stats/profile.js';
import type { Timeline } from './timeline.js';

const MERCHANTS = ['grocery', 'travel', 'electronics', 'gaming', 'other'];
const COUNTRIES = ['GB', 'US', 'DE', 'FR', 'ES', 'IT', 'NL'];
export const FRAUD_VERSION = '2026-11-15';
/** The fraud classifier's live versions: the stable one takes 80 % of traffic, the canary (FRAUD_VERSION) the rest. */
export const FRAUD_STABLE = '2026-10-01';
const CHANNELS = [['web', 0.5], ['app', 0.35], ['pos', 0.15]] as const;
export const LLM_VERSIONS = ['v3', 'v4'];

export interface FraudFeatures { amount: number | null; account_age_days: number | null; merchant_category: string; country: string }

export class Workload {
  private readonly random: () => number;
  private seq = 0;
  private readonly pendingLabels: { due: number; line: string }[] = [];
  /** Spend per UTC day (its start, in seconds) from LLM records, which the fake billing API reports. */
  readonly spend = new Map<number, number>();
  /** The calm spend per second of the support assistant: 5 requests of ~180 + 80 tokens. */
  static readonly CALM_USD_PER_SECOND = 5 * (180 * 0.4 + 80 * 1.6) / 1e6;

  constructor(private readonly dir: string, private readonly timeline: Timeline, seed = 7) {
    this.random = prng(seed);
    mkdirSync(dir, { recursive: true });
  }

  private normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.random())) * Math.cos(2 * Math.PI * this.random());
  }

  /** Features of one transaction in the calm regime (also used to build the baseline). */
  calmFeatures(): FraudFeatures {
    return {
      amount: Math.round(Math.exp(4 + this.normal()) * 100) / 100,
      account_age_days: Math.floor(this.random() * 3000),
      merchant_category: MERCHANTS[Math.floor(this.random() * MERCHANTS.length)] as string,
      country: COUNTRIES[Math.min(COUNTRIES.length - 1, Math.floor(-Math.log(1 - this.random()) * 1.5))] as string,
    };
  }

  /** Where a transaction came from (the fraud classifier's segment). */
  private channel(): string {
    let r = this.random();
    for (const [name, share] of CHANNELS) {
      if (r < share) return name;
      r -= share;
    }
    return 'web';
  }

  /** The model: riskier for large amounts and young accounts. */
  static score(f: FraudFeatures): number {
    const z = -4 + 0.012 * Math.min(f.amount ?? 50, 500) + (f.account_age_days !== null && f.account_age_days < 60 ? 1.5 : 0);
    return 1 / (1 + Math.exp(-z));
  }

  private fraudRecord(now: number): string {
    const t = this.timeline;
    const f = this.calmFeatures();
    if (t.active('feature_drift')) {
      f.amount = f.amount === null ? null : Math.round(f.amount * 3 * 100) / 100;
      if (this.random() < 0.6) f.country = 'US';
    }
    if (t.active('nulls') && this.random() < 0.8) f.account_age_days = null;
    if (this.random() < 0.002) f.amount = -999;
    const score = Workload.score(f);
    const label = score > 0.5 ? 'fraud' : 'legit';
    const id = `fraud-${this.seq++}`;
    // Calm errors well inside the 99.5 % SLO (a fifth of its budget), so no budget alert fires.
    const failed = this.random() < (t.active('error_burst') ? 0.12 : 0.001);
    const latency = Math.exp(Math.log(0.02) + 0.4 * this.normal()) * (t.active('latency_spike') && this.random() < 0.3 ? 30 : 1);
    // The model is right 98% of the time, until the accuracy incident.
    const flip = this.random() < (t.active('accuracy_drop') ? 0.6 : 0.02);
    const truth = (label === 'fraud') !== flip ? 'fraud' : 'legit';
    this.pendingLabels.push({ due: now + 5 + this.random() * 20, line: JSON.stringify({ labelled_at: new Date((now + 10) * 1000).toISOString(), request_id: id, is_fraud: truth }) });
    return JSON.stringify({
      ts: new Date(now * 1000).toISOString(), request_id: id, model: 'fraud-classifier', model_version: this.random() < 0.8 ? FRAUD_STABLE : FRAUD_VERSION,
      channel: this.channel(), features: f,
      // score is P(fraud); confidence is the probability of the predicted class, as modelwatch reads it.
      output: failed ? {} : { label, score: Math.round(score * 1e4) / 1e4, confidence: Math.round(Math.max(score, 1 - score) * 1e4) / 1e4 }, latency_seconds: Math.round(latency * 1e4) / 1e4,
      ...(failed ? { error_type: t.active('error_burst') ? 'server_error' : 'timeout' } : {}),
    });
  }

  private llmRecord(now: number): string {
    const t = this.timeline;
    const prompt = Math.max(1, Math.round((180 + 60 * this.normal()) * (t.active('cost_spike') ? 20 : 1)));
    const completion = Math.max(5, Math.round(80 + 30 * this.normal()));
    const cost = (prompt * 0.4 + completion * 1.6) / 1e6;
    const day = Math.floor(now / 86400) * 86400;
    this.spend.set(day, (this.spend.get(day) ?? 0) + cost);
    const limited = this.random() < 0.002;
    const liked = this.random() < 0.85;
    // Answer quality as the application logs it: about 9 in 10 resolved, 1 in 25 flagged by the judge as not grounded.
    const hallucinated = this.random() < 0.04;
    const evaluation = { outcome: { resolved: this.random() < 0.9 }, eval: { judge: !hallucinated && this.random() < 0.95 ? 'pass' : 'fail', hallucination: hallucinated } };
    return JSON.stringify({
      ts: new Date(now * 1000).toISOString(), request_id: `chat-${this.seq++}`, channel: this.random() < 0.7 ? 'web' : 'app', model: 'support-assistant', model_version: LLM_VERSIONS[this.seq % 4 === 0 ? 1 : 0],
      output: limited ? {} : { label: 'answer' }, latency_seconds: Math.round(Math.exp(Math.log(1.5) + 0.3 * this.normal()) * 1000) / 1000,
      usage: { prompt_tokens: prompt, completion_tokens: completion }, cost_usd: Math.round(cost * 1e8) / 1e8,
      ...(limited ? { error_type: 'rate_limited' } : {}),
      ...(limited ? {} : evaluation),
      ...(this.random() < 0.3 ? { feedback: { thumbs_up: liked, rating: liked ? 4 + Math.round(this.random()) : 1 + Math.floor(this.random() * 3) } } : {}),
    });
  }

  /** Writes one second of traffic (at the demo's speed) and the labels that came due. */
  tick(now: number, fraudPerSecond = 20, llmPerSecond = 5): void {
    const fraud = Array.from({ length: fraudPerSecond }, () => this.fraudRecord(now));
    const llm = Array.from({ length: llmPerSecond }, () => this.llmRecord(now));
    appendFileSync(join(this.dir, 'predictions-demo.jsonl'), `${[...fraud, ...llm].join('\n')}\n`);
    const due = this.pendingLabels.filter((l) => l.due <= now);
    if (due.length) {
      appendFileSync(join(this.dir, 'fraud-labels-demo.jsonl'), `${due.map((l) => l.line).join('\n')}\n`);
      this.pendingLabels.splice(0, this.pendingLabels.length, ...this.pendingLabels.filter((l) => l.due > now));
    }
  }
}
