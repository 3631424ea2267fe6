/**
 * Who a member cluster should check a call made for a caller against: the caller's own user and
 * groups, so the cluster's RBAC applies to them (defence in depth behind the gateway's Scope).
 */
import type { Subject } from "./subject.js";

/** Structurally the fleet's Impersonation (auth/ does not import src/fleet). */
export interface ClusterIdentity {
  readonly user: string;
  readonly groups: readonly string[];
}

/**
 * undefined when authentication is off: "system:anonymous" would be refused everything by a real
 * cluster, while the gateway's own grants are what the operator chose. API tokens narrowed with
 * `restrictedTo` impersonate their owner: the cluster knows no narrower identity, so the
 * narrowing is the gateway's Scope's alone.
 */
export function impersonationOf(subject: Subject): ClusterIdentity | undefined {
  if (subject.source === "anonymous") return undefined;
  return { user: subject.user, groups: subject.groups };
}
