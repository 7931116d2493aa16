#!/usr/bin/env node
// The only place that maps outcomes to exit codes and calls process.exit.
// Exit codes: 0 ok, 2 invalid config, 64 usage error, 70 internal error (a bug).
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/index.js';
import { generateAll, writeArtifacts } from '../generate/index.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const USAGE = `modelwatch ${VERSION}: production monitoring for ML and LLM models

Usage:
  modelwatch validate -c FILE            check a config and report every problem
  modelwatch generate -c FILE -o DIR     write the Prometheus, Alertmanager, Grafana and compose bundle
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
  -h, --help          this help`,
};

class UsageError extends Error {}

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  out: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
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

function run(argv: string[]): number {
  const { values, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (values.version) { process.stdout.write(`${VERSION}\n`); return 0; }
  if (!command) { process.stdout.write(`${USAGE}\n`); return values.help ? 0 : 64; }
  const help = HELP[command];
  if (!help) throw new UsageError(`unknown command "${command}"`);
  if (values.help) { process.stdout.write(`${help}\n`); return 0; }
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
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
  const artifacts = generateAll(model);
  writeArtifacts(values.out, artifacts);
  process.stdout.write(`wrote ${artifacts.length} files under ${values.out}\n`);
  return 0;
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`modelwatch: ${e.message}\nRun "modelwatch --help" for usage.\n`);
    process.exitCode = 64;
  } else {
    process.stderr.write(`modelwatch: internal error (this is a bug, please report it): ${(e as Error).message}\n`);
    process.exitCode = 70;
  }
}
