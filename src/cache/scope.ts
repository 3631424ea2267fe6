/**
 * What a caller may read: per cluster and per kind, which namespaces (all or a set), and which
 * cluster-scoped kinds (nodes, persistent volumes, storage classes). Per kind because Kubernetes
 * RBAC is per resource: the `view` role reads pods but not secrets in the same namespace.
 * Namespace objects are readable by their own name (the API server authorises
 * `get namespaces/<name>` with namespace=name), or all of them with a cluster grant of the kind.
 * The query engine applies it inside indexes, counts and relations; resolvers never filter.
 */
import type { CachedKind } from "./entry.js";

export interface ScopeGrant {
  /** A cluster name, or "*" for every cluster. */
  cluster: string;
  /** "*" for every namespace of the cluster. */
  namespaces: "*" | readonly string[];
  /**
   * Namespaced kinds readable in those namespaces (and "Namespace" for the namespace objects
   * named there); default "*", every kind, custom resources included.
   */
  kinds?: "*" | readonly CachedKind[];
  /** Cluster-scoped kinds readable in this cluster (Node, PersistentVolume, StorageClass, Namespace). */
  clusterKinds?: "*" | readonly CachedKind[];
}

/** A kind as the intersection needs to know it: whether it lives outside namespaces. */
export interface ScopedKind {
  kind: CachedKind;
  clusterScoped: boolean;
}

type Namespaces = "*" | ReadonlySet<string>;

const NONE: ReadonlySet<string> = new Set<string>();

export class Scope {
  /** cluster -> kind -> readable namespaces: each answer computed once, then O(1). */
  private readonly namespaceMemo = new Map<string, Map<CachedKind, Namespaces>>();
  private readonly clusterKindMemo = new Map<string, Map<CachedKind, boolean>>();
  private readonly clusterMemo = new Map<string, boolean>();

  private constructor(
    private readonly grants: readonly ScopeGrant[],
    readonly unrestricted: boolean,
  ) {}

  /** Everything in every cluster: the Scope before authentication, and of platform admins. */
  static everything(): Scope {
    return new Scope([{ cluster: "*", namespaces: "*", kinds: "*", clusterKinds: "*" }], true);
  }

  static nothing(): Scope {
    return new Scope([], false);
  }

  /** The union of `grants`. */
  static of(grants: readonly ScopeGrant[]): Scope {
    return new Scope([...grants], false);
  }

  /** The grants this Scope was made of (for intersecting, logging and tests). */
  toGrants(): readonly ScopeGrant[] {
    return this.grants;
  }

  /** Whether anything at all is readable in the cluster. */
  allowsCluster(cluster: string): boolean {
    if (this.unrestricted) return true;
    let allowed = this.clusterMemo.get(cluster);
    if (allowed === undefined) {
      allowed = this.grants.some((g) => appliesTo(g, cluster) && grantsSomething(g));
      this.clusterMemo.set(cluster, allowed);
    }
    return allowed;
  }

  /**
   * The namespaces of a cluster where `kind` is readable: "*" or a set (possibly empty). For the
   * Namespace kind: the names of the readable namespace objects.
   */
  namespacesIn(cluster: string, kind: CachedKind): Namespaces {
    if (this.unrestricted) return "*";
    let byKind = this.namespaceMemo.get(cluster);
    if (!byKind) this.namespaceMemo.set(cluster, (byKind = new Map<CachedKind, Namespaces>()));
    let namespaces = byKind.get(kind);
    if (namespaces === undefined) {
      namespaces = this.computeNamespaces(cluster, kind);
      byKind.set(kind, namespaces);
    }
    return namespaces;
  }

  /** Whether the objects of a cluster-scoped kind (not namespaces) are readable in the cluster. */
  allowsClusterKind(cluster: string, kind: CachedKind): boolean {
    if (this.unrestricted) return true;
    let byKind = this.clusterKindMemo.get(cluster);
    if (!byKind) this.clusterKindMemo.set(cluster, (byKind = new Map<CachedKind, boolean>()));
    let allowed = byKind.get(kind);
    if (allowed === undefined) {
      allowed = this.grants.some((g) => appliesTo(g, cluster) && covers(g.clusterKinds ?? NO_KINDS, kind));
      byKind.set(kind, allowed);
    }
    return allowed;
  }

