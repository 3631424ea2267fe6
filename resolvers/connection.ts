/** A service page -> the Relay connection shape, mapping each entry to its view. */
import type { CacheEntry } from "../src/cache/entry.js";
import type { ClusterPage, ListPage } from "../src/query-service/index.js";
import type { ConnectionShape } from "../schema/connection.js";
import { clusterView, type ClusterView } from "./views.js";

export function toConnection<D, V>(page: ListPage<D>, view: (entry: CacheEntry<D>) => V): ConnectionShape<V> {
  const nodes = page.items.map(view);
  return {
    edges: nodes.map((node, i) => ({ node, cursor: page.cursors[i]! })),
    nodes,
    pageInfo: page.pageInfo,
    totalCount: page.totalCount,
    clusters: page.clusters,
  };
}

export function toClusterConnection(page: ClusterPage): ConnectionShape<ClusterView> {
  const nodes = page.items.map(clusterView);
  return {
    edges: nodes.map((node, i) => ({ node, cursor: page.cursors[i]! })),
    nodes,
    pageInfo: page.pageInfo,
    totalCount: page.totalCount,
    clusters: page.clusters,
  };
}
