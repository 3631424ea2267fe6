/**
 * Access: what a caller may read (its Scope) and whether it may do one thing (`can`). Both are
 * the gateway's grants (built-in roles, narrowed by an API token's restrictedTo) AND each
 * cluster's own RBAC AND, when configured, an extra policy source. Scopes are cached per
 * subject until RBAC objects, namespaces (their workspace labels), the subject's bindings, the
 * fleet's clusters or the policy's revision change.
 */
import type { FleetIndex } from "../../src/cache/fleet-index.js";
import { isClusterScoped } from "../../src/cache/kind-spec.js";
import { Scope, type ScopeGrant, type ScopedKind } from "../../src/cache/scope.js";
import { KINDS } from "../../src/kinds/index.js";
import type { ObjectReader } from "../../src/query-service/object-reader.js";
import { workspaceNamespaces } from "../../src/query-service/workspace-namespaces.js";
import { subjectKey, type RoleRef, type Subject } from "../subject.js";
import type { FleetRbac } from "./cluster-rbac/fleet-rbac.js";
import { rbacIdentityOf } from "./cluster-rbac/rbac-identity.js";
import type { AccessKind, Decision } from "./cluster-rbac/subject-access.js";
import { GatewayGrants, type WorkspaceNamespacesOf } from "./gateway-grants.js";
import type { PolicySource } from "./policy-source.js";
import { resourceOf, type ResourceRequest } from "./resource-request.js";
import { roleRefsOf, type GatewayRoleBinding } from "./roles.js";

export interface AccessEvaluatorOptions {
  rbac: FleetRbac;
  /** The current bindings of built-in roles (config, later a persisted store). */
  bindings(): readonly GatewayRoleBinding[];
  /** The fleet's clusters now. */
  clusters(): readonly string[];
  /** Reads workspaces' namespaces from the namespace cache. */
  reader: ObjectReader;
  index: Pick<FleetIndex, "changesOf">;
  workspaceLabel: string;
  /** The kinds a Scope speaks of; default the cached kinds of src/kinds. */
  kinds?: readonly AccessKind[];
  policy?: PolicySource;
  /**
   * Changes whenever bindings() may have changed. Given, a repeated Subject (the authenticator
   * hands back the same object for a cached token) skips recomputing its roles per request.
   */
  bindingsRevision?(): string | number;
  /** Subjects whose Scopes are kept; the cache starts over past it. Default 10 000. */
  maxCachedSubjects?: number;
}

/** A `can` question: a verb on a cached kind (or any group and resource), in a cluster. */
export interface AccessQuestion {
  readonly verb: string;
  readonly cluster: string;
  readonly kind?: string;
  /** With `resource`, for kinds the gateway does not cache. */
  readonly group?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Creating a namespace: the workspace it is for. */
  readonly workspace?: string;
  /**
   * The request will be sent to the cluster impersonated as the caller (a mutation), so the
   * cluster's own RBAC decides it for real: the gateway's copy of that RBAC (which can lag a
   * new binding by a moment) is not asked. A cluster that trusts the gateway's grants is still
   * answered by the gateway's grants alone.
   */
  readonly decidedByCluster?: boolean;
}

export interface AccessAnswer extends Decision {
  readonly gateway: Decision;
  readonly cluster: Decision;
  readonly policy?: Decision;
}

export class AccessQuestionError extends Error {
  constructor(
    readonly question: AccessQuestion,
    message: string,
  ) {
    super(message);
    this.name = "AccessQuestionError";
  }
}

export class AccessEvaluator {
  private readonly kinds: readonly AccessKind[];
  private readonly scopedKinds: readonly ScopedKind[];
  private readonly kindNames: readonly string[];
  private readonly cache = new Map<string, CachedScope>();
  private readonly bySubject = new WeakMap<Subject, SeenSubject>();

  constructor(private readonly options: AccessEvaluatorOptions) {
    this.kinds = options.kinds ?? KINDS;
    this.scopedKinds = this.kinds.map((k) => ({ kind: k.kind, clusterScoped: isClusterScoped(k) }));
    this.kindNames = this.kinds.map((k) => k.kind);
  }

  /** Synchronous unless a policy source must be asked (the request path awaits only then). */
  scopeFor(subject: Subject): Scope | Promise<Scope> {
    const base = this.baseScope(subject);
    const policy = this.options.policy;
    if (!policy) return base.scope;
    return this.withPolicy(subject, base, policy);
  }

