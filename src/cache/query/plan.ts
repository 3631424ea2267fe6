/**
 * Which entries of one cluster's store a read visits. The Scope comes first: a cluster the
 * caller may not read is never planned, and a namespace-restricted caller's reads start from
 * the byNamespace buckets of the namespaces it may read. Among the indexes that can serve the
 * read (namespaces, a label equality or `in`, an owner, a node) the smallest bucket set wins.
 */
import type { CacheEntry, CachedKind } from "../entry.js";
import type { IndexedStore } from "../indexed-store.js";
import { outsideNamespaces } from "../kind-spec.js";
import type { Scope } from "../scope.js";
import type { LabelSelector } from "../../kube/label-selector.js";

/** "*" for every namespace, a set otherwise; for the Namespace kind, the readable names. */
export type Namespaces = "*" | ReadonlySet<string>;

export interface Plan {
  store: IndexedStore;
  sources: Iterable<CacheEntry>[];
  /** How many entries the sources hold (the plan's cost; the exact count when nothing filters). */
  visits: number;
  /** Set when the sources may yield entries outside the allowed namespaces. */
  namespaceCheck: ReadonlySet<string> | undefined;
  /** The Namespace kind is restricted by its own name, not by its (empty) namespace. */
  byName: boolean;
  /** The namespaces the read may return (scope and filter together). */
  namespaces: Namespaces;
}

/**
 * What `scope` lets the caller read of `kind` in `cluster`: undefined for nothing. The Scope is
 * per kind (secrets may be out of reach where pods are not); objects of a cluster-scoped kind
 * (other than namespaces, readable by name) need a grant of the kind itself.
 */
export function readableNamespaces(
  scope: Scope,
  cluster: string,
  kind: { kind: CachedKind; clusterScoped: boolean },
): Namespaces | undefined {
  if (scope.unrestricted) return "*";
  if (outsideNamespaces(kind)) return scope.allowsClusterKind(cluster, kind.kind) ? "*" : undefined;
  const namespaces = scope.namespacesIn(cluster, kind.kind);
  return namespaces !== "*" && namespaces.size === 0 ? undefined : namespaces;
}

export function intersect(a: Namespaces, b: ReadonlySet<string> | undefined): Namespaces {
  if (b === undefined) return a;
  if (a === "*") return b;
  const result = new Set<string>();
  for (const ns of b) if (a.has(ns)) result.add(ns);
  return result;
}

/** An index bucket set the read could start from instead of the namespaces. */
export interface Alternative {
  visits: number;
  sources: Iterable<CacheEntry>[];
}

export function planFor(
  store: IndexedStore,
  namespaces: Namespaces,
  alternatives: readonly Alternative[],
): Plan | undefined {
  if (namespaces !== "*" && namespaces.size === 0) return undefined;
  const byName = store.kind === "Namespace";
  let best: Plan = {
    store,
    sources: [store.all()],
    visits: store.size,
    namespaceCheck: undefined,
    byName,
    namespaces,
  };
  if (namespaces !== "*") {
    best = byName ? namespacesByName(store, namespaces) : namespaceBuckets(store, namespaces);
  }
  for (const alt of alternatives) {
    if (alt.visits < best.visits) {
      best = {
        store,
        sources: alt.sources,
        visits: alt.visits,
        namespaceCheck: namespaces === "*" ? undefined : namespaces,
        byName,
        namespaces,
      };
    }
  }
  return best;
}

function namespaceBuckets(store: IndexedStore, namespaces: ReadonlySet<string>): Plan {
  const sources: Iterable<CacheEntry>[] = [];
  let visits = 0;
  for (const ns of namespaces) {
    const count = store.namespaceCount(ns);
    if (count === 0) continue;
    visits += count;
    sources.push(store.byNamespace(ns));
  }
  return { store, sources, visits, namespaceCheck: undefined, byName: false, namespaces };
}

function namespacesByName(store: IndexedStore, names: ReadonlySet<string>): Plan {
  const found: CacheEntry[] = [];
  for (const name of names) {
    const entry = store.getByName("", name);
    if (entry) found.push(entry);
  }
  return {
    store,
    sources: [found],
    visits: found.length,
    namespaceCheck: undefined,
    byName: true,
    namespaces: names,
  };
}

/** The owner and named-index buckets that can serve a filter's `owners` and `index`. */
export function relationAlternatives(
  store: IndexedStore,
  owners: ReadonlySet<string> | undefined,
  index: { name: string; key: string } | undefined,
): Alternative[] {
  const result: Alternative[] = [];
  if (owners !== undefined) {
    const sources: Iterable<CacheEntry>[] = [];
    let visits = 0;
    for (const uid of owners) {
      visits += store.ownerCount(uid);
      sources.push(store.byOwner(uid));
    }
    result.push({ visits, sources });
  }
  if (index !== undefined) {
    if (!store.hasIndex(index.name)) throw new TypeError(`${store.kind} has no index "${index.name}"`);
    result.push({
      visits: store.indexCount(index.name, index.key),
      sources: [store.byIndex(index.name, index.key)],
    });
  }
  return result;
}

/** The label index buckets that can serve each `=` or `in` requirement of a selector. */
export function labelAlternatives(store: IndexedStore, selector: LabelSelector | undefined): Alternative[] {
  const result: Alternative[] = [];
  for (const req of selector ?? []) {
    if (req.operator !== "=" && req.operator !== "in") continue;
    const sources: Iterable<CacheEntry>[] = [];
    let visits = 0;
    // Deduplicated: `a in (x,x)` must not visit the same bucket twice.
    for (const value of new Set(req.values)) {
      const count = store.labelCount(req.key, value);
      if (count === 0) continue;
      visits += count;
      sources.push(store.byLabel(req.key, value));
    }
    result.push({ visits, sources });
  }
  return result;
}

export function inNamespaces(plan: Plan, entry: CacheEntry): boolean {
  return (
    plan.namespaceCheck === undefined || plan.namespaceCheck.has(plan.byName ? entry.name : entry.namespace)
  );
}
