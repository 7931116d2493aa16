// The one source of truth for the config: the JSON Schema is built here with TypeBox and the
// TypeScript type of a written config is derived from it (WrittenConfig), never written twice.
import { Type, type Static } from '@sinclair/typebox';
import { ALERTS } from '../catalog/alerts.js';
import { ENGINE_NAMES } from '../catalog/engines.js';

import { choice, duration, list, name, num, obj, opt, ratio, str } from './schema-parts.js';
import { ThresholdsSchema } from './schema-thresholds.js';

export const SecretRefSchema = obj(
  'A secret, never written inline: a file path (read at use, so rotation works) or an environment variable name. Exactly one of file or env.',
  {
    file: opt(str('Path of a file holding the secret. For Alertmanager receivers this is the path inside the Alertmanager container.')),
    env: opt(str('Name of an environment variable holding the secret (exporter-side secrets only).', { pattern: '^[A-Z_][A-Z0-9_]*$' })),
  },
);

const FeatureSchema = obj('An input feature as it appears in prediction records.', {
  name: name('Feature name; also the value of the feature label. "prediction" and "score" are reserved.'),
  type: choice(['numeric', 'categorical'], 'numeric: binned against reference quantiles; categorical: compared by category frequency.'),
  range: opt(Type.Unsafe<[number, number]>({ type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2, description: 'Valid [min, max] for a numeric feature; values outside count as out of range.' })),
  sentinels: opt(list('Values that stand in for missing data (for example -999); counted as sentinel values, excluded from drift.', Type.Unsafe<number | string>({ type: ['number', 'string'], description: 'A sentinel value.' }))),
  categories: opt(list('Allowed categories of a categorical feature; anything else counts as an unknown category.', str('category'), { minItems: 1, uniqueItems: true })),
});

const EndpointSchema = obj('The live model endpoint, probed in the background.', {
  protocol: choice(['oip_v2', 'openai', 'http'], 'oip_v2: Open Inference Protocol v2 (KServe, Triton); openai: OpenAI-compatible (/v1/models, canary chat completion); http: plain health URL.'),
  url: str('Base URL of the model server, for example http://triton:8000.', { format: 'uri' }),
  model_name: opt(str('Model name on the server, when it differs from the modelwatch model name.')),
  health_path: opt(str('Health path for protocol http (default /health).')),
  interval: opt(duration('How often to probe.')),
  timeout: opt(duration('Probe timeout; must be shorter than the interval.')),
  api_key: opt(SecretRefSchema),
  metrics_path: opt(str('When set, Prometheus also scrapes the model server itself at this path; modelwatch does not re-export it. Default /metrics when server is set.')),
  metrics_url: opt(str('Where the model server exposes its own metrics, when not at url + metrics_path (Triton: port 8002, for example http://triton:8002/metrics).', { format: 'uri' })),
  server: opt(choice([...ENGINE_NAMES], 'The serving engine behind the endpoint: Prometheus scrapes its /metrics (metrics_path) and recording rules turn its own metric names, across its versions, into common serving signals (time to first token, time per output token, queue, batch, KV cache, GPU).')),
  gpu_exporter: opt(str('URL of the /metrics of an NVIDIA DCGM exporter on the GPUs serving this model (for example http://dcgm-exporter:9400/metrics): GPU utilisation and memory.', { format: 'uri' })),
});

const GoldenSetSchema = obj('A file of inputs with expected outputs, sent to the endpoint on a schedule.', {
  path: str('JSONL file of golden cases.'),
  interval: opt(duration('How often to run the golden set.')),
  scorer: choice(['exact', 'tolerance', 'contains', 'regex', 'json_schema'], 'How an answer is scored.'),
  tolerance: opt(num('Absolute tolerance for the tolerance scorer.', { minimum: 0 })),
});

