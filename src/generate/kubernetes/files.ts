// Which files the exporter pod needs, where they go in the container, and where their content
// comes from: a ConfigMap (the config, golden sets, baselines: read now, shipped as data) or a
// Secret (secret files, the web config and its keys: never read, only named, so their values
// stay out of the generated output). One projected volume per container directory.
import { readFileSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Model } from '../../config/index.js';
import { CONFIG_DIR, containerConfig, containerPath, fileReferences, globDir } from '../paths.js';

export class GenerateError extends Error {}

export interface PodFile {
  /** Absolute path inside the container. */
  readonly path: string;
  /** Key in the ConfigMap or Secret: the path made key-safe. */
  readonly key: string;
  readonly from: 'configmap' | 'secret';
  /** ConfigMap: the content. Secret: the file the user provides under kubernetes/secrets/. */
  readonly content?: string;
}

const keyOf = (containerFile: string) => containerFile.replace(/^\//, '').replace(/[^-._a-zA-Z0-9]/g, '_');

export interface PodFiles {
  readonly files: PodFile[];
  /** Directories of JSONL globs, mounted from the logs claim. */
  readonly logDirs: string[];
  /** Client certificates required: kubelet probes cannot present one. */
  readonly mutualTls: boolean;
}

export function podFiles(model: Model, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): PodFiles {
  const files = new Map<string, PodFile>();
  const add = (path: string, from: PodFile['from'], content?: string) => files.set(path, { path, key: keyOf(path), from, ...(content !== undefined ? { content } : {}) });
  const load = (what: string, host: string, why = 'the Kubernetes bundle ships it in a ConfigMap') => {
    try {
      return read(host);
    } catch (e) {
      throw new GenerateError(`${what}: cannot read ${host} (${(e as NodeJS.ErrnoException).code ?? 'error'}): ${why}`);
    }
  };
  add(containerConfig(model), 'configmap', load('the config', model.configPath));
  const logDirs = new Set<string>();
  let mutualTls = false;
  for (const r of fileReferences(model, 'exporter')) {
    const host = resolve(model.configDir, r.written);
    if (r.kind === 'glob') logDirs.add(containerPath(globDir(r.written)));
    else if (r.kind === 'secret') add(containerPath(r.written), 'secret');
    else if (r.at === 'exporter.web.config_file') {
      add(containerPath(r.written), 'secret');
      // Its certificate files are named relative to it: they travel with it, as secrets.
      const web = (parseYaml(load(r.at, host, 'the Kubernetes bundle mounts the certificate files it names')) ?? {}) as { tls_server_config?: Record<string, string> };
      const tls = web.tls_server_config ?? {};
      for (const k of ['cert_file', 'key_file', 'client_ca_file']) if (tls[k]) add(posix.join(posix.dirname(containerPath(r.written)), tls[k] as string), 'secret');
      mutualTls = tls.client_auth_type === 'RequireAndVerifyClientCert';
    } else add(containerPath(r.written), 'configmap', load(r.at, host));
  }
  // Keys are file names where they are unique (kubernetes/secrets/<key> is what the user writes).
  const all = [...files.values()];
  const count = new Map<string, number>();
  for (const f of all) count.set(posix.basename(f.path), (count.get(posix.basename(f.path)) ?? 0) + 1);
  const keyed = all.map((f) => ({ ...f, key: count.get(posix.basename(f.path)) === 1 ? keyOf(posix.basename(f.path)) : f.key }));
  const size = keyed.reduce((n, f) => n + Buffer.byteLength(f.content ?? ''), 0);
  // The API server refuses ConfigMaps over 1 MiB.
  if (size > 1_000_000) throw new GenerateError(`the config, golden sets and baselines add up to ${size} bytes, more than a ConfigMap holds (1 MiB): keep large baselines on a volume and name them by absolute path`);
  return { files: keyed.sort((a, b) => a.path.localeCompare(b.path)), logDirs: [...logDirs].sort(), mutualTls };
}

/** Files grouped by the directory one volume is mounted at: the config directory, else their own. */
export function byMount(files: readonly PodFile[]): Map<string, PodFile[]> {
  const out = new Map<string, PodFile[]>();
  for (const f of files) {
    const root = f.path.startsWith(`${CONFIG_DIR}/`) ? CONFIG_DIR : posix.dirname(f.path);
    out.set(root, [...(out.get(root) ?? []), f]);
  }
  return out;
}