  private async withPolicy(subject: Subject, base: CachedScope, policy: PolicySource): Promise<Scope> {
    const revision = policy.revision?.();
    if (revision !== undefined && base.withPolicy?.revision === revision) return base.withPolicy.scope;
    const grants = await policy.grants(subject);
    const scope =
      grants === "everything"
        ? base.scope
        : Scope.intersect(base.scope, Scope.of(grants), this.options.clusters(), this.scopedKinds);
    // Without a revision the policy is asked every time; only the rest stays cached.
    if (revision !== undefined) base.withPolicy = { revision, scope };
    return scope;
  }

  /** Gateway grants and cluster RBAC, cached per subject while nothing they read has changed. */
  private baseScope(subject: Subject): CachedScope {
    const clusters = this.options.clusters();
    const revision = this.options.bindingsRevision?.();
    if (revision === undefined) return this.scopeOfSubject(subject, clusters);
    // The request path: a few counters and the clusters list's identity instead of the
    // subject's roles and key (clusters() hands back the same array until the fleet changes).
    const rbac = this.options.rbac.changeCount();
    const namespaces = this.options.index.changesOf("Namespace");
    const seen = this.bySubject.get(subject);
    if (
      seen &&
      seen.clusters === clusters &&
      seen.rbac === rbac &&
      seen.namespaces === namespaces &&
      seen.bindings === revision
    )
      return seen.cached;
    const cached = this.scopeOfSubject(subject, clusters);
    this.bySubject.set(subject, { clusters, rbac, namespaces, bindings: revision, cached });
    return cached;
  }

  private scopeOfSubject(subject: Subject, clusters: readonly string[]): CachedScope {
    const refs = this.refsOf(subject);
    const key = [
      this.options.rbac.revision(),
      this.options.index.changesOf("Namespace"),
      clusters.join(","),
      JSON.stringify(refs),
    ].join("\u0000");
    const id = subjectKey(subject);
    const cached = this.cache.get(id);
    if (cached?.key === key) return cached;
    const fresh: CachedScope = { key, scope: this.computeScope(subject, refs, clusters) };
    if (this.cache.size >= (this.options.maxCachedSubjects ?? 10_000)) this.cache.clear();
    this.cache.set(id, fresh);
    return fresh;
  }

  /**
   * The cluster's own RBAC alone. The gateway's roles decide by kind, so a subresource (pods/log)
   * is the cluster's to tell apart from its resource: with the Scope (which holds the gateway's
   * part), this answers "may read pods' logs there" without a full decision per namespace.
   */
  clusterAllows(subject: Subject, question: AccessQuestion): boolean {
    const target = this.targetOf(question);
    return this.options.rbac.decide(subject, question.cluster, rbacRequestOf(question, target)).allowed;
  }

  async can(subject: Subject, question: AccessQuestion): Promise<AccessAnswer> {
    const target = this.targetOf(question);
    const gateway = this.gatewayDecision(subject, question, target);
    const cluster = question.decidedByCluster
      ? { allowed: true, reason: `decided by cluster "${question.cluster}" itself (impersonated)` }
      : this.options.rbac.decide(subject, question.cluster, rbacRequestOf(question, target));
    let policy: Decision | undefined;
    if (gateway.allowed && cluster.allowed && this.options.policy) {
      const answer = await this.options.policy.allow({
        subject: { user: subject.user, groups: subject.groups },
        action: question.verb,
        resource: {
          cluster: question.cluster,
          group: target.group,
          ...(target.kind ? { kind: target.kind } : {}),
          ...(question.workspace ? { workspace: question.workspace } : {}),
          ...(question.namespace ? { namespace: question.namespace } : {}),
          ...(question.name ? { name: question.name } : {}),
        },
        request: {
          resource: target.resource,
          ...(question.subresource ? { subresource: question.subresource } : {}),
        },
      });
      policy = {
        allowed: answer.allowed,
        reason: `policy: ${answer.reason ?? (answer.allowed ? "allowed" : "denied")}`,
      };
    }
    const parts = [gateway, cluster, ...(policy ? [policy] : [])];
    const denied = parts.find((d) => !d.allowed);
    return {
      allowed: denied === undefined,
      reason: denied?.reason ?? parts.map((d) => d.reason).join("; "),
      gateway,
      cluster,
      ...(policy ? { policy } : {}),
    };
  }

