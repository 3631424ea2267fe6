/** What the harness asks of the load generator's process, and what it answers. */
import type { LatencySummary } from "../stats.js";

export interface LoadSpec {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** The POST body: {"query": ..., "variables": ...}. */
  body: string;
  /** Sent with every request (the gateway's Authorization). */
  headers?: Record<string, string>;
  connections: number;
  durationS: number;
  /** When set, send exactly this many requests instead of running for durationS. */
  amount?: number;
  /**
   * When set, requests per second over all connections (an open rate, as users arrive); the
   * answered rate falls short of it when the server cannot keep up. Unset: closed loop.
   */
  overallRate?: number;
  /** Load before measuring, so the JIT and the caches are warm. */
  warmupS: number;
  /** Per request. */
  timeoutS: number;
}

export interface LoadResult extends LatencySummary {
  requests: number;
  /** Successful (2xx) answers per second. */
  rps: number;
  duration_s: number;
  connections: number;
  /** Connection errors and timeouts, as autocannon counts them. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 2xx answers whose body carried a GraphQL `errors` member. */
  graphql_errors: number;
  /** Up to three distinct answers that carried errors (their first 500 characters). */
  graphql_error_samples?: string[];
  bytes_per_response: number;
  /** CPU the load generator itself used (cores). */
  loadgen_cpu_cores: number;
}
