// generateAll: Model -> every artifact, in a stable order. writeArtifacts is the only fs here.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Model } from '../config/index.js';
import type { Artifact } from './artifact.js';
import { alertmanagerArtifacts } from './alertmanager/index.js';
import { composeArtifact } from './compose.js';
import { grafanaArtifacts } from './grafana/index.js';
import { prometheusArtifacts } from './prometheus/index.js';
import { runbookArtifacts } from './runbooks.js';
import { kubernetesArtifacts } from './kubernetes/index.js';

export type { Artifact } from './artifact.js';
export { GenerateError } from './kubernetes/index.js';

export interface GenerateOptions {
  /** compose (default): Prometheus, Alertmanager and Grafana files plus docker-compose.yml; kubernetes: Prometheus Operator resources. */
  readonly target?: 'compose' | 'kubernetes';
  /** The compose exporter service runs `modelwatch demo` (the committed example bundle) instead of `serve`. */
  readonly demo?: boolean;
  /** Multiplies every alert's `for` and slow rule-group intervals (end-to-end tests; 1 in production, DEMO_FOR_SCALE with demo). */
  readonly forScale?: number;
  /** Where the bundle is written (default the working directory): compose host paths are relative to it. */
  readonly outDir?: string;
  /** A directory holding the Dockerfile, relative to outDir: compose builds the exporter image from it. */
  readonly buildContext?: string;
}

/**
 * The demo bundle's alerts wait a tenth of their production `for`: the demo's incidents last
 * minutes, and a 30-minute `for` would alert after the incident is over (README "The demo").
 */
export const DEMO_FOR_SCALE = 0.1;

export const generateAll = (model: Model, options: GenerateOptions = {}): Artifact[] => options.target === 'kubernetes'
  ? [...kubernetesArtifacts(model), ...runbookArtifacts(model)]
  : [
  ...prometheusArtifacts(model, options.forScale ?? (options.demo ? DEMO_FOR_SCALE : 1)),
  ...alertmanagerArtifacts(model),
  ...grafanaArtifacts(model),
  ...runbookArtifacts(model),
  composeArtifact(model, { demo: options.demo ?? false, outDir: resolve(options.outDir ?? '.'), buildContext: options.buildContext }),
];

export function writeArtifacts(dir: string, artifacts: readonly Artifact[]): void {
  for (const a of artifacts) {
    const path = join(dir, a.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, a.content);
  }
}
