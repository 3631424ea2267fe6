/** A service page -> the Relay connection shape, mapping each item to its view. */
import type { PageCursors, PageInfo } from "../src/cache/query/index.js";
import type { PageOutcome } from "../src/query-service/index.js";
import type { ConnectionShape, EdgeShape } from "../schema/connection.js";
import type { ClusterErrorCode, DataSource } from "../schema/enums.js";
import type { ClusterOutcome } from "../schema/outcome.js";

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

/** The page shape every list service returns. */
interface Page<T> {
  items: T[];
  cursors: PageCursors;
  pageInfo: PageInfo;
  totalCount: number | null;
  outcomes?: readonly PageOutcome[];
  watchCursor?: (() => string) | undefined;
}

export type OutcomeView = ClusterOutcome & { __typename: "ClusterOutcome" };

export function outcomeView(o: PageOutcome): OutcomeView {
  return {
    __typename: "ClusterOutcome",
    clusterName: o.cluster,
    source: o.source as DataSource,
    synced: o.synced,
    staleSince: o.staleSince,
    resourceVersion: o.resourceVersion,
    error: o.error && {
      code: o.error.code as ClusterErrorCode,
      message: o.error.message,
      retryable: o.error.retryable,
    },
  };
}

/** A connection whose edges and outcomes are built only when a client selects them. */
class PageConnection<T, V> implements ConnectionShape<V, OutcomeView> {
  readonly nodes: V[];
  private builtEdges: EdgeShape<V>[] | undefined;
  private builtOutcomes: OutcomeView[] | undefined;

  constructor(
    private readonly page: Page<T>,
    view: (item: T) => V,
  ) {
    this.nodes = page.items.map(view);
  }

  get edges(): EdgeShape<V>[] {
    return (this.builtEdges ??= edgesOf(this.nodes, this.page.cursors));
  }
  get pageInfo(): PageInfo {
    return this.page.pageInfo;
  }
  get totalCount(): number | null {
    return this.page.totalCount;
  }
  get outcomes(): OutcomeView[] {
    return (this.builtOutcomes ??= (this.page.outcomes ?? []).map(outcomeView));
  }
  get watchCursor(): string | null {
    return this.page.watchCursor?.() ?? null;
  }
}

export function toConnection<T, V>(page: Page<T>, view: (item: T) => V): ConnectionShape<V, OutcomeView> {
  return new PageConnection(page, view);
}

/** A keyset page of a read merged across clusters' backends (alerts, silences): items beside their cursors. */
export interface CursoredPage<I extends { cursor: string }> {
  items: I[];
  hasNextPage: boolean;
  totalCount: number;
  outcomes: readonly PageOutcome[];
}

/** Such a page as a connection, each item through `view`; `after`: the cursor it was asked after. */
export function cursoredConnection<I extends { cursor: string }, V>(
  page: CursoredPage<I>,
  view: (item: I) => V,
  after: string | null,
): ConnectionShape<V, OutcomeView> {
  const nodes = page.items.map(view);
  return {
    edges: page.items.map((item, n) => ({ cursor: item.cursor, node: nodes[n]! })),
    nodes,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: after !== null,
      startCursor: page.items[0]?.cursor ?? null,
      endCursor: page.items.at(-1)?.cursor ?? null,
    },
    totalCount: page.totalCount,
    outcomes: page.outcomes.map(outcomeView),
  };
}
