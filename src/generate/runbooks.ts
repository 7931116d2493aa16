// runbooks/<alert>.md: one per alert, written for someone woken at 3 a.m. (DESIGN.md §6).
import type { Model } from '../config/index.js';
import { textArtifact, header, type Artifact } from './artifact.js';
import { alertFamilies, runbookName, type AlertFamily } from './prometheus/index.js';
import { tierOf } from '../catalog/alerts.js';

interface Guide { checks: string[]; causes: string[]; actions: string[] }

const ROLLBACK = 'Decide on rollback: a data problem means roll back the model and fix the pipeline; a model problem means roll back and investigate the training data; an infrastructure problem means scale out or restart.';
const DRIFT: Guide = {
  checks: ['Open the Data quality & drift dashboard and find which features moved, since when, and by how much (PSI, KS D and its upper bound).', 'Compare the window sample count with the baseline: small windows make statistics noisy.', 'Run the golden set against the live endpoint to see whether quality actually dropped.'],
  causes: ['A real change in the population (season, campaign, new market).', 'A pipeline change: renamed fields, new units, sentinel values such as -999 standing in for missing data.', 'A stale or partial feed that makes the window unrepresentative.'],
  actions: ['If the inputs really drifted and quality is dropping: plan a retrain or a prompt update.', 'If the pipeline changed: fix it upstream and backfill, then confirm the statistic returns to normal.', ROLLBACK],
};
const QUALITY: Guide = {
  checks: ['Open the Data quality & drift dashboard: which feature, which failure kind, since when.', 'Inspect a few recent raw prediction records in the log store for the feature.', 'Check recent deployments of the feature pipeline and of upstream services.'],
  causes: ['An upstream service stopped sending a field or changed its type or units.', 'A new category appeared that the config does not list.', 'A sentinel value (for example -999) introduced for missing data.'],
  actions: ['Fix the producer or add the new category to the config if it is legitimate.', 'If predictions are being made on broken inputs, switch to the fallback (rules or a previous model).', ROLLBACK],
};
const GUIDES: Record<string, Guide> = {
  ModelwatchHighErrorRatio: {
    checks: ['Check the model server or provider status page.', 'Look at the last deployment or model version change (Model detail dashboard, version annotations).', 'Break errors down by model, version and failure type (Overview: errors by failure type).'],
    causes: ['A bad deployment or model version.', 'The provider is down or rate limiting (rate_limited, server_error).', 'Malformed inputs after an upstream change (client_error, invalid_output).'],
    actions: ['Roll back if a deployment caused it.', 'Switch to the fallback (cached answers, alternate provider or simpler model) if the provider is down.', 'Raise rate limits or shed load if the cause is 429s.'],
  },
  ModelwatchErrorBudgetFastBurn: { checks: ['Same first checks as ModelwatchHighErrorRatio: status page, last deployment, errors by failure type.'], causes: ['A sustained error rate that will exhaust the SLO budget within days.'], actions: ['Treat as an incident: roll back or fail over now.', 'Record the budget spent in the incident review.'] },
  ModelwatchErrorBudgetSlowBurn: { checks: ['Find the failure types that make up the slow burn.'], causes: ['A low but persistent error rate: a flaky dependency, a class of inputs that always fails.'], actions: ['Open a ticket and fix the cause within the week.', 'Consider whether the SLO target is realistic.'] },
  ModelwatchHighLatency: { checks: ['Compare p95 by version (Model detail) and traffic (Overview).', 'Check model-server saturation: queue length, GPU/CPU utilisation, batch sizes.'], causes: ['Traffic above capacity; a larger model version; longer prompts or outputs; a slow dependency.'], actions: ['Scale out the model server.', 'Roll back a slower version.', 'Cap output tokens or route to a faster model.'] },
  ModelwatchTimeToFirstTokenHigh: { checks: ['Open the Serving engine row (Model detail): queue time, requests waiting and KV-cache usage tell whether requests wait for a slot or the prefill itself is slow.', 'Compare prompt lengths (tokens per request) with last week: long prompts make a slow prefill.'], causes: ['More requests than the engine has KV-cache blocks for (they queue); longer prompts; a larger model or a lower tensor parallelism after a deployment; a GPU shared with another workload.'], actions: ['Scale out replicas or raise the KV-cache share (gpu_memory_utilization); cap prompt length or enable prefix caching; roll back a deployment that changed the engine settings.'] },
  ModelwatchServerSaturated: { checks: ['Open the Serving engine row (Model detail): which resource is full, since when, and whether requests are waiting.', 'Check whether time to first token and latency are already rising (ModelwatchTimeToFirstTokenHigh, ModelwatchHighLatency).'], causes: ['Traffic above the capacity of the replicas; long prompts or outputs holding KV-cache blocks; another workload on the same GPU.'], actions: ['Scale out before users feel it; shorten or cap outputs; move other workloads off the GPU. Raise kv_cache_usage_ratio or gpu_utilization_ratio if running this full is intended.'] },
  ModelwatchCanaryRegression: { checks: ['Open the Release comparison row (Model detail): error ratio and p95 latency by version since the new version started.', 'Break the new version\'s errors down by failure type; compare its inputs (a canary may get a different share of traffic).'], causes: ['A regression in the new model, prompt or serving configuration; a dependency only the new version calls; a canary routed a harder slice of traffic.'], actions: ['Hold or roll back the rollout; promote it only once the comparison is clean over a full hour.'] },
  ModelwatchPostDeployRegression: { checks: ['Which version started serving, and when (modelwatch_version_first_seen_timestamp_seconds; the version marks on every dashboard)?', 'Errors by failure type and by version since the change (Release comparison row).'], causes: ['A regression in the new version or its serving configuration; a dependency deployed at the same time; a schema change its inputs do not match.'], actions: ['Roll back to the previous version, then investigate with the canary comparison before the next rollout.'] },
  ModelwatchSegmentDisparity: { checks: ['Open the Segments row (Model detail): error ratio, latency and traffic by segment; since when does this segment stand out?', 'Break its errors down by failure type and version: a version rolled out to this segment first, or inputs only it sends?'], causes: ['An upstream client or region of this segment changed (new app release, new payload, new locale); a dependency only this segment reaches; inputs the model was never trained on.'], actions: ['Contact the owners of the segment\'s clients; roll back a version that reached it first; route the segment to a fallback while it is fixed.'] },
  ModelwatchThroughputDrop: { checks: ['Is the drop real or is the log feed stale (ModelwatchStaleFeed)?', 'Check the calling services and their deployments.'], causes: ['An upstream outage or routing change; a client-side feature flag; logging broke rather than traffic.'], actions: ['Contact the calling team; fix the log pipeline if only logging broke.'] },
  ModelwatchSatisfactionDrop: { checks: ['Read recent negative feedback; compare by version.'], causes: ['A new model or prompt version; a content or policy change; a changed user population.'], actions: ['Roll back the version if it correlates; review prompts and golden-set results.'] },
  ModelwatchEndpointDown: { checks: ['Probe the readiness URL by hand (for OIP v2: /v2/health/ready and /v2/models/<name>/ready).', 'Check pods, containers and model loading logs.'], causes: ['The model failed to load; out of memory; the server crashed; network or DNS change.'], actions: ['Restart or reschedule the model server.', 'Fail over to the fallback model.', 'Drift, quality and accuracy alerts of this model are inhibited while it is down.'] },
  ModelwatchGoldenSetFailing: { checks: ['Look at which golden cases fail and what the model answered (exporter logs).', 'Compare pass ratio by version.'], causes: ['A regression in a new version or prompt; a changed output format; the golden set itself is out of date.'], actions: ['Roll back the version; update the golden set only if the expectation is wrong.'] },
  ModelwatchFeatureDrift: DRIFT,
  ModelwatchFeatureDriftKs: DRIFT,
  ModelwatchPredictionDrift: { ...DRIFT, causes: ['Input drift that moved the outputs.', 'A changed model version or threshold.', 'A change in the mix of segments calling the model.'] },
  ModelwatchFeatureNulls: QUALITY,
  ModelwatchFeatureOutOfRange: QUALITY,
  ModelwatchSchemaViolations: QUALITY,
  ModelwatchLowConfidence: { checks: ['Check drift of the inputs and of the score.', 'Compare confidence by version.'], causes: ['Inputs unlike the training data; a new version with a different calibration.'], actions: ['Route low-confidence cases to review or a fallback; plan a retrain.'] },
  ModelwatchStaleFeed: { checks: ['Is the model receiving traffic (endpoint, upstream)?', 'Is the log writer running and the log store reachable (ModelwatchSourceDown)?'], causes: ['The logging pipeline broke; the model gets no traffic; a log rotation path changed.'], actions: ['Fix the log pipeline; drift alerts are inhibited meanwhile.'] },
  ModelwatchPredictionsAbsent: { checks: ['Check the log store path or query and the field mapping in the config (fields.model must match the model name).'], causes: ['A misconfigured log store or field mapping; the model never logged.'], actions: ['Fix the config and reload modelwatch.'] },
  ModelwatchLowAccuracy: { checks: ['Compare accuracy by version and check label coverage (labels may be biased early).', 'Check drift and data quality alerts for the same model.'], causes: ['Concept drift; input drift; a bad version; a label pipeline problem.'], actions: [ROLLBACK, 'Plan a retrain on recent labelled data.'] },
  ModelwatchLowPrecision: { checks: ['Open the confusion matrix (Model detail): which classes are predicted wrongly as the positive class?', 'Compare precision by version and check drift of the inputs and of the score.'], causes: ['A shifted population (more look-alike negatives); a new version with a lower decision threshold; a label pipeline problem.'], actions: ['Raise the decision threshold or roll back the version; plan a retrain on recent labelled data.'] },
  ModelwatchLowRecall: { checks: ['Open the confusion matrix (Model detail): which positives are missed, and as what?', 'Compare recall by version; check input drift and data quality of the same model.'], causes: ['New patterns the model never saw (fraud moves fast); a version with a higher threshold; a broken feature.'], actions: ['Lower the decision threshold if precision allows, or roll back; route uncertain cases to review; retrain on recent positives.'] },
  ModelwatchLowF1: { checks: ['Look at precision and recall separately (Model detail): which one moved?'], causes: ['See ModelwatchLowPrecision and ModelwatchLowRecall.'], actions: [ROLLBACK, 'Plan a retrain on recent labelled data.'] },
  ModelwatchLowClassRecall: { checks: ['Open the confusion matrix (Model detail): what are cases of this class predicted as?', 'Compare the class recall by version.'], causes: ['The class changed (new sub-types) or became rarer; a feature it depends on broke; a new version.'], actions: ['Roll back the version or add recent examples of the class to training data.'] },
  ModelwatchHighCalibrationError: { checks: ['Compare estimated and realised accuracy (Model detail): the estimate is only as good as the calibration.', 'Check drift of the score and of the inputs.'], causes: ['A new version with different score calibration; input drift; a change in the class balance.'], actions: ['Recalibrate the model (Platt or isotonic) on recent labelled data; rebuild the baseline from labelled data.', 'Treat estimated accuracy with caution until the error is back under its level.'] },
  ModelwatchLowEstimatedAccuracy: { checks: ['Is the estimate backed by a calibration map? modelwatch_estimation_calibration_labels says production, baseline or raw.', 'Check input drift and confidence by version; compare with realised accuracy once labels arrive.'], causes: ['The model is less sure of itself on new inputs (input drift); a new version; miscalibrated scores (see ModelwatchHighCalibrationError).'], actions: ['Treat as an early warning: look for drift and data quality problems now, confirm with labels as they arrive.', ROLLBACK] },
  ModelwatchHighMeanAbsoluteError: { checks: ['Compare MAE, RMSE and the mean error (bias) by version (Model detail): a bias means the model is off in one direction.', 'Check drift of the inputs and of the predictions.'], causes: ['The target moved (prices, seasonality); a feature broke or changed units; a new version.'], actions: [ROLLBACK, 'Retrain on recent labelled data; correct a systematic bias if the mean error explains the rise.'] },
  ModelwatchHighRootMeanSquaredError: { checks: ['RMSE rising faster than MAE means a few very large errors: find them in the prediction logs.', 'Check out-of-range values and sentinels of the inputs.'], causes: ['Outlier inputs (sentinels like -999, unit changes); a segment the model never saw.'], actions: ['Fix the inputs upstream; cap or route outlier inputs to a fallback; retrain.'] },
  ModelwatchErrorAboveBaseline: { checks: ['Compare MAE by version with modelwatch_baseline_quality{statistic="mae"}: the reference error the model had when it was profiled.'], causes: ['Drift since the baseline was built; a version worse than the profiled one.'], actions: ['If the baseline is old and the new error is accepted, rebuild the baseline; otherwise roll back or retrain.'] },
  ModelwatchTaskSuccessDrop: { checks: ['Compare task success, judge pass ratio and rating by version (Model detail, LLM answer quality): did a new model, prompt or retrieval version start it?', 'Read a sample of failed interactions in the log store: which intents fail?'], causes: ['A new model or prompt version; retrieval returning stale or wrong documents; a new kind of request the assistant was never tuned for; a tool or API it calls failing.'], actions: ['Roll back the version that correlates; fix the retrieval index or the failing tool; add the new intents to the golden set.'] },
  ModelwatchHallucinationRateHigh: { checks: ['Compare the hallucination ratio by version and read flagged answers next to their sources.', 'Check the retrieval pipeline: are the right documents found, is the index fresh?'], causes: ['Retrieval returning nothing or the wrong documents (the model fills the gap); a new model or prompt version with weaker grounding instructions; questions outside the knowledge base.'], actions: ['Roll back the version; repair or refresh the index; make the prompt refuse when sources are missing; route the affected intents to a human.'] },
  ModelwatchLabelsDelayed: { checks: ['Check the label source and its log store (ModelwatchSourceDown).'], causes: ['The label feed stopped; labels arrive later than usual (season, process change).'], actions: ['Fix the label feed; accuracy alerts are blind meanwhile.'] },
  ModelwatchHighCostRate: { checks: ['Compare tokens per request and requests per second of the model (Business & cost dashboard): longer prompts or more calls?', 'Look for one version, key or feature making most of the spend.'], causes: ['Prompts grew (a template change, retrieval returning more context, a conversation loop); a retry loop; a traffic surge or abuse; a price change.'], actions: ['Roll back the prompt or retrieval change; rate-limit the offending caller; raise cost_per_hour_usd if the new spend is intended.'] },
  ModelwatchDailyCostSpike: { checks: ['Find which model, project or line item grew (Business & cost dashboard).', 'Look for abuse: one key or project making most requests.'], causes: ['A launch or traffic growth; longer prompts; a retry loop; abuse.'], actions: ['Rate-limit the offending key or feature; correlate with launches and traffic.'] },
  ModelwatchBudgetForecastExceeded: { checks: ['Which source, model and project drive the trend?'], causes: ['Sustained growth in usage; a more expensive model.'], actions: ['Agree on a budget increase or cut usage (caching, smaller models, token caps).'] },
  ModelwatchCostEstimateGap: { checks: ['Compare the price table (prices in the config) with the provider\'s current prices.', 'Check that every model\'s records log tokens (or cost) and that billing_model names match the provider\'s model names.'], causes: ['Prices changed; cached-token discounts not in the table; traffic that bypasses the logs (batch jobs, other services on the same key).'], actions: ['Update prices and prices.as_of; log the missing traffic; give other services their own project or key.'] },
  ModelwatchPriceTableStale: { checks: ['Compare the price table with the providers\' current prices.'], causes: ['prices.as_of is older than 90 days.'], actions: ['Update prices in the config and regenerate.'] },
  ModelwatchSourceDown: { checks: ['Read modelwatch_source_errors_total{source} by reason and the exporter logs.', 'Check credentials (secret files) and network reachability.'], causes: ['Expired or rotated API key; rate limiting; the source is down.'], actions: ['Fix credentials or wait out the rate limit; cost alerts of a billing source are inhibited meanwhile.'] },
  ModelwatchExporterDown: { checks: ['Is the modelwatch container or pod running? Check its logs and /healthz.'], causes: ['Crash, OOM, bad config after a reload, network policy.'], actions: ['Restart the exporter; it resumes from its checkpoint.'] },
  ModelwatchWatchdog: { checks: ['Nothing to do while it fires: it always does. If the heartbeat service says it stopped arriving, check Prometheus (its /-/healthy and rule evaluation), Alertmanager (/-/healthy, its log) and the network between them and the heartbeat URL.'], causes: ['Prometheus or Alertmanager down, a broken route, or the heartbeat URL unreachable.'], actions: ['Restore the pipeline: until then no other alert reaches anyone.'] },
  ModelwatchPrometheusRuleFailures: { checks: ['Read the Prometheus log for "Evaluating rule failed" and the rule it names.', 'Query prometheus_rule_evaluation_failures_total by rule_group.'], causes: ['A rule whose query errors at run time (many-to-many matching after a label change, a query timeout on a heavy recording rule).'], actions: ['Fix or roll back the rule change; regenerate with modelwatch generate and reload Prometheus.'] },
  ModelwatchPrometheusNotificationsFailing: { checks: ['Query prometheus_notifications_errors_total by alertmanager and prometheus_notifications_dropped_total.', 'Is Alertmanager healthy (/-/healthy) and reachable from Prometheus?'], causes: ['Alertmanager down or overloaded; a network policy or DNS change; a queue full after a long outage.'], actions: ['Restore Alertmanager or the path to it; alerts fired meanwhile reached nobody: look at ALERTS in Prometheus.'] },
  ModelwatchPrometheusAlertmanagerUnreachable: { checks: ['Check alerting.alertmanagers in prometheus.yml and that the Alertmanager service resolves.'], causes: ['Alertmanager not deployed or renamed; service discovery changed.'], actions: ['Fix the Alertmanager address (prometheus.alertmanager in the modelwatch config) and reload Prometheus.'] },
  ModelwatchPrometheusConfigReloadFailed: { checks: ['Run promtool check config on the deployed prometheus.yml; read the Prometheus log.'], causes: ['An invalid rule or scrape config was deployed.'], actions: ['Deploy a config that passes promtool (modelwatch generate writes one) and reload.'] },
  ModelwatchAlertmanagerNotificationsFailing: { checks: ['Query alertmanager_notifications_failed_total by integration and reason; read the Alertmanager log.', 'This notification may not get through the failing integration: watch the heartbeat too.'], causes: ['A rotated or revoked PagerDuty routing key or Slack webhook; the provider is down; egress blocked.'], actions: ['Fix the secret file of the receiver and reload Alertmanager; meanwhile watch the Alertmanager UI.'] },
  ModelwatchAlertmanagerConfigReloadFailed: { checks: ['Run amtool check-config on the deployed alertmanager.yml; read the Alertmanager log.'], causes: ['An invalid config was deployed (a missing secret file, a bad matcher).'], actions: ['Deploy a config that passes amtool (modelwatch generate writes one) and reload.'] },
  ModelwatchConfigReloadFailed: { checks: ['Run modelwatch validate -c <config> on the deployed config; read the exporter log.'], causes: ['A config that does not validate, or one validate accepts but serve cannot start (a missing file or variable).'], actions: ['Fix the config and reload (SIGHUP or POST /-/reload); the exporter keeps the previous one meanwhile.'] },
  ModelwatchSeriesDropped: { checks: ['Query modelwatch_series_dropped_total by metric and modelwatch_series by metric.'], causes: ['A label value outside the configured sets grows (new versions or segments folded to other still count once); exporter.series_limit too low for the number of models and features.'], actions: ['List the versions and segments in the config; raise exporter.series_limit (below prometheus.sample_limit).'] },
  ModelwatchRecordsRejected: { checks: ['Query modelwatch_records_rejected_total by store and reason; read a few recent records of the store.'], causes: ['A producer writes invalid JSON or oversize lines; records name a model the config does not list (fields.model).'], actions: ['Fix the producer or the field mapping; add the model to the config if it is new.'] },
  ModelwatchLabelsExpiring: { checks: ['Compare the label delay histogram with the label source horizon; check modelwatch_labels_pending against max_pending.'], causes: ['Labels arrive later than the horizon; max_pending too small for the traffic; request ids that do not match between predictions and labels.'], actions: ['Raise horizon or max_pending, or fix the request id mapping; quality metrics meanwhile rest on the labels that arrive in time, which may be biased.'] },
  ModelwatchExporterAbsent: { checks: ['Check the Prometheus scrape config and service discovery for the exporter job.'], causes: ['The exporter is not deployed or the job name changed.'], actions: ['Redeploy the exporter or fix the scrape config.'] },
};

