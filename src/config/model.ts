// The Model: the validated, defaulted, immutable form of the config. Everything downstream of
// config/ reads this, never WrittenConfig. Durations are seconds; nothing optional means "default".
import type { SecretRef, WrittenConfig } from './schema.js';
import type { EngineName } from '../catalog/engines.js';

type Written<K extends keyof WrittenConfig> = NonNullable<WrittenConfig[K]>;
type Item<T> = T extends readonly (infer U)[] ? U : never;

export interface Levels { readonly warning: number | null; readonly critical: number | null }

export interface Thresholds {
  readonly errorRatio: Levels;
  readonly latencyP95Seconds: Levels;
  readonly latencyBaselineFactor: number;
  readonly throughputChangeRatio: number;
  readonly featurePsi: Levels;
  readonly featureKs: Levels;
  readonly predictionPsi: Levels;
  readonly driftMinSamples: number;
  readonly driftFalseAlarmRate: number;
  readonly nullRatio: Levels;
  readonly outOfRangeRatio: Levels;
  readonly schemaViolationRatio: Levels;
  readonly staleFeedSeconds: Levels;
  readonly accuracy: Levels;
  readonly accuracyMinLabels: number;
  readonly precision: Levels;
  readonly recall: Levels;
  readonly f1: Levels;
  readonly classRecall: Levels;
  readonly calibrationError: Levels;
  readonly mae: Levels;
  readonly rmse: Levels;
  readonly errorBaselineFactor: Levels;
  readonly labelLagSeconds: Levels;
  readonly lowConfidenceRatio: Levels;
  readonly satisfactionDropRatio: number;
  readonly goldenPassRatio: Levels;
  readonly costPerHourUsd: Levels;
  readonly dailyCostIncreaseRatio: number;
  readonly canaryErrorFactor: number;
  readonly canaryLatencyFactor: number;
  readonly canaryMinPredictions: number;
  readonly canaryMinErrorRatio: number;
  readonly segmentErrorMargin: number;
  readonly disparateImpactRatio: number;
  readonly segmentMinPredictions: number;
  readonly taskSuccessRatio: Levels;
  readonly hallucinationRatio: Levels;
  readonly llmMinEvaluations: number;
  readonly ttftP95Seconds: Levels;
  readonly kvCacheUsageRatio: number;
  readonly gpuUtilizationRatio: number;
  readonly costEstimateGapRatio: number;
}

export interface Feature {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
  readonly range: readonly [number, number] | null;
  readonly sentinels: readonly (number | string)[];
  readonly categories: readonly string[];
}

export interface Endpoint {
  readonly protocol: 'oip_v2' | 'openai' | 'http';
  readonly url: string;
  readonly modelName: string;
  readonly healthPath: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly apiKey: SecretRef | null;
  /** Where Prometheus scrapes the model server's own metrics (metrics_url, or url + metrics_path). */
  readonly metricsUrl: string | null;
  /** Serving engine whose own metrics are mapped to the common serving signals. */
  readonly server: EngineName | null;
  /** DCGM exporter /metrics URL for the GPUs serving this model. */
  readonly gpuExporter: string | null;
}

export interface ModelSpec {
  readonly name: string;
  readonly task: 'classification' | 'regression' | 'llm';
  readonly description: string;
  readonly owner: string;
  readonly versions: readonly string[];
  readonly segments: readonly string[];
  /** Segments whose share of positive predictions is compared with the rest (fairness). */
  readonly protectedSegments: readonly string[];
  readonly endpoint: Endpoint | null;
  readonly goldenSet: { readonly path: string; readonly intervalSeconds: number; readonly scorer: string; readonly tolerance: number } | null;
  readonly logStore: string | null;
  readonly labelSource: string | null;
  readonly positiveClass: string | null;
  /** Classes of the confusion matrix and per-class recall (bounded); empty: none. */
  readonly classes: readonly string[];
  readonly recallClass: string | null;
  readonly confidenceFloor: number;
  readonly baseline: string | null;
  readonly driftWindowSeconds: number;
  /** The quality and estimation windows: 24 steps of qualityWindowSeconds / 24. */
  readonly qualityWindowSeconds: number;
  readonly rollingReferenceSeconds: number | null;
  readonly features: readonly Feature[];
  readonly slo: { readonly availability: number; readonly windowSeconds: number } | null;
  readonly billingModel: string;
  readonly thresholds: Thresholds;
}

