/**
 * Per-request collector of per-cluster problems. A cluster that is down or unsynced must not fail
 * the whole query: the services record what went wrong here and keep answering from the other
 * clusters (and from stale caches); the server turns the collected outcomes into GraphQL errors
 * with `extensions { code, cluster, retryable }` beside the data.
 */
export type ClusterErrorCode = "CLUSTER_UNAVAILABLE" | "CLUSTER_TIMEOUT" | "CLUSTER_FORBIDDEN";

export interface ClusterOutcome {
  cluster: string;
  code: ClusterErrorCode;
  message: string;
  retryable: boolean;
}

export class ClusterOutcomes {
  /** One outcome per (cluster, code): a request that lists pods and events reports a down cluster once. */
  private readonly byKey = new Map<string, ClusterOutcome>();

  reportClusterError(cluster: string, code: ClusterErrorCode, message: string, retryable: boolean): void {
    const key = `${cluster}\u0000${code}`;
    if (!this.byKey.has(key)) this.byKey.set(key, { cluster, code, message, retryable });
  }

  list(): ClusterOutcome[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }
}