const list = (items: string[]) => items.map((i) => `- ${i}`).join('\n');

function runbook(model: Model, families: readonly AlertFamily[]): string {
  const f = families[0] as AlertFamily;
  const g = GUIDES[f.name];
  if (!g) throw new Error(`no runbook guidance for ${f.name}`);
  const severities = [...new Set(families.flatMap((x) => x.rules.map((r) => `${r.severity} → ${tierOf(x.name, r.severity, model.alerting.paging)}`)))].join(', ');
  const models = families.flatMap((x) => model.models.filter((m) => m.name === x.model));
  const watched = models.length ? `\n## Models it watches\n${list(models.map((m) => `**${m.name}** (${m.task})${m.description ? `: ${m.description}` : ''}${m.owner ? ` Owner: ${m.owner}.` : ''}`))}\n` : '';
  // The silence matches the labels the alert really carries: model only where the alert has one.
  const matchers = [`alertname=${f.name}`, ...(f.model ? ['model=<model>'] : [])].join(' ');
  return `<!-- ${header(model.configPath)} -->
# ${f.name}

**Severity → tier:** ${severities} · **Category:** ${f.category} · **Dashboard:** ${model.grafana.url}/d/${f.dashboard}

## What it means
${f.summary}
${watched}
## First checks
${list(g.checks)}

## Likely causes
${list(g.causes)}

## Actions
${list(g.actions)}

## Silence it
Planned work or a known cause:

\`\`\`sh
amtool silence add ${matchers} --alertmanager.url=${model.alerting.externalUrl} --duration=2h --comment="<why>"
\`\`\`

(or the Alertmanager UI). Change a threshold in the config under \`thresholds\` and regenerate; never edit generated rules.
`;
}

export function runbookArtifacts(model: Model): Artifact[] {
  const byName = new Map<string, AlertFamily[]>();
  for (const f of alertFamilies(model)) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
  return [...byName.values()].map((fs) => textArtifact(`runbooks/${runbookName((fs[0] as AlertFamily).name)}.md`, runbook(model, fs)));
}
