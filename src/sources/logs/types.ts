// What a log-store reader reports while it reads, and what it must be able to checkpoint.
export type Anomaly = 'truncated' | 'truncated_while_down' | 'replaced' | 'shrunk';

export interface LogEvents {
  /** A raw record line, bytes [start, end) of a buffer (JSONL files, Loki log lines). */
  line(bytes: Buffer, start: number, end: number): void;
  /** An already-structured record (Elasticsearch documents, PostgreSQL rows). */
  record(rec: unknown): void;
  oversize(): void;
  anomaly(kind: Anomaly, where: string): void;
}

export interface LogReader {
  poll(events: LogEvents, signal?: AbortSignal): Promise<void>;
  /** The cursor, saved in the same checkpoint as the aggregates it produced. */
  readonly state: unknown;
  restore(state: unknown): void;
  close?(): Promise<void>;
}