const ModelSchema = obj('A model to watch.', {
  name: name('Model name; the value of the model label everywhere.'),
  task: choice(['classification', 'regression', 'llm'], 'What the model does; decides which quality signals apply.'),
  description: opt(str('What the model is for, shown on dashboards and in alerts.')),
  owner: opt(str('Team that owns the model, shown in runbooks and alert descriptions.')),
  versions: opt(list('Model versions that may appear as the version label; other values are folded into "other".', str('version'), { uniqueItems: true })),
  segments: opt(list('Allowed values of the segment label; other values are folded into "other".', str('segment'), { uniqueItems: true })),
  protected_segments: opt(list('Segments whose share of positive predictions (positive_class) is compared with the other segments\': statistical parity difference and disparate impact ratio (classification).', str('segment'), { uniqueItems: true, minItems: 1 })),
  endpoint: opt(EndpointSchema),
  golden_set: opt(GoldenSetSchema),
  log_store: opt(name('Name of the log store holding this model\'s prediction records.')),
  label_source: opt(name('Name of the label source delivering this model\'s ground truth.')),
  positive_class: opt(str('Positive class for precision/recall/F1 of a binary classifier.')),
  classes: opt(list('Classes of a classifier shown in the confusion matrix and with their own recall; other classes are folded into "other" there (macro averages still count every class).', str('class'), { uniqueItems: true, maxItems: 50 })),
  recall_class: opt(str('Class whose own recall is alerted on (thresholds.class_recall); default: positive_class.')),
  confidence_floor: opt(ratio('Predictions with confidence below this count as low confidence.')),
  baseline: opt(str('Baseline profile (JSON written by modelwatch baseline) used for drift.')),
  drift_window: opt(duration('Length of the current drift window, sliding in 12 steps (default 1h).')),
  quality_window: opt(duration('Length of the quality and estimation windows (accuracy, precision, recall, regression errors, estimated accuracy), sliding in 24 steps (default 24h; at least 24m). Changing it starts the windows afresh.')),
  rolling_reference: opt(duration('For models without a baseline: compare with the same drift window this long ago, read from the model\'s own logs (7d: the same hour last week). Bins are learned from the first 2000 values.')),
  features: opt(list('Input features checked for quality and drift.', FeatureSchema)),
  slo: opt(obj('Service level objective for successful predictions.', {
    availability: Type.Number({ description: 'Target ratio of successful predictions, for example 0.995.', exclusiveMinimum: 0, exclusiveMaximum: 1 }),
    window: opt(duration('SLO window (default 30d).')),
  })),
  billing_model: opt(str('Model name as it appears in billing data, when it differs.')),
  thresholds: opt(ThresholdsSchema),
});

const FieldsSchema = obj('Where each field lives in a prediction record, as a dotted path. Unset fields are absent from the records.', {
  timestamp: opt(str('Record time (RFC 3339 string or Unix seconds).')),
  request_id: opt(str('Request id, used to join delayed labels. Never used as a label.')),
  model: opt(str('Model name.')),
  version: opt(str('Model version (becomes the version label; bounded by models[].versions).')),
  features: opt(str('Object holding the feature values.')),
  prediction: opt(str('Predicted label or value.')),
  confidence: opt(str('Confidence or score of the prediction.')),
  latency: opt(str('Latency of the prediction in seconds.')),
  error: opt(str('Failure type of a failed prediction; empty when it succeeded.')),
  input_tokens: opt(str('Prompt tokens.')),
  output_tokens: opt(str('Completion tokens.')),
  cost: opt(str('Cost of the prediction in US dollars.')),
  segment: opt(str('Segment (becomes the segment label; bounded by models[].segments).')),
  feedback: opt(str('User feedback: 1/true/"up" positive, 0/false/"down" negative.')),
  task_success: opt(str('Whether the user\'s task succeeded (LLM): 1/true/"success"/"resolved" or 0/false/"failure"/"unresolved".')),
  rating: opt(str('A 1-5 rating of the answer (LLM; by users or reviewers); other values are ignored.')),
  judge_verdict: opt(str('Verdict of an LLM judge or evaluator on the answer: 1/true/"pass"/"correct" or 0/false/"fail"/"incorrect".')),
  hallucination: opt(str('Whether the answer was flagged as a hallucination (not grounded in its sources): 1/true/"hallucinated" or 0/false/"grounded".')),
  label: opt(str('Ground-truth label (label sources).')),
});

