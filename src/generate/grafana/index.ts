// grafana/provisioning and grafana/dashboards: dashboards are written as the bare dashboard
// object (file provisioning), not the Kubernetes-style envelope.
import type { Model } from '../../config/index.js';
import { jsonArtifact, yamlArtifact, type Artifact } from '../artifact.js';
import { DASHBOARDS } from '../dashboards.js';
import { businessCost, dataQualityDrift, modelDetail, overview } from './dashboards.js';

export const DATASOURCE_UID = 'modelwatch-prometheus';
export const DASHBOARD_DIR = '/var/lib/grafana/dashboards';

/** Numbers every panel (rows included) 1, 2, 3... in order: a deep link (viewPanel=N) needs a unique id. */
function numbered<T extends { panels?: { id?: number }[] }>(d: T): T {
  return { ...d, panels: (d.panels ?? []).map((p, i) => ({ ...p, id: i + 1 })) };
}

export function dashboards(model: Model) {
  const src = model.configPath;
  return [
    { file: DASHBOARDS.overview.file, dashboard: numbered(overview(model)) },
    { file: DASHBOARDS.model.file, dashboard: numbered(modelDetail(model)) },
    { file: DASHBOARDS.drift.file, dashboard: numbered(dataQualityDrift(model)) },
    { file: DASHBOARDS.cost.file, dashboard: numbered(businessCost(src)) },
  ];
}

export function grafanaArtifacts(model: Model): Artifact[] {
  const src = model.configPath;
  return [
    yamlArtifact('grafana/provisioning/datasources/modelwatch.yml', src, {
      apiVersion: 1,
      datasources: [{
        name: 'Prometheus', type: 'prometheus', uid: DATASOURCE_UID, access: 'proxy', url: 'http://prometheus:9090',
        isDefault: true, editable: false,
        // $__rate_interval is only right when Grafana knows the real scrape interval.
        jsonData: { timeInterval: `${model.prometheus.scrapeIntervalSeconds}s`, httpMethod: 'POST' },
      }],
    }),
    yamlArtifact('grafana/provisioning/dashboards/modelwatch.yml', src, {
      apiVersion: 1,
      providers: [{
        name: 'modelwatch', folder: model.grafana.folder, type: 'file', disableDeletion: true, allowUiUpdates: false,
        updateIntervalSeconds: 30, options: { path: DASHBOARD_DIR, foldersFromFilesStructure: false },
      }],
    }),
    ...dashboards(model).map((d) => jsonArtifact(`grafana/dashboards/${d.file}`, d.dashboard)),
  ];
}
