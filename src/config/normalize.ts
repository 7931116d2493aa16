// WrittenConfig -> Model: defaults resolved, durations in seconds, thresholds merged
// defaults -> config defaults -> model overrides. Only runs on a config that passed validation.
import { dirname, isAbsolute, resolve } from 'node:path';
import { DEFAULTS, DEFAULT_THRESHOLDS } from './defaults.js';
import { parseDuration } from './duration.js';
import type { Levels, Model, ModelSpec, Thresholds } from './model.js';
import { references } from './references.js';
import type { SecretRef, WrittenConfig, WrittenModel, WrittenThresholds } from './schema.js';
import { VERSION } from '../version.js';

/** Paths the exporter reads are resolved against the config's directory (absolute ones stay). */
type Resolve = (path: string) => string;
const resolveRef = (ref: SecretRef | undefined, at: Resolve): SecretRef | null =>
  ref ? (ref.file ? { file: at(ref.file) } : ref) : null;

/** Probes default to a 10 s timeout, shortened for intervals of 12.5 s and less so polls never overlap. */
export const defaultEndpointTimeout = (intervalSeconds: number): number =>
  Math.min(DEFAULTS.endpointTimeout, Math.floor(intervalSeconds * 800) / 1000);

const seconds = (text: string | undefined, fallback: number): number => (text === undefined ? fallback : parseDuration(text));

type LevelsIn = { warning?: number | null; critical?: number | null } | undefined;
const mergeLevels = (base: Levels, over: LevelsIn): Levels => ({
  warning: over?.warning === undefined ? base.warning : over.warning,
  critical: over?.critical === undefined ? base.critical : over.critical,
});

export function mergeThresholds(base: Thresholds, t: WrittenThresholds | undefined): Thresholds {
  if (!t) return base;
  return {
    errorRatio: mergeLevels(base.errorRatio, t.error_ratio),
    latencyP95Seconds: mergeLevels(base.latencyP95Seconds, t.latency_p95_seconds),
    latencyBaselineFactor: t.latency_baseline_factor ?? base.latencyBaselineFactor,
    throughputChangeRatio: t.throughput_change_ratio ?? base.throughputChangeRatio,
    featurePsi: mergeLevels(base.featurePsi, t.feature_psi),
    featureKs: mergeLevels(base.featureKs, t.feature_ks),
    predictionPsi: mergeLevels(base.predictionPsi, t.prediction_psi),
    driftMinSamples: t.drift_min_samples ?? base.driftMinSamples,
    driftFalseAlarmRate: t.drift_false_alarm_rate ?? base.driftFalseAlarmRate,
    nullRatio: mergeLevels(base.nullRatio, t.null_ratio),
    outOfRangeRatio: mergeLevels(base.outOfRangeRatio, t.out_of_range_ratio),
    schemaViolationRatio: mergeLevels(base.schemaViolationRatio, t.schema_violation_ratio),
    staleFeedSeconds: mergeLevels(base.staleFeedSeconds, t.stale_feed_seconds),
    accuracy: mergeLevels(base.accuracy, t.accuracy),
    accuracyMinLabels: t.accuracy_min_labels ?? base.accuracyMinLabels,
    precision: mergeLevels(base.precision, t.precision),
    recall: mergeLevels(base.recall, t.recall),
    f1: mergeLevels(base.f1, t.f1),
    classRecall: mergeLevels(base.classRecall, t.class_recall),
    calibrationError: mergeLevels(base.calibrationError, t.calibration_error),
    mae: mergeLevels(base.mae, t.mae),
    rmse: mergeLevels(base.rmse, t.rmse),
    errorBaselineFactor: mergeLevels(base.errorBaselineFactor, t.error_baseline_factor),
    labelLagSeconds: mergeLevels(base.labelLagSeconds, t.label_lag_seconds),
    lowConfidenceRatio: mergeLevels(base.lowConfidenceRatio, t.low_confidence_ratio),
    satisfactionDropRatio: t.satisfaction_drop_ratio ?? base.satisfactionDropRatio,
    goldenPassRatio: mergeLevels(base.goldenPassRatio, t.golden_pass_ratio),
    costPerHourUsd: mergeLevels(base.costPerHourUsd, t.cost_per_hour_usd),
    dailyCostIncreaseRatio: t.daily_cost_increase_ratio ?? base.dailyCostIncreaseRatio,
    canaryErrorFactor: t.canary_error_factor ?? base.canaryErrorFactor,
    canaryLatencyFactor: t.canary_latency_factor ?? base.canaryLatencyFactor,
    canaryMinPredictions: t.canary_min_predictions ?? base.canaryMinPredictions,
    canaryMinErrorRatio: t.canary_min_error_ratio ?? base.canaryMinErrorRatio,
    segmentErrorMargin: t.segment_error_margin ?? base.segmentErrorMargin,
    disparateImpactRatio: t.disparate_impact_ratio ?? base.disparateImpactRatio,
    segmentMinPredictions: t.segment_min_predictions ?? base.segmentMinPredictions,
    taskSuccessRatio: mergeLevels(base.taskSuccessRatio, t.task_success_ratio),
    hallucinationRatio: mergeLevels(base.hallucinationRatio, t.hallucination_ratio),
    llmMinEvaluations: t.llm_min_evaluations ?? base.llmMinEvaluations,
    ttftP95Seconds: mergeLevels(base.ttftP95Seconds, t.ttft_p95_seconds),
    kvCacheUsageRatio: t.kv_cache_usage_ratio ?? base.kvCacheUsageRatio,
    gpuUtilizationRatio: t.gpu_utilization_ratio ?? base.gpuUtilizationRatio,
    costEstimateGapRatio: t.cost_estimate_gap_ratio ?? base.costEstimateGapRatio,
  };
}

