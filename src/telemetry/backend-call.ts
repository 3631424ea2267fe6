/**
 * The contract between the clients of the gateway's backends (API servers, Prometheus, log
 * stores, OPA) and its telemetry: a client tells when a call starts and how it ended, and knows
 * nothing of metrics or spans. A leaf module: src/fleet, src/backends and auth/ import it, it
 * imports nothing.
 */

export type Backend = "api-server" | "prometheus" | "alertmanager" | "log-store" | "opa";

export interface BackendCall {
  backend: Backend;
  /** The member cluster the call is for, where there is one (API servers; a cluster's own store). */
  cluster?: string;
  /** HTTP method. */
  method: string;
  /**
   * What was asked, with a bounded set of values (never ids or query text): "list pods",
   * "/api/v1/query", "search", "data".
   */
  route: string;
}

export interface CallEnd {
  /** The HTTP status the backend answered with, when it answered. */
  status?: number;
  /** The error code of a failed call ("CLUSTER_UNAVAILABLE", "PROMETHEUS_TIMEOUT", ...). */
  error?: string;
}

/** Ends an observed call; called once. */
export type CallEnded = (end: CallEnd) => void;

export interface BackendCallObserver {
  start(call: BackendCall): CallEnded;
}

const ignore: CallEnded = () => {};

/** The observer of a client nobody watches (tests, the CLI): costs a call per request. */
export const UNOBSERVED: BackendCallObserver = { start: () => ignore };
