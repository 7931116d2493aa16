// The cardinality guard's rules, shared by the exporter's own metrics and the ingest state: which
// label values may appear (from the config; anything else folds into "other"), how many series a
// metric may hold, and the budget of series for the whole exporter.

/** Series held across the whole exporter, against exporter.series_limit. */
export class SeriesBudget {
  used = 0;
  constructor(readonly limit: number) {}
}

export interface LabelPolicy {
  /** Allowed values per label name; a label not listed accepts any value (the series cap still applies). */
  readonly allowed: ReadonlyMap<string, ReadonlySet<string>>;
  readonly seriesCap: number;
  readonly budget: SeriesBudget;
}
