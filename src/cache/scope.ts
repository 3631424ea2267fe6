/**
 * What a caller may read: per cluster, which namespaces (all or a set) and which cluster-scoped
 * kinds (nodes, persistent volumes, storage classes; namespaces are visible when their name is
 * readable) are readable.
 * The query engine applies it inside indexes, counts and relations; resolvers never filter.
 */
import type { CachedKind } from "./entry.js";

export interface ScopeGrant {
  /** A cluster name, or "*" for every cluster. */
  cluster: string;
  /** "*" for every namespace of the cluster. */
  namespaces: "*" | readonly string[];
  /** Cluster-scoped kinds readable in this cluster (Node, PersistentVolume, StorageClass). */
  clusterKinds?: "*" | readonly CachedKind[];
}

interface ClusterGrant {
  namespaces: "*" | Set<string>;
  clusterKinds: "*" | Set<CachedKind>;
}

export class Scope {
  private constructor(
    private readonly wildcard: ClusterGrant | undefined,
    private readonly byCluster: ReadonlyMap<string, ClusterGrant>,
    readonly unrestricted: boolean,
  ) {}

  /** Everything in every cluster: the Scope before authentication, and of cluster admins. */
  static everything(): Scope {
    return new Scope({ namespaces: "*", clusterKinds: "*" }, new Map(), true);
  }

  static nothing(): Scope {
    return new Scope(undefined, new Map(), false);
  }

  static of(grants: readonly ScopeGrant[]): Scope {
    let wildcard: ClusterGrant | undefined;
    const byCluster = new Map<string, ClusterGrant>();
    for (const g of grants) {
      const target = g.cluster === "*" ? (wildcard ??= empty()) : getOrCreate(byCluster, g.cluster);
      merge(target, g);
    }
    return new Scope(wildcard, byCluster, false);
  }

  private grantFor(cluster: string): ClusterGrant | undefined {
    const own = this.byCluster.get(cluster);
    if (!own) return this.wildcard;
    if (!this.wildcard) return own;
    const combined = empty();
    for (const g of [own, this.wildcard]) {
      merge(combined, {
        cluster,
        namespaces: g.namespaces === "*" ? "*" : [...g.namespaces],
        clusterKinds: g.clusterKinds === "*" ? "*" : [...g.clusterKinds],
      });
    }
    return combined;
  }

  allowsCluster(cluster: string): boolean {
    const g = this.grantFor(cluster);
    return (
      g !== undefined &&
      (g.namespaces === "*" || g.namespaces.size > 0 || g.clusterKinds === "*" || g.clusterKinds.size > 0)
    );
  }

  /** The readable namespaces of a cluster: "*" or a set (possibly empty). */
  namespacesIn(cluster: string): "*" | ReadonlySet<string> {
    return this.grantFor(cluster)?.namespaces ?? new Set<string>();
  }

  allowsNamespace(cluster: string, namespace: string): boolean {
    const ns = this.namespacesIn(cluster);
    return ns === "*" || ns.has(namespace);
  }

  /** Whether one object of `kind` in `namespace` ("" when cluster-scoped) is readable. */
  allows(cluster: string, kind: CachedKind, namespace: string, name: string): boolean {
    if (kind === "Namespace") return this.allowsNamespace(cluster, name);
    if (namespace === "") {
      const kinds = this.grantFor(cluster)?.clusterKinds;
      return kinds === "*" || (kinds?.has(kind) ?? false);
    }
    return this.allowsNamespace(cluster, namespace);
  }
}

function empty(): ClusterGrant {
  return { namespaces: new Set(), clusterKinds: new Set() };
}

function getOrCreate(map: Map<string, ClusterGrant>, cluster: string): ClusterGrant {
  let g = map.get(cluster);
  if (!g) map.set(cluster, (g = empty()));
  return g;
}

function merge(target: ClusterGrant, g: ScopeGrant): void {
  if (g.namespaces === "*") target.namespaces = "*";
  else if (target.namespaces !== "*") for (const ns of g.namespaces) target.namespaces.add(ns);
  const kinds = g.clusterKinds ?? [];
  if (kinds === "*") target.clusterKinds = "*";
  else if (target.clusterKinds !== "*") for (const k of kinds) target.clusterKinds.add(k);
}
