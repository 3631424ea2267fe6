/** What the request context adds for subscriptions (the composition root fills it in). */
import type { Scope } from "../cache/scope.js";
import type { ObjectChanges } from "./object-changes.js";
import type { ClusterChanges } from "./cluster-changes.js";

export interface SubscriptionContext {
  changes?: ObjectChanges;
  clusterChanges?: ClusterChanges;
  /** The subscriber's Scope now (it may narrow mid-stream); default the context's own. */
  scopeNow?: () => Scope | Promise<Scope>;
}
