// The scripted incident timeline: a calm phase, then one incident after another, on repeat. Each
// incident names the alert it must raise and where that alert goes; each phase is long enough for
// that alert to reach its receiver with the committed bundle (scrape 15s, evaluation 30s, the
// demo's for durations, Alertmanager's group_wait) at --speed 1, measured by scripts/demo-alerts.ts.
import type { AlertName, Tier } from '../catalog/alerts.js';
import type { Severity } from '../catalog/labels.js';

export const INCIDENTS = ['feature_drift', 'nulls', 'latency_spike', 'error_burst', 'accuracy_drop', 'cost_spike', 'engine_saturated', 'endpoint_down'] as const;
export type Incident = (typeof INCIDENTS)[number];
export type PhaseName = Incident | 'calm';

export const FRAUD = 'fraud-classifier';
export const ASSISTANT = 'support-assistant';
export const SUMMARIZER = 'ticket-summarizer';

/**
 * The alert an incident must raise: its name (or the one that stands for it: one page per
 * symptom; a ticket group already open for the other statistic of the same drift), model,
 * level and the tier it is routed to.
 */
export interface Expected { readonly alert: AlertName; readonly or?: AlertName; readonly model: string; readonly severity: Severity; readonly tier: Tier }

/** Whether a notification about `alerts` is the expected one. */
export const names = (e: Expected, alerts: readonly string[]) => alerts.includes(e.alert) || (e.or !== undefined && alerts.includes(e.or));

export interface Phase { readonly name: PhaseName; readonly seconds: number; readonly description: string; readonly expect: readonly Expected[] }

export const PHASES: readonly Phase[] = [
  { name: 'calm', seconds: 300, description: 'all normal', expect: [] },
  { name: 'feature_drift', seconds: 480, description: `${FRAUD} inputs drift: amounts triple, traffic shifts to US`, expect: [{ alert: 'ModelwatchFeatureDrift', or: 'ModelwatchFeatureDriftKs', model: FRAUD, severity: 'critical', tier: 'ticket' }] },
  { name: 'nulls', seconds: 480, description: 'account_age_days arrives null for 80% of requests', expect: [{ alert: 'ModelwatchFeatureNulls', model: FRAUD, severity: 'warning', tier: 'ticket' }] },
  { name: 'latency_spike', seconds: 300, description: `30% of ${FRAUD} requests answer 30x slower`, expect: [{ alert: 'ModelwatchHighLatency', model: FRAUD, severity: 'critical', tier: 'page' }] },
  { name: 'error_burst', seconds: 300, description: `12% of ${FRAUD} requests fail with server errors`, expect: [{ alert: 'ModelwatchHighErrorRatio', or: 'ModelwatchErrorBudgetFastBurn', model: FRAUD, severity: 'critical', tier: 'page' }] },
  { name: 'accuracy_drop', seconds: 540, description: 'fraud labels disagree with predictions 60% of the time', expect: [{ alert: 'ModelwatchLowAccuracy', model: FRAUD, severity: 'critical', tier: 'page' }] },
  { name: 'cost_spike', seconds: 420, description: `${ASSISTANT} prompts grow 20x; spend per hour spikes`, expect: [{ alert: 'ModelwatchHighCostRate', model: ASSISTANT, severity: 'warning', tier: 'ticket' }] },
  // The cause opens the ticket; the symptom users feel (time to first token about 3 s, a warning at
  // these levels) joins the same ticket group at its next group interval.
  { name: 'engine_saturated', seconds: 300, description: `the vLLM engine of ${SUMMARIZER} runs out of KV cache: requests queue, the first token takes ~3 s`, expect: [{ alert: 'ModelwatchServerSaturated', model: SUMMARIZER, severity: 'warning', tier: 'ticket' }] },
  { name: 'endpoint_down', seconds: 180, description: `the ${FRAUD} endpoint reports not ready`, expect: [{ alert: 'ModelwatchEndpointDown', model: FRAUD, severity: 'critical', tier: 'page' }] },
];

export const phaseOf = (name: PhaseName): Phase => PHASES.find((p) => p.name === name) as Phase;
export const CYCLE_SECONDS = PHASES.reduce((s, p) => s + p.seconds, 0);

export class Timeline {
  readonly started: number;
  private held: PhaseName | null = null;

  /** `speed` runs the timeline faster (and traffic with it); pinned incidents run all the time. */
  constructor(private readonly speed: number, private readonly pinned: ReadonlySet<Incident> = new Set(), private readonly now = () => Date.now() / 1000) {
    this.started = now();
  }

  /** Which phase runs now: calm, then each incident in turn. */
  phase(): PhaseName {
    if (this.held) return this.held;
    let t = ((this.now() - this.started) * this.speed) % CYCLE_SECONDS;
    for (const p of PHASES) {
      if (t < p.seconds) return p.name;
      t -= p.seconds;
    }
    return 'calm';
  }

  /** Holds one phase until released with null (a test stepping through incidents at its own pace). */
  hold(phase: PhaseName | null): void {
    this.held = phase;
  }

  active(i: Incident): boolean {
    return this.pinned.has(i) || (this.pinned.size === 0 && this.phase() === i);
  }

  describe(): string {
    if (this.pinned.size) return [...this.pinned].map((i) => `${i}: ${phaseOf(i).description}`).join('; ');
    const p = phaseOf(this.phase());
    return `${p.name}: ${p.description}`;
  }
}
