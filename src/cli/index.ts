#!/usr/bin/env node
// The only place that maps outcomes to exit codes and calls process.exit.
// Exit codes: 0 ok, 2 invalid config, 64 usage error, 70 internal error (a bug).
import { parseArgs } from 'node:util';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/index.js';
import { VERSION } from '../version.js';
import { parseShard } from '../exporter/shard.js';
import { INCIDENTS, type Incident } from '../demo/timeline.js';
// The generators, the exporter and the demo are imported by the commands that use them:
// `validate` and `--help` load the config code only (0.7 s of imports otherwise).


const USAGE = `modelwatch ${VERSION}: production monitoring for ML and LLM models

Usage:
  modelwatch validate -c FILE            check a config and report every problem
  modelwatch generate -c FILE -o DIR     write the Prometheus, Alertmanager, Grafana and compose bundle
  modelwatch serve -c FILE               run the exporter (/metrics, background polling)
  modelwatch baseline -c FILE --model NAME --input DATA -o OUT
                                         profile reference data (CSV/JSONL) into a drift baseline
  modelwatch demo [-c FILE] [--speed N]  simulated models, logs, labels and billing, with the exporter
  modelwatch <command> --help            help for a command
  modelwatch --version

Exit codes: 0 ok, 2 invalid config, 64 usage error.`;

const HELP: Record<string, string> = {
  validate: `Usage: modelwatch validate -c FILE

Loads FILE, validates it against the schema (schema/modelwatch.schema.json) and the semantic
rules, and prints every problem as file:line:col path: message. Exit 0 when valid, 2 otherwise.

Options:
  -c, --config FILE   the modelwatch.yaml to check (required)
  -h, --help          this help`,
  generate: `Usage: modelwatch generate -c FILE -o DIR

Writes prometheus/, alertmanager/, grafana/, runbooks/ and docker-compose.yml under DIR.
Output is deterministic: re-running on the same config changes no byte.

Options:
  -c, --config FILE   the modelwatch.yaml to generate from (required)
  -o, --out DIR       output directory (required)
  --demo              the compose exporter runs \`modelwatch demo\` (simulated models) instead of \`serve\`
  --target T          compose (default: prometheus/, alertmanager/, grafana/, runbooks/, docker-compose.yml)
                      or kubernetes (kubernetes/: Deployment, Service, ServiceMonitor, PrometheusRule,
                      AlertmanagerConfig, dashboard ConfigMaps for the Grafana sidecar; runbooks/)
  -h, --help          this help`,
  baseline: `Usage: modelwatch baseline -c FILE --model NAME --input DATA(.csv|.jsonl) -o OUT.json

Profiles reference data for drift: per numeric feature 1000 frozen reference-quantile bins with
exact counts, per categorical feature the top 1000 categories plus "other", the same for the
prediction and the score. Two streaming passes, memory bounded whatever the input size; a
progress bar on a terminal. JSONL records are read with the model's log store field mapping,
CSV columns by feature name (plus prediction and score).

Options:
  -c, --config FILE   the modelwatch.yaml naming the model and its features (required)
  --model NAME        the model to profile (required)
  --input DATA        reference data, .csv or .jsonl (required)
  -o, --out OUT       where to write the baseline JSON (required)
  -h, --help          this help`,
  demo: `Usage: modelwatch demo [-c FILE] [--speed N] [--port N] [--listen HOST] [--dir DIR] [--incident NAME ...]

Runs, in one process, a fraud classifier (Open Inference Protocol v2) and a support assistant
(OpenAI-compatible), their prediction logs, delayed labels, user feedback and an OpenAI-style
billing API, through a scripted incident timeline (${INCIDENTS.join(', ')});
and the exporter on FILE (default examples/modelwatch.yaml) pointed at them.

Options:
  -c, --config FILE   the config whose models are simulated (default examples/modelwatch.yaml)
  --speed N           timeline speed factor (default 1: each phase lasts 2 minutes)
  --port N            exporter port (default exporter.port)
  --listen HOST       exporter listen address (default 0.0.0.0)
  --dir DIR           where logs, baselines and state go (default a new temporary directory)
  --incident NAME     keep an incident running instead of the timeline (repeatable)
  -h, --help          this help`,
  serve: `Usage: modelwatch serve -c FILE [--port N] [--listen HOST] [--shard I/N]

Runs the exporter: polls the sources of FILE in the background and serves the last values on
/metrics (Prometheus text, or OpenMetrics when asked), with /, /healthz and /readyz.
Stops gracefully on SIGTERM or SIGINT. Logs are JSON on stdout (MODELWATCH_LOG_LEVEL).

Options:
  -c, --config FILE   the modelwatch.yaml to serve (required)
  --port N            listen port (default exporter.port, 9746)
  --listen HOST       listen address (default 0.0.0.0)
  --shard I/N         watch only replica I's share of the models (rendezvous hashing; billing on replica 1)
  --web.config.file F TLS and basic auth for every endpoint, in the Prometheus exporter-toolkit format
                      (default exporter.web.config_file); /healthz and /readyz need no password
  --web.enable-lifecycle  enable POST /-/reload (off by default: SIGHUP always reloads)
  -h, --help          this help`,
};

