/**
 * What the gateway's own grants allow: built-in roles placed where their bindings say, as Scope
 * grants (reads) and as single decisions. A workspace role lands on the namespaces labelled
 * with the workspace in each cluster's cache.
 */
import type { ScopeGrant } from "../../src/cache/scope.js";
import type { RoleRef } from "../subject.js";
import type { Decision } from "./cluster-rbac/subject-access.js";
import { builtInRole, ruleAllowsVerb, ruleCoversKind, type RoleRule } from "./roles.js";

/** Where one rule of one role applies. */
interface Placement {
  readonly ref: RoleRef;
  readonly rule: RoleRule;
  readonly cluster: string;
  readonly namespaces: "*" | readonly string[];
  /** Platform and cluster roles: the rule's cluster-scoped kinds too. */
  readonly clusterLevel: boolean;
}

/** A workspace's namespaces, per cluster (from the namespace cache). */
export type WorkspaceNamespacesOf = (workspace: string) => ReadonlyMap<string, readonly string[]>;

/** A gateway question: a verb on a kind (a cached kind's name, or any other kind's), somewhere. */
export interface GatewayQuestion {
  readonly verb: string;
  readonly kind: string;
  readonly clusterScoped: boolean;
  readonly cluster: string;
  readonly namespace?: string;
  /** For creating a namespace: the workspace it is meant for. */
  readonly workspace?: string;
}

export class GatewayGrants {
  private readonly placements: readonly Placement[];

  constructor(refs: readonly RoleRef[], workspaceNamespaces: WorkspaceNamespacesOf) {
    this.placements = refs.flatMap((ref) => place(ref, workspaceNamespaces));
  }

  /** Platform-admin anywhere: nothing to narrow. */
  get everything(): boolean {
    return this.placements.some(
      (p) =>
        p.cluster === "*" &&
        p.namespaces === "*" &&
        p.clusterLevel &&
        p.rule.kinds === "*" &&
        !p.rule.except &&
        p.rule.verbs === "*" &&
        p.rule.clusterScoped === true,
    );
  }

  /** The read grants (where `list` is allowed), kinds spelled out from `kinds` when a rule excepts some. */
  readGrants(kinds: readonly string[]): ScopeGrant[] {
    const grants: ScopeGrant[] = [];
    for (const p of this.placements) {
      if (!ruleAllowsVerb(p.rule, "list")) continue;
      const covered =
        p.rule.kinds === "*" && !p.rule.except ? "*" : kinds.filter((k) => ruleCoversKind(p.rule, k));
      grants.push({
        cluster: p.cluster,
        namespaces: p.namespaces,
        kinds: covered,
        ...(p.clusterLevel && p.rule.clusterScoped ? { clusterKinds: covered } : {}),
      });
    }
    return grants;
  }

  decide(q: GatewayQuestion): Decision {
    for (const p of this.placements) {
      if (p.cluster !== "*" && p.cluster !== q.cluster) continue;
      if (!ruleAllowsVerb(p.rule, q.verb) || !ruleCoversKind(p.rule, q.kind)) continue;
      if (reaches(p, q)) {
        return { allowed: true, reason: `gateway: allowed by role "${p.ref.role}"${where(p.ref)}` };
      }
    }
    return {
      allowed: false,
      reason: `gateway: no role allows ${q.verb} ${q.kind}${q.namespace ? ` in namespace "${q.namespace}"` : ""} of cluster "${q.cluster}"`,
    };
  }
}

function reaches(p: Placement, q: GatewayQuestion): boolean {
  if (p.rule.createsNamespaces) return q.kind === "Namespace" && q.workspace === p.ref.workspace;
  const namespace = q.namespace ?? "";
  if (q.clusterScoped && namespace === "") return p.clusterLevel && p.rule.clusterScoped === true;
  return p.namespaces === "*" || p.namespaces.includes(namespace);
}

function place(ref: RoleRef, workspaceNamespaces: WorkspaceNamespacesOf): Placement[] {
  const role = builtInRole(ref.role);
  if (!role) return [];
  const at = (cluster: string, namespaces: "*" | readonly string[], clusterLevel: boolean) =>
    role.rules.map((rule) => ({ ref, rule, cluster, namespaces, clusterLevel }));
  switch (role.level) {
    case "platform":
      return at("*", "*", true);
    case "cluster":
      return at(ref.cluster ?? "*", "*", true);
    case "namespace":
      return ref.namespace === undefined ? [] : at(ref.cluster ?? "*", [ref.namespace], false);
    case "workspace": {
      if (ref.workspace === undefined) return [];
      const placed: Placement[] = [];
      const inside = role.rules.filter((rule) => !rule.createsNamespaces);
      for (const [cluster, namespaces] of workspaceNamespaces(ref.workspace)) {
        placed.push(...inside.map((rule) => ({ ref, rule, cluster, namespaces, clusterLevel: false })));
      }
      // Creating a namespace needs none to exist yet (the first one too): `reaches` matches the workspace.
      for (const rule of role.rules.filter((r) => r.createsNamespaces)) {
        placed.push({ ref, rule, cluster: "*", namespaces: [], clusterLevel: false });
      }
      return placed;
    }
  }
}

function where(ref: RoleRef): string {
  const parts = [
    ref.workspace && `workspace "${ref.workspace}"`,
    ref.cluster && `cluster "${ref.cluster}"`,
    ref.namespace && `namespace "${ref.namespace}"`,
  ].filter(Boolean);
  return parts.length ? ` in ${parts.join(", ")}` : "";
}
