// A background poll: what the scheduler runs on its interval, with a timeout and a source label.
export interface Job {
  /** Source label value, for example endpoint/fraud-classifier. */
  readonly id: string;
  readonly kind: 'endpoint' | 'golden' | 'logs' | 'billing';
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  run(signal: AbortSignal): Promise<void>;
}
