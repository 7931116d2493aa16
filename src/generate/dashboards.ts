// Dashboard identities, shared by the Grafana generator and alert dashboard links.
export const DASHBOARDS = {
  overview: { uid: 'modelwatch-overview', title: 'ModelWatch / Overview', file: 'overview.json' },
  model: { uid: 'modelwatch-model-detail', title: 'ModelWatch / Model detail', file: 'model-detail.json' },
  drift: { uid: 'modelwatch-data-quality-drift', title: 'ModelWatch / Data quality & drift', file: 'data-quality-drift.json' },
  cost: { uid: 'modelwatch-business-cost', title: 'ModelWatch / Business & cost', file: 'business-cost.json' },
} as const;
export type DashboardKey = keyof typeof DASHBOARDS;
