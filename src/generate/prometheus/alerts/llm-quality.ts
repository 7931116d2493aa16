// Alerts on LLM answer quality from logged evaluations: users' tasks failing and answers flagged
// as hallucinations. Symptoms (users get wrong or useless answers now), judged over the last hour
// and only once it holds enough evaluations to mean something.
import type { Levels, ModelSpec } from '../../../config/index.js';
import type { AlertName } from '../../../catalog/alerts.js';
import { M } from '../../../catalog/metrics.js';
import { DASHBOARDS } from '../../dashboards.js';
import { sel } from '../../promql.js';
import { R } from '../recording.js';
import { counter, TEST_JOB } from '../series.js';
import type { AlertFamily, InputSeries } from '../types.js';
import { thresholdFamily } from './threshold.js';
import { version } from './signals.js';

interface Spec {
  readonly name: AlertName;
  readonly summary: string;
  readonly what: string;
  readonly levels: Levels;
  readonly below: boolean;
  readonly metric: string;
  readonly counted: readonly [yes: string, no: string];
  readonly ratio: string;
  readonly rate: string;
}

function family(m: ModelSpec, s: Spec): AlertFamily | null {
  const n = m.thresholds.llmMinEvaluations;
  const v = version(m);
  const labels = { model: m.name };
  // 70 minutes at a steady mix: the hour-long rate window is full.
  const steps = 70;
  const perStep = Math.max(100, Math.ceil((2 * n) / 60));
  const mix = (share: number, per: number): InputSeries[] => [
    counter(s.metric, { model: m.name, version: v, outcome: s.counted[0] }, [[per * share, steps]]),
    counter(s.metric, { model: m.name, version: v, outcome: s.counted[1] }, [[per * (1 - share), steps]]),
  ];
  return thresholdFamily({
    name: s.name, domain: 'quality', category: 'accuracy', model: m.name, dashboard: DASHBOARDS.model.uid,
    summary: s.summary, levels: s.levels, below: s.below, unit: 'percent', forSeconds: 900,
    what: `${s.what} of {{ $labels.model }} over 1h (at least ${n} logged)`,
    expr: (lvl) => `${sel(s.ratio, labels)} ${lvl} and ${sel(s.rate, labels)} * 3600 >= ${n}`,
    scenario: {
      intervalSeconds: 60, evalSeconds: steps * 60, labels: { job: TEST_JOB.job, ...labels }, max: 1,
      series: (share) => mix(share, perStep),
      // Every evaluation in the hour going wrong, but fewer than the minimum: silent.
      noTraffic: mix(s.below ? 0 : 1, (n / 60) * 0.9),
    },
  });
}

export const llmQualityAlerts = (m: ModelSpec): (AlertFamily | null)[] => (m.logStore ? [
  family(m, {
    name: 'ModelwatchTaskSuccessDrop', summary: 'Users of an LLM succeed at their task less often than they should.',
    what: 'The task success ratio', levels: m.thresholds.taskSuccessRatio, below: true,
    metric: M.taskOutcomes.name, counted: ['success', 'failure'], ratio: R.taskSuccessRatio, rate: R.taskOutcomeRate,
  }),
  family(m, {
    name: 'ModelwatchHallucinationRateHigh', summary: 'An LLM\'s answers are flagged as hallucinations more often than its level.',
    what: 'The hallucination ratio', levels: m.thresholds.hallucinationRatio, below: false,
    metric: M.hallucinationChecks.name, counted: ['hallucinated', 'grounded'], ratio: R.hallucinationRatio, rate: R.hallucinationCheckRate,
  }),
] : []);
