// The scripted incident timeline: a calm phase, then one incident after another, on repeat.
export const INCIDENTS = ['feature_drift', 'nulls', 'latency_spike', 'error_burst', 'accuracy_drop', 'cost_spike', 'endpoint_down'] as const;
export type Incident = (typeof INCIDENTS)[number];

const DESCRIPTIONS: Record<Incident | 'calm', string> = {
  calm: 'all normal',
  feature_drift: 'fraud-classifier inputs drift: amounts triple, traffic shifts to US',
  nulls: 'account_age_days arrives null for 40% of requests',
  latency_spike: 'fraud-classifier answers 20x slower',
  error_burst: '25% of fraud-classifier requests fail with server errors',
  accuracy_drop: 'fraud labels disagree with predictions 40% of the time',
  cost_spike: 'support-assistant prompts grow 8x; spend spikes',
  endpoint_down: 'the fraud-classifier endpoint reports not ready',
};

export class Timeline {
  private readonly started: number;

  /** phaseSeconds is real time per phase at speed 1; pinned incidents run all the time. */
  constructor(private readonly speed: number, private readonly phaseSeconds = 120, private readonly pinned: ReadonlySet<Incident> = new Set(), private readonly now = () => Date.now() / 1000) {
    this.started = now();
  }

  /** Which phase runs now: calm, then each incident in turn. */
  phase(): Incident | 'calm' {
    const n = Math.floor(((this.now() - this.started) * this.speed) / this.phaseSeconds) % (INCIDENTS.length + 1);
    return n === 0 ? 'calm' : (INCIDENTS[n - 1] as Incident);
  }

  active(i: Incident): boolean {
    return this.pinned.has(i) || (this.pinned.size === 0 && this.phase() === i);
  }

  describe(): string {
    if (this.pinned.size) return [...this.pinned].map((i) => `${i}: ${DESCRIPTIONS[i]}`).join('; ');
    const p = this.phase();
    return `${p}: ${DESCRIPTIONS[p]}`;
  }
}