class UsageError extends Error {}

/** Run from a clone (the Dockerfile is there), compose builds the exporter image; else it pulls it. */
function buildContext(outDir: string): string | undefined {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  if (!existsSync(join(root, 'Dockerfile'))) return undefined;
  const rel = relative(resolve(outDir), root);
  return rel === '' ? '.' : rel;
}

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  out: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  port: { type: 'string' },
  listen: { type: 'string' },
  model: { type: 'string' },
  input: { type: 'string' },
  speed: { type: 'string' },
  dir: { type: 'string' },
  incident: { type: 'string', multiple: true },
  demo: { type: 'boolean' },
  shard: { type: 'string' },
  target: { type: 'string' },
  'web.config.file': { type: 'string' },
  'web.enable-lifecycle': { type: 'boolean' },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function load(file: string | undefined) {
  if (!file) throw new UsageError('missing -c FILE');
  const result = loadConfig(file);
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  if (!result.ok) {
    for (const e of result.errors) process.stderr.write(`${e}\n`);
    process.stderr.write(`${file}: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}; nothing was generated\n`);
    return null;
  }
  return result.model;
}

async function serve(file: string | undefined, port: string | undefined, host: string | undefined, shardText: string | undefined, webConfigFile: string | undefined, lifecycle: boolean): Promise<number> {
  if (port !== undefined && !/^\d+$/.test(port)) throw new UsageError(`--port must be a number, got "${port}"`);
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  if (shard === null) throw new UsageError(`--shard must be I/N with 1 <= I <= N, got "${shardText}"`);
  const model = load(file);
  if (!model) return 2;
  // The web config named in the config applies unless the flag names another.
  webConfigFile ??= model.exporter.web?.configFile ?? undefined;
  const { readWebConfig } = await import('../exporter/webconfig.js');
  const { createLogger, startExporter } = await import('../exporter/index.js');
  if (webConfigFile) {
    try {
      readWebConfig(webConfigFile);
    } catch (e) {
      process.stderr.write(`${(e as Error).message.startsWith(webConfigFile) ? '' : `${webConfigFile}: `}${(e as Error).message}\n`);
      return 2;
    }
  }
  const logger = createLogger();
  // SIGHUP and POST /-/reload re-read the file; an invalid config keeps the running one.
  const reload = async () => {
    const next = loadConfig(file as string);
    return exporter.reload(next.ok ? next.model : { errors: next.errors });
  };
  const exporter = await startExporter(model, { logger, port: port === undefined ? undefined : Number(port), host, shard, onReloadRequest: lifecycle ? reload : undefined, webConfigFile,
    // Each replica keeps its own checkpoints.
    stateDir: shard ? `${model.exporter.stateDir}/shard-${shard.index}-of-${shard.count}` : undefined });
  process.on('SIGHUP', () => void reload());
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      void exporter.stop().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

async function baseline(v: { config?: string; model?: string; input?: string; out?: string }): Promise<number> {
  if (!v.model) throw new UsageError('missing --model NAME');
  if (!v.input) throw new UsageError('missing --input DATA');
  if (!v.out) throw new UsageError('missing -o OUT');
  const model = load(v.config);
  if (!model) return 2;
  const spec = model.models.find((m) => m.name === v.model);
  if (!spec) throw new UsageError(`no model "${v.model}" in ${v.config} (models: ${model.models.map((m) => m.name).join(', ')})`);
  const tty = process.stderr.isTTY;
  let shown = -1;
  const progress = (pass: 1 | 2, fraction: number) => {
    const pct = Math.min(100, Math.floor(fraction * 100));
    if (!tty || pct === shown) return;
    shown = pct;
    process.stderr.write(`\rpass ${pass}/2 [${'#'.repeat(pct / 5).padEnd(20)}] ${pct}%`);
  };
  let run;
  try {
    const { buildBaseline } = await import('../baseline/index.js');
    run = await buildBaseline(model, spec, v.input, progress);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') { process.stderr.write(`${v.input}: no such file\n`); return 2; }
    throw e;
  }
  if (tty) process.stderr.write('\n');
  writeFileSync(v.out, `${JSON.stringify(run.baseline)}\n`);
  process.stdout.write(`wrote ${v.out}: ${run.baseline.records} records, ${Object.keys(run.baseline.features).length} features${run.rejected ? `, ${run.rejected} malformed lines skipped` : ''}\n`);
  const b = run.baseline;
  if (b.missing?.length) process.stderr.write(`warning: ${b.missing.join(', ')} ${b.missing.length === 1 ? 'is' : 'are'} in no record of ${v.input}: no drift for ${b.missing.length === 1 ? 'it' : 'them'} (check the field mapping of the model's log store)\n`);
  if (b.performance) process.stdout.write(`reference quality from ${b.performance.labelled} labelled records: ${Object.entries(b.performance.statistics).map(([k, x]) => `${k} ${Number(x.toPrecision(4))}`).join(', ')}\n`);
  return 0;
}

async function demo(v: { config?: string; speed?: string; port?: string; listen?: string; dir?: string; incident?: string[] }): Promise<number> {
  const speed = Number(v.speed ?? '1');
  if (!(speed > 0)) throw new UsageError(`--speed must be a positive number, got "${v.speed}"`);
  if (v.port !== undefined && !/^\d+$/.test(v.port)) throw new UsageError(`--port must be a number, got "${v.port}"`);
  const unknown = (v.incident ?? []).filter((i) => !(INCIDENTS as readonly string[]).includes(i));
  if (unknown.length) throw new UsageError(`unknown incident "${unknown[0]}" (incidents: ${INCIDENTS.join(', ')})`);
  const configPath = v.config ?? 'examples/modelwatch.yaml';
  if (!load(configPath)) return 2;
  const { createLogger } = await import('../exporter/index.js');
  const { runDemo } = await import('../demo/index.js');
  const logger = createLogger();
  const dir = v.dir ?? mkdtempSync(join(tmpdir(), 'modelwatch-demo-'));
  const running = await runDemo({ configPath, dir, speed, logger, port: v.port === undefined ? undefined : Number(v.port), host: v.listen, pinned: v.incident as Incident[] | undefined });
  process.stderr.write(`modelwatch demo: metrics at ${running.exporter.url}/metrics, files in ${dir}, incident now: ${running.timeline.describe()}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void running.stop().then(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (values.version) { process.stdout.write(`${VERSION}\n`); return 0; }
  if (!command) { process.stdout.write(`${USAGE}\n`); return values.help ? 0 : 64; }
  const help = HELP[command];
  if (!help) throw new UsageError(`unknown command "${command}"`);
  if (values.help) { process.stdout.write(`${help}\n`); return 0; }
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (command !== 'baseline' && (values.model !== undefined || values.input !== undefined)) throw new UsageError(`${command} takes no --model or --input`);
  if (command !== 'generate' && (values.demo || values.target !== undefined)) throw new UsageError(`${command} takes no --demo or --target`);
  if (values.target !== undefined && values.target !== 'compose' && values.target !== 'kubernetes') throw new UsageError(`--target must be compose or kubernetes, got "${values.target}"`);
  if (command !== 'demo' && (values.speed !== undefined || values.dir !== undefined || values.incident !== undefined)) throw new UsageError(`${command} takes no --speed, --dir or --incident`);
  if (command !== 'serve' && command !== 'demo' && (values.port !== undefined || values.listen !== undefined)) throw new UsageError(`${command} takes no --port or --listen`);
  if (command === 'demo') return demo(values);
  if (command !== 'serve' && values.shard !== undefined) throw new UsageError(`${command} takes no --shard`);
  if (command !== 'serve' && (values['web.config.file'] !== undefined || values['web.enable-lifecycle'] !== undefined)) throw new UsageError(`${command} takes no --web.config.file or --web.enable-lifecycle`);
  if (command === 'serve') return serve(values.config, values.port, values.listen, values.shard, values['web.config.file'], values['web.enable-lifecycle'] ?? false);
  if (command === 'baseline') return baseline(values);
  if (command === 'validate') {
    if (values.out) throw new UsageError('validate takes no -o');
    const model = load(values.config);
    if (!model) return 2;
    process.stdout.write(`${values.config}: valid (${model.models.length} model${model.models.length === 1 ? '' : 's'})\n`);
    return 0;
  }
  if (!values.out) throw new UsageError('missing -o DIR');
  const model = load(values.config);
  if (!model) return 2;
  const { GenerateError, generateAll, writeArtifacts } = await import('../generate/index.js');
  const { nextSteps } = await import('./next-steps.js');
  let artifacts;
  try {
    artifacts = generateAll(model, { demo: values.demo ?? false, target: values.target as 'compose' | 'kubernetes' | undefined, outDir: values.out, buildContext: buildContext(values.out) });
  } catch (e) {
    if (!(e instanceof GenerateError)) throw e;
    process.stderr.write(`${values.config}: ${e.message}\n${values.config}: nothing was generated\n`);
    return 2;
  }
  writeArtifacts(values.out, artifacts);
  process.stdout.write(`wrote ${artifacts.length} files under ${values.out}\n`);
  for (const line of nextSteps(model, values.target === 'kubernetes' ? 'kubernetes' : 'compose', artifacts)) process.stdout.write(`${line}\n`);
  return 0;
}

run(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`modelwatch: ${e.message}\nRun "modelwatch --help" for usage.\n`);
    process.exitCode = 64;
  } else if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`modelwatch: cannot listen: address already in use\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`modelwatch: internal error (this is a bug, please report it): ${(e as Error).message}\n`);
    process.exitCode = 70;
  }
});
