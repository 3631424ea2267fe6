/**
 * Who a Subject is to a cluster's RBAC: its user name and every group the API server would
 * see when the gateway impersonates it, the implied ones included.
 */
import type { Subject } from "../../subject.js";

/** The API server's hard-coded superuser group: not an RBAC binding, so never in the cache. */
export const SUPERUSER_GROUP = "system:masters";

export interface RbacIdentity {
  readonly user: string;
  readonly groups: ReadonlySet<string>;
}

const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

export function rbacIdentityOf(subject: Subject): RbacIdentity {
  const groups = new Set(subject.groups);
  // Authentication off: the API server's anonymous user is unauthenticated, never authenticated.
  groups.add(subject.source === "anonymous" ? "system:unauthenticated" : "system:authenticated");
  if (subject.user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    // Impersonating a service account adds its groups, as its own token would carry them.
    const namespace = subject.user.slice(SERVICE_ACCOUNT_PREFIX.length).split(":")[0] ?? "";
    groups.add("system:serviceaccounts");
    groups.add(`system:serviceaccounts:${namespace}`);
  }
  return { user: subject.user, groups };
}

export const isSuperuser = (identity: RbacIdentity): boolean => identity.groups.has(SUPERUSER_GROUP);
