/** Latency summaries from raw samples (exact percentiles: the sample sets are small). */
import { round } from "./proc-stats.js";

export interface LatencySummary {
  samples: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  mean_ms: number;
  max_ms: number;
}

/** Nearest-rank percentile of sorted values; `p` in 0..100. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    samples: sorted.length,
    p50_ms: round(percentile(sorted, 50), 3),
    p95_ms: round(percentile(sorted, 95), 3),
    p99_ms: round(percentile(sorted, 99), 3),
    mean_ms: round(sorted.length ? total / sorted.length : Number.NaN, 3),
    max_ms: round(sorted.at(-1) ?? Number.NaN, 3),
  };
}

/** Requests one at a time for `seconds`: each one's latency in ms. */
export async function closedLoop(seconds: number, request: () => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    await request();
    latencies.push(performance.now() - started);
  }
  return latencies;
}