function normalizeModel(m: WrittenModel, defaults: Thresholds, at: Resolve): ModelSpec {
  const e = m.endpoint;
  const g = m.golden_set;
  const interval = seconds(e?.interval, DEFAULTS.endpointInterval);
  return {
    name: m.name,
    task: m.task,
    description: m.description ?? '',
    owner: m.owner ?? '',
    versions: m.versions ?? [],
    segments: m.segments ?? [],
    protectedSegments: m.protected_segments ?? [],
    endpoint: e ? {
      protocol: e.protocol,
      url: e.url.replace(/\/+$/, ''),
      modelName: e.model_name ?? m.name,
      healthPath: e.health_path ?? '/health',
      intervalSeconds: interval,
      timeoutSeconds: seconds(e.timeout, defaultEndpointTimeout(interval)),
      apiKey: resolveRef(e.api_key, at),
      metricsUrl: e.metrics_url ?? (e.metrics_path || e.server ? `${e.url.replace(/\/+$/, '')}${e.metrics_path ?? '/metrics'}` : null),
      server: e.server ?? null,
      gpuExporter: e.gpu_exporter ?? null,
    } : null,
    goldenSet: g ? { path: at(g.path), intervalSeconds: seconds(g.interval, DEFAULTS.goldenInterval), scorer: g.scorer, tolerance: g.tolerance ?? 0 } : null,
    logStore: m.log_store ?? null,
    labelSource: m.label_source ?? null,
    positiveClass: m.positive_class ?? null,
    classes: m.classes ?? [],
    recallClass: m.recall_class ?? m.positive_class ?? null,
    confidenceFloor: m.confidence_floor ?? DEFAULTS.confidenceFloor,
    baseline: m.baseline ? at(m.baseline) : null,
    driftWindowSeconds: seconds(m.drift_window, 3600),
    qualityWindowSeconds: seconds(m.quality_window, 86400),
    rollingReferenceSeconds: m.rolling_reference ? parseDuration(m.rolling_reference) : null,
    features: (m.features ?? []).map((f) => ({
      name: f.name, type: f.type, range: f.range ?? null, sentinels: f.sentinels ?? [], categories: f.categories ?? [],
    })),
    slo: m.slo ? { availability: m.slo.availability, windowSeconds: seconds(m.slo.window, DEFAULTS.sloWindow) } : null,
    billingModel: m.billing_model ?? m.name,
    thresholds: mergeThresholds(defaults, m.thresholds),
  };
}

