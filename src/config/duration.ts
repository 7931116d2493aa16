// Durations in the Prometheus style (30s, 5m, 7d), parsed to seconds and printed back.
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export function parseDuration(text: string): number {
  const match = /^([0-9]+)(ms|s|m|h|d|w)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
}

/** The shortest exact Prometheus duration for a whole number of seconds (604800 -> 1w, 5400 -> 90m). */
export function formatDuration(seconds: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_SECONDS[unit] as number;
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${Math.round(seconds * 1000)}ms`;
}
