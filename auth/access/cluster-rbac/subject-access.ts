/**
 * What one subject may do in one cluster by that cluster's RBAC: single decisions (`can`,
 * mutations) and the read access set the Scope is made of (per kind, the namespaces where
 * `list` is allowed).
 */
import type { ScopeGrant } from "../../../src/cache/scope.js";
import type { ResourcePath } from "../../../src/fleet/resources.js";
import { resourceOf, type ResourceRequest } from "../resource-request.js";
import type { AppliedBinding } from "./cluster-policy.js";
import { rulesAllow } from "./rule-match.js";

export interface Decision {
  readonly allowed: boolean;
  readonly reason: string;
}

/** A cached kind as access sees it: its name and API path. */
export interface AccessKind {
  readonly kind: string;
  readonly path: ResourcePath;
}

export class SubjectAccess {
  private readonly clusterWide: readonly AppliedBinding[];
  private readonly byNamespace = new Map<string, AppliedBinding[]>();

  constructor(
    bindings: readonly AppliedBinding[],
    /** What the subject is called in reasons. */
    private readonly who: string,
  ) {
    this.clusterWide = bindings.filter((b) => b.namespace === undefined);
    for (const b of bindings) {
      if (b.namespace === undefined) continue;
      let list = this.byNamespace.get(b.namespace);
      if (!list) this.byNamespace.set(b.namespace, (list = []));
      list.push(b);
    }
  }

  /** The API server's decision: a ClusterRoleBinding anywhere, a RoleBinding in its namespace. */
  decide(request: ResourceRequest): Decision {
    const namespace = request.namespace ?? "";
    const candidates =
      namespace === "" ? this.clusterWide : [...this.clusterWide, ...(this.byNamespace.get(namespace) ?? [])];
    for (const binding of candidates) {
      if (rulesAllow(binding.rules, request)) {
        return { allowed: true, reason: `RBAC: allowed by ${binding.source} to ${this.who}` };
      }
    }
    return { allowed: false, reason: `RBAC: no binding allows ${this.who} to ${describe(request)}` };
  }

  /** A cluster-wide rule of every verb on every resource of every group: cluster-admin. */
  allowsEverything(): boolean {
    return this.clusterWide.some((b) =>
      b.rules.some(
        (r) =>
          r.verbs.includes("*") &&
          r.apiGroups.includes("*") &&
          r.resources.includes("*") &&
          r.resourceNames.length === 0,
      ),
    );
  }

  allows(request: ResourceRequest): boolean {
    return this.decide(request).allowed;
  }

  /** Per kind, where `list` is allowed; namespaces by the names whose `get` is allowed. */
  readGrants(cluster: string, kinds: readonly AccessKind[]): ScopeGrant[] {
    const byNamespaces = new Map<string, { namespaces: "*" | string[]; kinds: string[] }>();
    const clusterKinds: string[] = [];
    for (const { kind, path } of kinds) {
      const { group, resource } = resourceOf(path);
      const list = { verb: "list", group, resource };
      if (kind === "Namespace" || path.namespaced) {
        const namespaces = this.allows(list) ? "*" : this.namespacesReading(kind, group, resource);
        if (kind === "Namespace" && namespaces === "*") clusterKinds.push(kind);
        else if (namespaces === "*" || namespaces.length > 0) {
          const key = namespaces === "*" ? "*" : namespaces.join("\u0000");
          const bucket = byNamespaces.get(key);
          if (bucket) bucket.kinds.push(kind);
          else byNamespaces.set(key, { namespaces, kinds: [kind] });
        }
      } else if (this.allows(list)) {
        clusterKinds.push(kind);
      }
    }
    const grants: ScopeGrant[] = [...byNamespaces.values()].map((g) => ({ cluster, ...g }));
    if (clusterKinds.length > 0) grants.push({ cluster, namespaces: [], clusterKinds });
    return grants;
  }

  /**
   * The namespaces where the kind is listable, sorted; for Namespace objects, the names whose
   * `get namespaces/<name>` (asked in that namespace, as the API server does) is allowed.
   */
  private namespacesReading(kind: string, group: string, resource: string): string[] {
    const candidates = new Set(this.byNamespace.keys());
    if (kind === "Namespace") {
      // A cluster-wide rule limited by resourceNames still lets those namespaces be read.
      for (const b of this.clusterWide)
        for (const rule of b.rules) for (const n of rule.resourceNames) candidates.add(n);
    }
    const found: string[] = [];
    for (const namespace of candidates) {
      const request =
        kind === "Namespace"
          ? { verb: "get", group, resource, namespace, name: namespace }
          : { verb: "list", group, resource, namespace };
      if (this.allows(request)) found.push(namespace);
    }
    return found.sort();
  }
}

function describe(r: ResourceRequest): string {
  const what = `${r.resource}${r.subresource ? `/${r.subresource}` : ""}${r.group ? `.${r.group}` : ""}`;
  const name = r.name ? ` "${r.name}"` : "";
  const where = r.namespace ? ` in namespace "${r.namespace}"` : "";
  return `${r.verb} ${what}${name}${where}`;
}
