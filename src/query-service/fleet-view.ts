/**
 * What the read services need to know about the fleet beyond the cached objects: which clusters
 * exist, how healthy they are and how fresh their caches are. The composition root adapts the
 * real registry and fleet cache to this, so the services (and their tests) depend on three
 * methods rather than on the machinery that keeps connections and watches alive.
 */
export interface ClusterInfo {
  name: string;
  displayName: string;
  labels: Readonly<Record<string, string>>;
}

/** UNKNOWN until the first health probe ends. */
export type ClusterStatus = "READY" | "DEGRADED" | "UNREACHABLE" | "UNKNOWN";

export interface ClusterHealth {
  status: ClusterStatus;
  lastProbeAt: Date | null;
  latencyMs: number | null;
  kubernetesVersion: string | null;
  /** What made the last probe less than READY, as a message. */
  lastError: string | null;
}

/** How current one cluster's caches are; reported beside every list that fanned out to it. */
export interface ClusterFreshness {
  cluster: string;
  /** Every watch cache of the cluster finished its initial list. */
  synced: boolean;
  /** Since when the caches have been disconnected (data is served but may be old); null when live. */
  staleSince: Date | null;
  resourceVersion: string;
  /**
   * Of the kinds asked, those the cluster does not serve (their list answered 404): they have
   * nothing to sync. Absent when none.
   */
  unserved?: readonly string[];
}

/** A cluster's initial sync: a slow cluster is SYNCING (its lists under way), not unreachable. */
export interface ClusterSync {
  state: "SYNCING" | "SYNCED" | "FAILED";
  kindsSynced: number;
  kinds: number;
  /** Objects of the lists under way, and their pages. */
  listedObjects: number;
  listedPages: number;
  /** Why it failed (FAILED only), e.g. "forbidden: Secret: HTTP 403: ...". */
  failure: string | null;
}

export interface FleetView {
  /** The clusters of the fleet right now, in no particular order. */
  clusters(): readonly ClusterInfo[];
  /** Of the caches of `kinds` (a list's kinds), or of every cache of the cluster. */
  freshness(cluster: string, kinds?: readonly string[]): ClusterFreshness;
  health(cluster: string): ClusterHealth;
  /** The initial sync's progress; without it, told from `freshness` (SYNCED or SYNCING). */
  sync?(cluster: string): ClusterSync;
  /**
   * A cluster's or backend's failure as every tenant may read it (production mode: without the
   * addresses of the gateway's network); without it, as it is.
   */
  shownFailure?(message: string): string;
}
