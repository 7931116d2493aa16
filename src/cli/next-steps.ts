// What a user must still provide after `generate`: the secret files the bundle mounts and the
// environment variables it passes through. Printed, never written: values are the user's.
import type { Model } from '../config/index.js';
import yaml from 'js-yaml';
import type { Artifact } from '../generate/index.js';
import { envNames, fileReferences, secretName } from '../generate/paths.js';

export function nextSteps(model: Model, target: 'compose' | 'kubernetes', artifacts: readonly Artifact[]): string[] {
  const secrets = [...new Set((['exporter', 'prometheus', 'alertmanager', 'grafana'] as const)
    .flatMap((c) => fileReferences(model, c)).filter((r) => r.kind === 'secret').map((r) => secretName(r.written) ?? r.written))].sort();
  const env = envNames(model);
  if (target === 'kubernetes') {
    // Read off the kustomization just generated: the files its secretGenerators name.
    const k = yaml.load(artifacts.find((a) => a.path === 'kubernetes/kustomization.yaml')?.content ?? '') as { secretGenerator?: { files?: string[] }[] } | undefined;
    const files = (k?.secretGenerator ?? []).flatMap((g) => (g.files ?? []).map((f) => f.split('=')[1] as string)).sort();
    return files.length ? [`create these files under kubernetes/, then kubectl apply -k kubernetes/ (kustomize makes the Secrets): ${files.join(', ')}`] : [];
  }
  return [
    ...(secrets.length ? [`create these files under secrets/ (readable by the containers' users): ${secrets.join(', ')}`] : []),
    ...(env.length ? [`export these variables (or list them in a .env file) before docker compose up: ${env.join(', ')}`] : []),
  ];
}