export interface Model {
  /** The config file the Model came from, as given on the command line (named in generated headers). */
  readonly configPath: string;
  /** Absolute directory of the config file: relative paths in it are resolved against it, as Prometheus does. */
  readonly configDir: string;
  /** Every file and environment variable the config makes a component read (what a bundle must mount and pass). */
  readonly references: readonly Reference[];
  readonly exporter: {
    readonly port: number; readonly host: string; readonly job: string; readonly stateDir: string; readonly seriesLimit: number; readonly seriesPerMetric: number; readonly seriesTtlSeconds: number;
    readonly image: string;
    /** As written; web.configFile is resolved to an absolute path. */
    readonly web: (NonNullable<Written<'exporter'>['web']> & { readonly configFile: string | null }) | null;
  };
  readonly kubernetes: { readonly namespace: string; readonly labels: Readonly<Record<string, string>>; readonly storage: string; readonly storageClass: string | null; readonly logsClaim: string };
  readonly prometheus: {
    readonly url: string; readonly scrapeIntervalSeconds: number; readonly evaluationIntervalSeconds: number;
    readonly retentionSeconds: number; readonly sampleLimit: number; readonly alertmanager: string;
    readonly remoteWrite: NonNullable<Written<'prometheus'>['remote_write']>;
  };
  readonly alerting: {
    readonly runbookBaseUrl: string;
    readonly externalUrl: string;
    readonly groupWaitSeconds: number;
    readonly digestIntervalSeconds: number;
    readonly businessHours: { readonly weekdays: readonly string[]; readonly start: string; readonly end: string; readonly location: string };
    readonly receivers: NonNullable<Written<'alerting'>['receivers']>;
    readonly tiers: { readonly page: readonly ReceiverKind[]; readonly ticket: readonly ReceiverKind[]; readonly digest: readonly ReceiverKind[] };
    /** Per alert, the tier of its critical level (alerting.paging). */
    readonly paging: Readonly<Record<string, 'page' | 'ticket' | 'digest'>>;
    readonly heartbeat: { readonly url: string; readonly intervalSeconds: number } | null;
  };
  readonly grafana: { readonly url: string; readonly folder: string; readonly adminPassword: SecretRef | null };
  readonly logStores: readonly Item<Written<'log_stores'>>[];
  readonly labelSources: readonly Item<Written<'label_sources'>>[];
  readonly billing: readonly BillingSource[];
  readonly prices: { readonly asOf: string; readonly models: readonly Item<Written<'prices'>['models']>[] } | null;
  /** Thresholds after config defaults, before per-model overrides (for alerts not tied to a model). */
  readonly defaultThresholds: Thresholds;
  readonly models: readonly ModelSpec[];
}

/** Who reads a referenced file or variable: decides which container needs it. */
export type Consumer = 'exporter' | 'prometheus' | 'alertmanager' | 'grafana';

/**
 * A file, glob or environment variable named by the config. `written` is the path as written
 * (relative to the config's directory, or absolute); `at` is the config key that names it.
 */
export type Reference =
  | { readonly kind: 'file' | 'glob' | 'secret'; readonly consumer: Consumer; readonly written: string; readonly at: string }
  | { readonly kind: 'env'; readonly consumer: 'exporter'; readonly name: string; readonly at: string };

export type ReceiverKind = 'pagerduty' | 'slack' | 'email' | 'webhook';

export interface BillingSource {
  readonly name: string;
  readonly provider: 'openai' | 'anthropic' | 'generic';
  readonly url: string;
  readonly apiKey: SecretRef | null;
  readonly intervalSeconds: number;
  readonly monthlyBudgetUsd: number | null;
  readonly projects: readonly string[];
  readonly mapping: NonNullable<Item<Written<'billing'>>['mapping']> | null;
}
