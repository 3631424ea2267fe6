/** What the harness asks of the per-object peer's process, and what it answers. */
import type { PrometheusLoad } from "../measure/prometheus-window.js";
import type { LatencySummary } from "../stats.js";

export interface PerObjectSpec {
  /** The gateway's GraphQL endpoint and headers: the peer lists its page there, without usage. */
  gateway: { url: string; headers: Record<string, string> };
  /** The page's WorkloadFilter (the same as the gateway is asked). */
  filter: Record<string, unknown>;
  /** The shared Prometheus; `pid` so the peer can read its CPU over its own measured window. */
  prometheus: { url: string; pid: number; clusterLabel: string };
  /** PromQL requests in flight at once for one page (a browser's connections per host). */
  concurrency: number;
  /** Pages loaded at once (the scenario's connections; 1: one after another). */
  loops: number;
  durationS: number;
  warmupS: number;
}

export interface PerObjectResult extends LatencySummary {
  rps: number;
  duration_s: number;
  connections: number;
  /** The peer process's own CPU (cores) and memory. */
  cpu_cores: number;
  heap_bytes: number;
  rss_bytes: number;
  /** Pages assembled in the measured window (the requests the Prometheus load is divided by). */
  requests: number;
  /** What reached Prometheus over the measured window, counted as for the gateway. */
  prometheus: PrometheusLoad;
}
