/**
 * An ObjectFilter checked and compiled once per query into what the scan needs: parsed
 * selectors, sets instead of arrays, a lower-cased needle. Invalid input fails here, before any
 * cluster is visited.
 */
import type { CacheEntry, CachedKind } from "../entry.js";
import type { IndexedStore } from "../indexed-store.js";
import { outsideNamespaces } from "../kind-spec.js";
import {
  LabelSelectorError,
  matchesLabels,
  parseLabelSelector,
  type LabelSelector,
} from "../../kube/label-selector.js";
import { QueryInputError } from "./errors.js";
import type { ObjectFilter } from "./types.js";

export interface CompiledFacet {
  name: string;
  keys: ReadonlySet<string>;
}

export interface CompiledFilter {
  clusters: ReadonlySet<string> | undefined;
  clusterSelector: LabelSelector | undefined;
  /** Namespace names; for the Namespace kind they select by the object's own name. */
  namespaces: ReadonlySet<string> | undefined;
  labelSelector: LabelSelector | undefined;
  /** Lower-cased; matched against the store's folded names. */
  needle: string | undefined;
  owners: ReadonlySet<string> | undefined;
  index: { name: string; key: string } | undefined;
  /** Each must hold: the entry's facet `name` is one of `keys`. */
  facets: readonly CompiledFacet[] | undefined;
  predicate: ((entry: CacheEntry) => boolean) | undefined;
}

/** An empty list selects nothing (not "any"): a filter built from an empty set must stay empty. */
export function compileFilter(
  store: { kind: CachedKind; clusterScoped: boolean },
  filter: ObjectFilter,
): CompiledFilter {
  if (filter.namespaces && outsideNamespaces(store)) {
    throw new QueryInputError(
      "namespaces",
      `${store.kind} objects are cluster-scoped: a namespace filter does not apply to them`,
    );
  }
  return {
    clusters: filter.clusters ? new Set(filter.clusters) : undefined,
    clusterSelector: selector("clusterSelector", filter.clusterSelector),
    namespaces: filter.namespaces ? new Set(filter.namespaces) : undefined,
    labelSelector: selector("labelSelector", filter.labelSelector),
    needle: filter.nameContains ? filter.nameContains.toLowerCase() : undefined,
    owners: filter.owners ? new Set(filter.owners) : undefined,
    index: filter.index,
    facets:
      filter.facets && filter.facets.length > 0
        ? filter.facets.map((f) => ({ name: f.name, keys: new Set(f.keys) }))
        : undefined,
    predicate: filter.predicate,
  };
}

function selector(field: string, text: string | undefined): LabelSelector | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = parseLabelSelector(text);
    return parsed.length > 0 ? parsed : undefined;
  } catch (error) {
    if (error instanceof LabelSelectorError) throw new QueryInputError(field, error.message);
    throw error;
  }
}

/** What the per-entry test reads beyond the entry (an IndexedStore answers both). */
export type EntryKeys = Pick<IndexedStore, "foldedName" | "indexKey" | "facetKey">;

/** Whether the per-entry part of the filter (everything but clusters and namespaces) matches. */
export function matchesEntry(filter: CompiledFilter, store: EntryKeys, entry: CacheEntry): boolean {
  return (
    (filter.labelSelector === undefined || matchesLabels(filter.labelSelector, entry.labels)) &&
    (filter.needle === undefined || store.foldedName(entry).includes(filter.needle)) &&
    (filter.owners === undefined || (entry.owner !== undefined && filter.owners.has(entry.owner.uid))) &&
    (filter.index === undefined || store.indexKey(filter.index.name, entry) === filter.index.key) &&
    matchesFacets(filter, store.facetKey, entry) &&
    (filter.predicate === undefined || filter.predicate(entry))
  );
}

export function hasEntryConditions(filter: CompiledFilter): boolean {
  return (
    filter.labelSelector !== undefined ||
    filter.needle !== undefined ||
    filter.owners !== undefined ||
    filter.index !== undefined ||
    filter.facets !== undefined ||
    filter.predicate !== undefined
  );
}

/** Whether every facet condition holds; `facetKey` reads an entry's key of a named facet. */
export function matchesFacets(
  filter: Pick<CompiledFilter, "facets">,
  facetKey: (name: string, entry: CacheEntry) => string | undefined,
  entry: CacheEntry,
): boolean {
  if (filter.facets === undefined) return true;
  for (const facet of filter.facets) {
    const key = facetKey(facet.name, entry);
    if (key === undefined || !facet.keys.has(key)) return false;
  }
  return true;
}
