/** A service page -> the Relay connection shape, mapping each entry to its view. */
import type { CacheEntry } from "../src/cache/entry.js";
import type { PageCursors } from "../src/cache/query/index.js";
import type { ClusterPage, ListPage } from "../src/query-service/index.js";
import type { ConnectionShape, EdgeShape } from "../schema/connection.js";
import { clusterView, type ClusterView } from "./views.js";

/** An edge whose cursor is encoded only when a client selects it. */
class Edge<V> implements EdgeShape<V> {
  constructor(
    readonly node: V,
    private readonly cursors: PageCursors,
    private readonly index: number,
  ) {}

  get cursor(): string {
    return this.cursors.at(this.index)!;
  }
}

export function edgesOf<V>(nodes: V[], cursors: PageCursors): EdgeShape<V>[] {
  return nodes.map((node, i) => new Edge(node, cursors, i));
}

export function toConnection<D, V>(page: ListPage<D>, view: (entry: CacheEntry<D>) => V): ConnectionShape<V> {
  const nodes = page.items.map(view);
  return {
    edges: edgesOf(nodes, page.cursors),
    nodes,
    pageInfo: page.pageInfo,
    totalCount: page.totalCount,
    clusters: page.clusters,
  };
}

export function toClusterConnection(page: ClusterPage): ConnectionShape<ClusterView> {
  const nodes = page.items.map(clusterView);
  return {
    edges: edgesOf(nodes, page.cursors),
    nodes,
    pageInfo: page.pageInfo,
    totalCount: page.totalCount,
    clusters: page.clusters,
  };
}