  private computeScope(subject: Subject, refs: readonly RoleRef[], clusters: readonly string[]): Scope {
    const gateway = new GatewayGrants(refs, this.workspaceNamespaces);
    const rbacGrants: ScopeGrant[] = [];
    let rbacEverything = true;
    for (const cluster of clusters) {
      const access = this.options.rbac.readAccess(subject, cluster, this.kinds);
      if (access === "everything")
        rbacGrants.push({ cluster, namespaces: "*", kinds: "*", clusterKinds: "*" });
      else {
        rbacEverything = false;
        rbacGrants.push(...access);
      }
    }
    const ownScope = gateway.everything ? Scope.everything() : Scope.of(gateway.readGrants(this.kindNames));
    // The fast path: platform-admin on clusters whose RBAC lets it do anything.
    let scope =
      ownScope.unrestricted && rbacEverything
        ? Scope.everything()
        : Scope.intersect(ownScope, Scope.of(rbacGrants), clusters, this.scopedKinds);
    if (subject.restrictedTo) {
      const restricted = new GatewayGrants(subject.restrictedTo, this.workspaceNamespaces);
      if (!restricted.everything) {
        const narrower = Scope.of(restricted.readGrants(this.kindNames));
        scope = Scope.intersect(scope, narrower, clusters, this.scopedKinds);
      }
    }
    return scope;
  }

  private gatewayDecision(subject: Subject, question: AccessQuestion, target: Target): Decision {
    const asked = {
      verb: question.verb,
      kind: target.kind ?? `${target.resource}.${target.group}`,
      clusterScoped: target.clusterScoped,
      cluster: question.cluster,
      ...(question.namespace ? { namespace: question.namespace } : {}),
      ...(question.workspace ? { workspace: question.workspace } : {}),
    };
    const own = new GatewayGrants(this.refsOf(subject), this.workspaceNamespaces).decide(asked);
    if (!own.allowed || !subject.restrictedTo) return own;
    const restricted = new GatewayGrants(subject.restrictedTo, this.workspaceNamespaces).decide(asked);
    return restricted.allowed
      ? own
      : { allowed: false, reason: `${restricted.reason} (the token is restricted)` };
  }

  private refsOf(subject: Subject): RoleRef[] {
    return roleRefsOf(this.options.bindings(), subject.user, rbacIdentityOf(subject).groups);
  }

  private readonly workspaceNamespaces: WorkspaceNamespacesOf = (workspace) => {
    const found = workspaceNamespaces(this.options.reader, [workspace], undefined, Scope.everything(), {
      workspaceLabel: this.options.workspaceLabel,
    });
    const byCluster = new Map<string, string[]>();
    for (const cluster of found.clusters()) {
      byCluster.set(
        cluster,
        found.names().filter((ns) => found.has(cluster, ns)),
      );
    }
    return byCluster;
  };

  private targetOf(q: AccessQuestion): Target {
    if (q.kind !== undefined) {
      const kind = this.kinds.find((k) => k.kind === q.kind);
      if (!kind)
        throw new AccessQuestionError(q, `"${q.kind}" is not a cached kind: ask with group and resource`);
      return { kind: kind.kind, ...resourceOf(kind.path), clusterScoped: isClusterScoped(kind) };
    }
    if (q.resource === undefined)
      throw new AccessQuestionError(q, "a question names a kind, or a group and resource");
    const group = q.group ?? "";
    const known = this.kinds.find((k) => {
      const r = resourceOf(k.path);
      return r.group === group && r.resource === q.resource;
    });
    // An uncached resource: cluster-scoped when asked without a namespace.
    return {
      kind: known?.kind,
      group,
      resource: q.resource,
      clusterScoped: known ? isClusterScoped(known) : !q.namespace,
    };
  }
}

interface SeenSubject {
  clusters: readonly string[];
  rbac: number;
  namespaces: number;
  bindings: string | number;
  cached: CachedScope;
}

interface CachedScope {
  key: string;
  scope: Scope;
  withPolicy?: { revision: string | number; scope: Scope };
}

interface Target {
  kind: string | undefined;
  group: string;
  resource: string;
  clusterScoped: boolean;
}

/** A question in the API server's authorisation attributes, for the cluster's RBAC. */
function rbacRequestOf(
  question: AccessQuestion,
  target: { group: string; resource: string },
): ResourceRequest {
  return {
    verb: question.verb,
    group: target.group,
    resource: target.resource,
    ...(question.subresource ? { subresource: question.subresource } : {}),
    ...(question.namespace ? { namespace: question.namespace } : {}),
    ...(question.name ? { name: question.name } : {}),
  };
}
