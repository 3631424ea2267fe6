/**
 * The cluster part of access for the whole fleet, from the RBAC objects the gateway caches:
 * per cluster, a ClusterPolicy rebuilt when the RBAC kinds change anywhere. A cluster whose
 * RBAC is not synced (forbidden, unreachable) grants NOTHING, unless it is configured to trust
 * the gateway's grants; members of system:masters get everything, as the API server hard-codes.
 */
import type { CacheEntry } from "../../../src/cache/entry.js";
import type { FleetCache } from "../../../src/cache/fleet-cache.js";
import type { FleetIndex } from "../../../src/cache/fleet-index.js";
import type { ScopeGrant } from "../../../src/cache/scope.js";
import { RBAC_KINDS } from "../../../src/kinds/rbac.js";
import type { Subject } from "../../subject.js";
import type { ResourceRequest } from "../resource-request.js";
import { ClusterPolicy } from "./cluster-policy.js";
import { isSuperuser, rbacIdentityOf } from "./rbac-identity.js";
import { SubjectAccess, type AccessKind, type Decision } from "./subject-access.js";

export interface FleetRbacOptions {
  index: Pick<FleetIndex, "find" | "changesOf">;
  /** Whether the cluster's four RBAC kinds finished their initial list; see rbacSyncedIn. */
  rbacSynced(cluster: string): boolean;
  /** Clusters whose part is "everything" while their RBAC cannot be read. Default: none. */
  trustGatewayGrants?(cluster: string): boolean;
}

/** What a cluster's RBAC lets a subject read: everything, or these grants (maybe none). */
export type ClusterReadAccess = "everything" | readonly ScopeGrant[];

export class FleetRbac {
  private policies = new Map<string, ClusterPolicy>();
  private policiesAt = "";

  constructor(private readonly options: FleetRbacOptions) {}

  /** Changes whenever any cluster's RBAC objects change (or a cluster's stores are dropped). */
  revision(): string {
    return RBAC_KINDS.map((k) => this.options.index.changesOf(k.kind)).join(".");
  }

  /** The same changes as one number (counters only grow): what the request path compares. */
  changeCount(): number {
    let sum = 0;
    for (const k of RBAC_KINDS) sum += this.options.index.changesOf(k.kind);
    return sum;
  }

  decide(subject: Subject, cluster: string, request: ResourceRequest): Decision {
    const identity = rbacIdentityOf(subject);
    if (isSuperuser(identity)) return { allowed: true, reason: "RBAC: member of system:masters" };
    const access = this.accessOf(subject, cluster);
    if (access === "trusted")
      return { allowed: true, reason: `cluster "${cluster}" trusts the gateway's grants` };
    if (access === undefined) {
      return {
        allowed: false,
        reason: `the RBAC of cluster "${cluster}" is not readable yet (fails closed)`,
      };
    }
    return access.decide(request);
  }

  readAccess(subject: Subject, cluster: string, kinds: readonly AccessKind[]): ClusterReadAccess {
    if (isSuperuser(rbacIdentityOf(subject))) return "everything";
    const access = this.accessOf(subject, cluster);
    if (access === "trusted" || access?.allowsEverything()) return "everything";
    return access === undefined ? [] : access.readGrants(cluster, kinds);
  }

  private accessOf(subject: Subject, cluster: string): SubjectAccess | "trusted" | undefined {
    const policy = this.policy(cluster);
    if (!policy) return this.options.trustGatewayGrants?.(cluster) ? "trusted" : undefined;
    const identity = rbacIdentityOf(subject);
    return new SubjectAccess(policy.bindingsOf(identity), describeSubject(subject));
  }

  private policy(cluster: string): ClusterPolicy | undefined {
    if (!this.options.rbacSynced(cluster)) return undefined;
    const revision = this.revision();
    if (revision !== this.policiesAt) {
      this.policies = new Map();
      this.policiesAt = revision;
    }
    let policy = this.policies.get(cluster);
    if (!policy) {
      const entries = <D>(kind: string) =>
        (this.options.index.find(cluster, kind)?.all() ?? []) as Iterable<CacheEntry<D>>;
      policy = ClusterPolicy.from({
        roles: entries("Role"),
        clusterRoles: entries("ClusterRole"),
        roleBindings: entries("RoleBinding"),
        clusterRoleBindings: entries("ClusterRoleBinding"),
      });
      this.policies.set(cluster, policy);
    }
    return policy;
  }
}

/** The synced predicate over the gateway's watch caches. */
export function rbacSyncedIn(caches: Pick<FleetCache, "cache">): (cluster: string) => boolean {
  return (cluster) => {
    const cache = caches.cache(cluster);
    return cache !== undefined && RBAC_KINDS.every((k) => cache.reflector(k.kind)?.isSynced === true);
  };
}

function describeSubject(subject: Subject): string {
  return subject.groups.length === 0
    ? `User "${subject.user}"`
    : `User "${subject.user}" (groups ${subject.groups.join(", ")})`;
}