const LogStoreSchema = obj('A store of prediction records.', {
  name: name('Log store name; the value of the store label.'),
  kind: choice(['jsonl', 'postgres', 'loki', 'elasticsearch', 'opensearch'], 'Store kind.'),
  path: opt(str('jsonl: file path or glob.')),
  url: opt(str('loki/elasticsearch/opensearch: base URL.', { format: 'uri' })),
  connection: opt(SecretRefSchema),
  table: opt(str('postgres: table to read.')),
  query: opt(str('postgres: SQL query; loki: LogQL selector; elasticsearch/opensearch: index pattern.')),
  cursor_column: opt(str('postgres: unique column that breaks timestamp ties in keyset paging (default the request_id field); elasticsearch/opensearch: the unique keyword field sorted after the timestamp (default the request_id field, e.g. request_id.keyword with dynamic mappings).')),
  auth: opt(SecretRefSchema),
  interval: opt(duration('How often to read new records.')),
  lag: opt(duration('Stay this far behind now to tolerate ingestion delay.')),
  fields: opt(FieldsSchema),
});

const LabelSourceSchema = obj('Where delayed ground-truth labels come from.', {
  name: name('Label source name.'),
  log_store: name('Log store holding the label records.'),
  horizon: opt(duration('How long a prediction waits for its label before it counts as expired (default 7d).')),
  max_pending: opt(Type.Integer({ description: 'Cap on predictions waiting for a label; beyond it the oldest are expired.', minimum: 1 })),
});

const BillingSchema = obj('A billing API polled for spend.', {
  name: name('Billing source name; the value of the source label.'),
  provider: choice(['openai', 'anthropic', 'generic'], 'openai: Costs + Usage API; anthropic: cost_report + usage_report; generic: JSON over HTTP with a field mapping.'),
  url: opt(str('Base URL (defaults per provider; required for generic).', { format: 'uri' })),
  api_key: opt(SecretRefSchema),
  interval: opt(duration('How often to poll (default 1h; billing data arrives in day buckets).')),
  monthly_budget_usd: opt(num('Monthly budget in US dollars.', { exclusiveMinimum: 0 })),
  projects: opt(list('Project or workspace ids that may appear as the project label; others fold into "other".', str('project id'), { uniqueItems: true })),
  mapping: opt(obj('generic: where each value lives in the JSON response (dotted paths). The source is GET url?start_date=YYYY-MM-DD.', {
    items: opt(str('Path of the array of cost rows (default data).')),
    day: str('Path of the row\'s day (YYYY-MM-DD, RFC 3339 or Unix seconds).'),
    amount: str('Path of the row\'s amount.'),
    amount_unit: opt(choice(['usd', 'cents'], 'Unit of the amount (default usd).')),
    project: opt(str('Path of the project or team.')),
    model: opt(str('Path of the model.')),
    line_item: opt(str('Path of the line item.')),
    next: opt(str('Path of the URL of the next page, when the response is paginated.')),
  })),
});

const PriceSchema = obj('Price of one model, in US dollars per million tokens.', {
  model: str('Model name as it appears in records.'),
  input_per_mtok: num('Input tokens.', { minimum: 0 }),
  output_per_mtok: num('Output tokens.', { minimum: 0 }),
  cached_input_per_mtok: opt(num('Cached input tokens.', { minimum: 0 })),
});

const ReceiversSchema = obj('Where notifications go. Secrets are file paths inside the Alertmanager container.', {
  pagerduty: opt(obj('PagerDuty Events API v2 (critical tier).', {
    routing_key: SecretRefSchema,
    url: opt(str('Events API URL override (tests, EU region).', { format: 'uri' })),
  })),
  slack: opt(obj('Slack incoming webhook (warning tier, and a copy of critical).', {
    api_url: SecretRefSchema,
    channel: str('Channel, for example #ml-alerts.'),
  })),
  email: opt(obj('Email digest (info tier).', {
    to: str('Recipient address.'),
    from: str('Sender address.'),
    smarthost: str('SMTP host:port.'),
    auth_username: opt(str('SMTP user.')),
    auth_password: opt(SecretRefSchema),
  })),
  webhook: opt(obj('Generic webhook receiving every tier (chat-ops, ticketing).', {
    url: str('Webhook URL (no secret in it: Alertmanager 0.25 has no url_file).', { format: 'uri' }),
  })),
});

