/** What the request context adds for subscriptions (the composition root fills it in). */
import type { Scope } from "../cache/scope.js";
import type { ObjectChanges } from "./object-changes.js";
import type { ClusterChanges } from "./cluster-changes.js";
import type { PodLogs } from "./pod-logs.js";

export interface SubscriptionContext {
  changes?: ObjectChanges;
  clusterChanges?: ClusterChanges;
  /** Followed pod logs, read from the API servers as the subscriber. */
  podLogs?: PodLogs;
  /** Ends the subscriber's connection at once (a stalled subscriber too slow to be kept). */
  closeConnection?: (code: number, reason: string) => void;
  /** The subscriber's Scope now (it may narrow mid-stream); default the context's own. */
  scopeNow?: () => Scope | Promise<Scope>;
}