  /** Whether one object of `kind` in `namespace` ("" when cluster-scoped) is readable. */
  allows(cluster: string, kind: CachedKind, namespace: string, name: string): boolean {
    if (this.unrestricted) return true;
    if (kind === "Namespace") return has(this.namespacesIn(cluster, kind), name);
    if (namespace === "") return this.allowsClusterKind(cluster, kind);
    return has(this.namespacesIn(cluster, kind), namespace);
  }

  /**
   * What both Scopes allow, spelled out over the clusters and kinds given (anything else is
   * outside the result). Exact for those: one grant per (cluster, set of namespaces).
   */
  static intersect(a: Scope, b: Scope, clusters: readonly string[], kinds: readonly ScopedKind[]): Scope {
    if (a.unrestricted) return b;
    if (b.unrestricted) return a;
    const grants: ScopeGrant[] = [];
    for (const cluster of clusters) {
      const clusterKinds: CachedKind[] = [];
      const byNamespaces = new Map<string, { namespaces: Namespaces; kinds: CachedKind[] }>();
      for (const { kind, clusterScoped } of kinds) {
        if (clusterScoped && kind !== "Namespace") {
          if (a.allowsClusterKind(cluster, kind) && b.allowsClusterKind(cluster, kind))
            clusterKinds.push(kind);
          continue;
        }
        const namespaces = intersectNamespaces(a.namespacesIn(cluster, kind), b.namespacesIn(cluster, kind));
        if (namespaces !== "*" && namespaces.size === 0) continue;
        const key = namespaces === "*" ? "*" : [...namespaces].sort().join("\u0000");
        const group = byNamespaces.get(key);
        if (group) group.kinds.push(kind);
        else byNamespaces.set(key, { namespaces, kinds: [kind] });
      }
      for (const { namespaces, kinds: grouped } of byNamespaces.values()) {
        grants.push({ cluster, namespaces: namespaces === "*" ? "*" : [...namespaces], kinds: grouped });
      }
      if (clusterKinds.length > 0) grants.push({ cluster, namespaces: [], clusterKinds });
    }
    return Scope.of(grants);
  }

  private computeNamespaces(cluster: string, kind: CachedKind): Namespaces {
    const found = new Set<string>();
    for (const g of this.grants) {
      if (!appliesTo(g, cluster)) continue;
      // Every namespace object is readable with a cluster grant of the kind (list namespaces).
      if (kind === "Namespace" && covers(g.clusterKinds ?? NO_KINDS, kind)) return "*";
      if (!covers(g.kinds ?? "*", kind)) continue;
      if (g.namespaces === "*") return "*";
      for (const ns of g.namespaces) found.add(ns);
    }
    return found.size === 0 ? NONE : found;
  }
}

const NO_KINDS: readonly CachedKind[] = [];

function appliesTo(g: ScopeGrant, cluster: string): boolean {
  return g.cluster === "*" || g.cluster === cluster;
}

function covers(kinds: "*" | readonly CachedKind[], kind: CachedKind): boolean {
  return kinds === "*" || kinds.includes(kind);
}

function grantsSomething(g: ScopeGrant): boolean {
  const kinds = g.kinds ?? "*";
  const namespaced = (g.namespaces === "*" || g.namespaces.length > 0) && (kinds === "*" || kinds.length > 0);
  const clusterKinds = g.clusterKinds ?? NO_KINDS;
  return namespaced || clusterKinds === "*" || clusterKinds.length > 0;
}

function has(namespaces: Namespaces, name: string): boolean {
  return namespaces === "*" || namespaces.has(name);
}

export function intersectNamespaces(a: Namespaces, b: Namespaces): Namespaces {
  if (a === "*") return b;
  if (b === "*") return a;
  const result = new Set<string>();
  for (const ns of a) if (b.has(ns)) result.add(ns);
  return result;
}