export const RECEIVER_KINDS = ['pagerduty', 'slack', 'email', 'webhook'] as const;
const TierSchema = list('Receivers for this tier.', choice(RECEIVER_KINDS, 'Receiver kind.'), { uniqueItems: true });

export const ConfigSchema = obj('modelwatch configuration: one file generates the exporter settings, Prometheus rules, Alertmanager routing, Grafana dashboards and the compose stack.', {
  version: Type.Literal(1, { description: 'Config format version.' }),
  exporter: opt(obj('The modelwatch exporter.', {
    port: opt(Type.Integer({ description: 'Port of /metrics (default 9746).', minimum: 1, maximum: 65535 })),
    host: opt(str('Host name Prometheus uses to reach the exporter (default modelwatch-exporter, the compose service).')),
    job: opt(name('Prometheus job name (default modelwatch).')),
    state_dir: opt(str('Directory for checkpoints (default /var/lib/modelwatch). Generated bundles keep it on a named volume (compose) or a PersistentVolumeClaim (Kubernetes).')),
    image: opt(str('Exporter image the generated compose file and Kubernetes resources run (default ghcr.io/modelwatch/modelwatch:<version>).')),
    web: opt(obj('TLS and basic auth of the exporter, and how Prometheus reaches it.', {
      config_file: opt(str('Web config the exporter is started with (--web.config.file), in the Prometheus exporter-toolkit format: tls_server_config and basic_auth_users (bcrypt). Relative paths here and inside it are resolved against the directory of the file that names them. Required when tls or basic_auth is set.')),
      tls: opt(obj('Scrape over HTTPS.', {
        ca_file: opt(str('CA certificate Prometheus trusts for the exporter. A relative path is resolved against this config\'s directory; generated bundles mount it into Prometheus.')),
        server_name: opt(str('Name to verify the exporter certificate against.')),
      })),
      basic_auth: opt(obj('Basic auth credentials Prometheus sends.', {
        username: str('User name in the web config basic_auth_users.'),
        password: SecretRefSchema,
      })),
    })),
    series_limit: opt(Type.Integer({ description: 'Series the whole exporter may hold (default 40000); must stay below prometheus.sample_limit so a scrape is never rejected.', minimum: 100 })),
    series_ttl: opt(duration('Counters and histograms from log data that have not moved for this long are dropped (default 24h; 0s keeps them forever).')),
    series_per_metric: opt(Type.Integer({ description: 'Series one metric may hold (default 10000); beyond it new series are dropped and counted.', minimum: 10 })),
  })),
  prometheus: opt(obj('The generated Prometheus configuration.', {
    url: opt(str('External URL of Prometheus, used in links (default http://localhost:9090).', { format: 'uri' })),
    scrape_interval: opt(duration('Scrape interval (default 15s).')),
    evaluation_interval: opt(duration('Rule evaluation interval (default 30s).')),
    retention: opt(duration('TSDB retention (default 15d; week-over-week alerts need at least 8d).')),
    sample_limit: opt(Type.Integer({ description: 'Per-scrape series limit for the exporter job (default 50000).', minimum: 100 })),
    alertmanager: opt(str('Alertmanager host:port (default alertmanager:9093).')),
    remote_write: opt(list('Long-term storage (Mimir, Thanos Receive, Cortex) the generated Prometheus also writes to.', obj('A remote_write endpoint.', {
      url: str('Remote write URL, for example http://mimir:9009/api/v1/push.', { format: 'uri' }),
      username: opt(str('Basic auth user (with password).')),
      password: opt(SecretRefSchema),
      bearer_token: opt(SecretRefSchema),
      tenant: opt(str('X-Scope-OrgID header for multi-tenant Mimir/Cortex.')),
    }))),
  })),
  alerting: opt(obj('Alert routing.', {
    runbook_base_url: opt(str('Base URL of the runbooks folder; the alert name is appended.', { format: 'uri' })),
    external_url: opt(str('External URL of Alertmanager (its --web.external-url), used in notification links to silences (default http://localhost:9093).', { format: 'uri' })),
    business_hours: opt(obj('When warnings are delivered.', {
      weekdays: opt(list('Weekday ranges, for example monday:friday.', str('weekday range', { pattern: '^[a-z]+(:[a-z]+)?$' }))),
      start: opt(str('Start time HH:MM.', { pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' })),
      end: opt(str('End time HH:MM.', { pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$' })),
      location: opt(str('IANA time zone, for example Europe/Berlin (default UTC). Checked against the IANA database, case included, as Alertmanager loads it.')),
    })),
    receivers: opt(ReceiversSchema),
    group_wait: opt(duration('How long Alertmanager waits to batch the first notification of a critical group (default 30s; warnings wait twice as long).')),
    digest_interval: opt(duration('How often the info digest is sent (default 24h; its first batch waits at most 1h).')),
    tiers: opt(obj('Which receivers each routing tier goes to (see paging).', {
      page: opt(TierSchema), ticket: opt(TierSchema), digest: opt(TierSchema),
      critical: opt({ ...TierSchema, description: 'Former name of page.' }), warning: opt({ ...TierSchema, description: 'Former name of ticket.' }), info: opt({ ...TierSchema, description: 'Former name of digest.' }),
    })),
    paging: opt(Type.Object(Object.fromEntries(Object.keys(ALERTS).map((a) => [a, opt(choice(['page', 'ticket', 'digest'], `Tier of the critical level of ${a}.`))])), { additionalProperties: false, description: 'Per alert, the tier its critical level goes to, instead of the default policy (symptoms page, causes open tickets, information goes to the digest). For example ModelwatchFeatureDrift: page.' })),
    heartbeat: opt(obj('The dead man\'s switch: an always-firing ModelwatchWatchdog alert sent to this URL every interval, so a silent alerting pipeline is noticed by whoever watches the URL (PagerDuty heartbeats, healthchecks.io, Cronitor).', {
      url: str('Webhook URL that expects a ping every interval.', { format: 'uri' }),
      interval: opt(duration('How often the heartbeat is sent (default 1m).')),
    })),
  })),
  grafana: opt(obj('The generated Grafana provisioning.', {
    url: opt(str('External URL of Grafana, used for dashboard links in alerts (default http://localhost:3000).', { format: 'uri' })),
    folder: opt(str('Folder the dashboards are provisioned into (default ModelWatch).')),
    admin_password: opt(SecretRefSchema),
  })),
  kubernetes: opt(obj('The generated Kubernetes resources (generate --target kubernetes).', {
    namespace: opt(name('Namespace of every generated resource (default modelwatch).')),
    labels: opt(Type.Record(Type.String({ pattern: '^([a-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$' }), Type.String({ maxLength: 63, pattern: '^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$' }), { description: 'Labels put on the ServiceMonitor, PrometheusRule and AlertmanagerConfig so the operator selects them. kube-prometheus-stack selects by its Helm release name (default release: kube-prometheus-stack); set {} when your Prometheus selects everything.' })),
    storage: opt(str('Size of the PersistentVolumeClaim holding state_dir (default 1Gi).', { pattern: '^[0-9]+(Ki|Mi|Gi|Ti)$' })),
    storage_class: opt(str('StorageClass of that claim (default: the cluster default).')),
    logs_claim: opt(str('PersistentVolumeClaim holding the JSONL prediction logs, mounted read-only at each jsonl store\'s directory (default modelwatch-logs).')),
  })),
  defaults: opt(obj('Defaults for every model.', { thresholds: opt(ThresholdsSchema) })),
  log_stores: opt(list('Stores of prediction records.', LogStoreSchema)),
  label_sources: opt(list('Sources of delayed ground-truth labels.', LabelSourceSchema)),
  billing: opt(list('Billing APIs.', BillingSchema)),
  prices: opt(obj('Price table for estimating cost from token counts.', {
    as_of: str('Date the prices were taken (YYYY-MM-DD); an old table raises a warning.', { pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
    models: list('Prices per model.', PriceSchema),
  })),
  models: list('Models to watch.', ModelSchema, { minItems: 1 }),
});

export type WrittenConfig = Static<typeof ConfigSchema>;
export type WrittenModel = Static<typeof ModelSchema>;
export type WrittenThresholds = Static<typeof ThresholdsSchema>;
export type SecretRef = Static<typeof SecretRefSchema>;
