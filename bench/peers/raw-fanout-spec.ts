/** What the harness asks of the raw-fanout peer's process, and what it answers. */
import type { LatencySummary } from "../stats.js";

export interface FanoutSpec {
  kubeconfig: string;
  operation: "pods-query" | "node-lookup" | "dashboard" | "throughput" | "sync";
  durationS: number;
  warmupS: number;
  /** Loops running at once (the throughput scenario's connections; 1 elsewhere). */
  concurrency: number;
  /** pods-query: the label selector. */
  selector?: string;
  /** throughput: the cluster whose payments namespace is listed. */
  cluster?: string;
  /** node-lookup: the pod read (then its node). */
  pod?: { cluster: string; namespace: string; name: string };
}

export interface FanoutResult extends LatencySummary {
  rps: number;
  duration_s: number;
  connections: number;
  cpu_cores: number;
  heap_bytes: number;
  rss_bytes: number;
}

export interface FanoutSyncResult {
  sync_ms: number;
  pods: number;
  /** Heap held by the listed pods (after full collections before and after). */
  heap_bytes: number;
  heap_bytes_per_pod: number;
  rss_bytes: number;
  gc_forced: boolean;
}
