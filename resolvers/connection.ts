/** A service page -> the Relay connection shape, mapping each entry to its view. */
import type { PageCursors } from "../src/cache/query/index.js";
import type { ListPage } from "../src/query-service/index.js";
import type { ConnectionShape, EdgeShape } from "../schema/connection.js";

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

/** The page shape every list service returns: items with their cursors, and the page's facts. */
type Page<T> = Pick<ListPage<unknown>, "cursors" | "pageInfo" | "totalCount" | "clusters"> & { items: T[] };

export function toConnection<T, V>(page: Page<T>, view: (item: T) => V): ConnectionShape<V> {
  const nodes = page.items.map(view);
  return {
    edges: edgesOf(nodes, page.cursors),
    nodes,
    pageInfo: page.pageInfo,
    totalCount: page.totalCount,
    clusters: page.clusters,
  };
}