export function normalize(c: WrittenConfig, configPath: string): Model {
  const defaults = mergeThresholds(DEFAULT_THRESHOLDS, c.defaults?.thresholds);
  const p = c.prometheus ?? {};
  const a = c.alerting ?? {};
  const bh = a.business_hours ?? {};
  const receivers = a.receivers ?? {};
  const configured = (['pagerduty', 'slack', 'email', 'webhook'] as const).filter((k) => receivers[k] !== undefined);
  const pick = (wanted: readonly ('pagerduty' | 'slack' | 'email' | 'webhook')[]) => wanted.filter((k) => configured.includes(k));
  const configDir = resolve(dirname(configPath));
  const at: Resolve = (path) => (isAbsolute(path) ? path : resolve(configDir, path));
  const web = c.exporter?.web;
  const k = c.kubernetes ?? {};
  return {
    configPath,
    configDir,
    references: references(c),
    kubernetes: {
      namespace: k.namespace ?? 'modelwatch',
      labels: k.labels ?? { release: 'kube-prometheus-stack' },
      storage: k.storage ?? '1Gi',
      storageClass: k.storage_class ?? null,
      logsClaim: k.logs_claim ?? 'modelwatch-logs',
    },
    exporter: {
      port: c.exporter?.port ?? DEFAULTS.exporterPort,
      host: c.exporter?.host ?? DEFAULTS.exporterHost,
      job: c.exporter?.job ?? DEFAULTS.job,
      stateDir: c.exporter?.state_dir ?? DEFAULTS.stateDir,
      seriesLimit: c.exporter?.series_limit ?? 40_000,
      seriesPerMetric: c.exporter?.series_per_metric ?? 10_000,
      seriesTtlSeconds: seconds(c.exporter?.series_ttl, 86400),
      image: c.exporter?.image ?? `ghcr.io/modelwatch/modelwatch:${VERSION}`,
      web: web ? { ...web, configFile: web.config_file ? at(web.config_file) : null } : null,
    },
    prometheus: {
      url: (p.url ?? DEFAULTS.prometheusUrl).replace(/\/+$/, ''),
      scrapeIntervalSeconds: seconds(p.scrape_interval, DEFAULTS.scrapeInterval),
      evaluationIntervalSeconds: seconds(p.evaluation_interval, DEFAULTS.evaluationInterval),
      retentionSeconds: seconds(p.retention, DEFAULTS.retention),
      sampleLimit: p.sample_limit ?? DEFAULTS.sampleLimit,
      alertmanager: p.alertmanager ?? DEFAULTS.alertmanager,
      remoteWrite: p.remote_write ?? [],
    },
    alerting: {
      runbookBaseUrl: (a.runbook_base_url ?? DEFAULTS.runbookBaseUrl).replace(/\/+$/, ''),
      externalUrl: (a.external_url ?? 'http://localhost:9093').replace(/\/+$/, ''),
      groupWaitSeconds: seconds(a.group_wait, 30),
      digestIntervalSeconds: seconds(a.digest_interval, 86400),
      businessHours: {
        weekdays: bh.weekdays ?? DEFAULTS.businessHours.weekdays,
        start: bh.start ?? DEFAULTS.businessHours.start,
        end: bh.end ?? DEFAULTS.businessHours.end,
        location: bh.location ?? DEFAULTS.businessHours.location,
      },
      receivers,
      // Unset tiers: page -> PagerDuty + Slack, ticket -> Slack, digest -> email.
      tiers: {
        page: a.tiers?.page ?? a.tiers?.critical ?? pick(['pagerduty', 'slack', 'webhook']),
        ticket: a.tiers?.ticket ?? a.tiers?.warning ?? pick(['slack', 'webhook']),
        digest: a.tiers?.digest ?? a.tiers?.info ?? pick(['email']),
      },
      paging: Object.fromEntries(Object.entries(a.paging ?? {}).filter((e): e is [string, 'page' | 'ticket' | 'digest'] => e[1] !== undefined)),
      heartbeat: a.heartbeat ? { url: a.heartbeat.url, intervalSeconds: seconds(a.heartbeat.interval, 60) } : null,
    },
    grafana: {
      url: (c.grafana?.url ?? DEFAULTS.grafanaUrl).replace(/\/+$/, ''),
      folder: c.grafana?.folder ?? DEFAULTS.grafanaFolder,
      adminPassword: c.grafana?.admin_password ?? null,
    },
    logStores: (c.log_stores ?? []).map((s) => ({
      ...s,
      ...(s.path ? { path: at(s.path) } : {}),
      ...(s.connection ? { connection: resolveRef(s.connection, at) as SecretRef } : {}),
      ...(s.auth ? { auth: resolveRef(s.auth, at) as SecretRef } : {}),
    })),
    labelSources: c.label_sources ?? [],
    billing: (c.billing ?? []).map((b) => ({
      name: b.name,
      provider: b.provider,
      url: (b.url ?? DEFAULTS.billingUrls[b.provider]).replace(/\/+$/, ''),
      apiKey: resolveRef(b.api_key, at),
      intervalSeconds: seconds(b.interval, DEFAULTS.billingInterval),
      monthlyBudgetUsd: b.monthly_budget_usd ?? null,
      projects: b.projects ?? [],
      mapping: b.mapping ?? null,
    })),
    prices: c.prices ? { asOf: c.prices.as_of, models: c.prices.models } : null,
    defaultThresholds: defaults,
    models: c.models.map((m) => normalizeModel(m, defaults, at)),
  };
}
