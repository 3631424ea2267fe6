/**
 * Per-request collector of per-cluster problems and warnings. A cluster that is down or unsynced
 * must not fail the whole query: the services record what went wrong here and keep answering from
 * the other clusters (and from stale caches). Every connection reports, in its data, one outcome
 * per cluster it read (PageOutcome); the server also turns the collected problems into GraphQL
 * errors with `extensions { code, cluster, retryable }` and the warnings into
 * `extensions.warnings` of the response.
 */
import type { UpstreamRefusedError } from "../limits/request-budget.js";
import type { ClusterFreshness } from "./fleet-view.js";

export type ClusterErrorCode =
  | "CLUSTER_UNAVAILABLE"
  | "CLUSTER_TIMEOUT"
  | "CLUSTER_FORBIDDEN"
  | "PROMETHEUS_UNAVAILABLE"
  | "PROMETHEUS_TIMEOUT"
  | "PROMETHEUS_BAD_QUERY"
  | "ALERTMANAGER_UNAVAILABLE"
  | "ALERTMANAGER_TIMEOUT"
  | "ALERTMANAGER_BAD_QUERY"
  | "LOG_STORE_UNAVAILABLE"
  | "LOG_STORE_TIMEOUT"
  | "LOG_STORE_BAD_QUERY"
  | "TOO_MANY_UPSTREAM_CALLS"
  | "REQUEST_TIMEOUT";

/** A backend beside the cluster's API server whose failure is reported apart from the cluster's. */
export type OutcomeSource = "PROMETHEUS" | "LOG_STORE" | "ALERTMANAGER";

export interface ClusterOutcome {
  cluster: string;
  code: ClusterErrorCode;
  message: string;
  retryable: boolean;
  /** What failed: the cluster's API server (default), its Prometheus or its log store. */
  source?: OutcomeSource;
  /** The cluster throttled the read (HTTP 429) and asked not to be called again for this long. */
  retryAfterSeconds?: number;
}

/** Something the caller should know that is not an error, e.g. a filter naming an unknown cluster. */
export interface Warning {
  code: string;
  message: string;
  [detail: string]: unknown;
}

/** Where a cluster's part of an answer came from. */
export type DataSource = "CACHE" | "API_SERVER" | "PROMETHEUS" | "LOG_STORE" | "ALERTMANAGER";

/** One cluster's part of one list, as the list's `outcomes` report it. */
export interface PageOutcome extends ClusterFreshness {
  source: DataSource;
  /** Why the cluster's part is missing, incomplete or old; null when it is complete and current. */
  error: ClusterOutcome | null;
}

export class ClusterOutcomes {
  /** One outcome per (cluster, code): a request that lists pods and events reports a down cluster once. */
  private readonly byKey = new Map<string, ClusterOutcome>();
  private readonly warnings = new Map<string, Warning>();

  /** `shown`: a failure's message as the caller may read it (FleetView.shownFailure). */
  constructor(private readonly shown: (message: string) => string = (message) => message) {}

  reportClusterError(
    cluster: string,
    code: ClusterErrorCode,
    message: string,
    retryable: boolean,
    source?: OutcomeSource,
    retryAfterSeconds?: number,
  ): void {
    const key = `${cluster}\u0000${code}`;
    if (!this.byKey.has(key))
      this.byKey.set(key, {
        cluster,
        code,
        message: this.shown(message),
        retryable,
        source,
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      });
  }

  /**
   * A call the request's budget refused (src/limits/request-budget.ts): the cluster's part is
   * missing for a reason of the request's, under the limit's own code, and asking again the same
   * way meets the same limit.
   */
  reportRefusal(cluster: string, what: string, error: UpstreamRefusedError, source?: OutcomeSource): void {
    this.reportClusterError(
      cluster,
      error.code,
      `${what} from cluster "${cluster}": ${error.message}`,
      false,
      source,
    );
  }

  /**
   * The first problem reported for a cluster in this request, from the API server or (when asked)
   * from its Prometheus: a list of pods is not incomplete because the pods' CPU could not be read.
   */
  errorFor(cluster: string, source?: OutcomeSource): ClusterOutcome | undefined {
    for (const outcome of this.byKey.values())
      if (outcome.cluster === cluster && outcome.source === source) return outcome;
    return undefined;
  }

  /** Warnings with the same message are reported once. */
  warn(warning: Warning): void {
    if (!this.warnings.has(warning.message)) this.warnings.set(warning.message, warning);
  }

  list(): ClusterOutcome[] {
    return [...this.byKey.values()];
  }

  listWarnings(): Warning[] {
    return [...this.warnings.values()];
  }

  get size(): number {
    return this.byKey.size;
  }

  /**
   * The outcomes of a list that read `clusters`, once every problem of the read is reported. A
   * list ordered by a metric also reports its clusters' Prometheus failures: their objects are
   * there, but out of order.
   */
  pageOutcomes(
    clusters: readonly ClusterFreshness[],
    source: DataSource,
    orderedByMetric = false,
  ): PageOutcome[] {
    return clusters.map((c) => ({
      ...c,
      source,
      error:
        this.errorFor(c.cluster) ??
        (orderedByMetric ? this.errorFor(c.cluster, "PROMETHEUS") : undefined) ??
        null,
    }));
  }
}
