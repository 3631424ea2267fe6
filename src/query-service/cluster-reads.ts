/**
 * Clusters as the API serves them: the registry's clusters the caller may read, with health and
 * freshness, filtered, ordered by name and paged with the same keyset cursors as object lists.
 */
import { encodeCursor } from "../cache/query/cursor.js";
import {
  compareTies,
  LazyCursors,
  LazyPageInfo,
  type PageArgs,
  type PageCursors,
  type PageInfo,
} from "../cache/query/index.js";
import { resolvePage } from "../cache/query/page.js";
import type { Scope } from "../cache/scope.js";
import { selectClusters } from "./fan-out.js";
import type { ClusterFreshness, ClusterHealth, ClusterInfo, ClusterStatus, FleetView } from "./fleet-view.js";
import type { ClusterFilterFields, Direction } from "./list-request.js";

export interface ClusterListFilter extends ClusterFilterFields {
  /** Case-insensitive substring of the name or the display name. */
  nameContains?: string | null;
  statuses?: ClusterStatus[] | null;
}

export interface ClusterRecord {
  info: ClusterInfo;
  health: ClusterHealth;
  freshness: ClusterFreshness;
}

export interface ClusterPage {
  items: ClusterRecord[];
  cursors: PageCursors;
  totalCount: number;
  pageInfo: PageInfo;
  clusters: ClusterFreshness[];
}

export interface ClusterListRequest {
  filter?: ClusterListFilter | null;
  orderBy?: { field: "NAME"; direction: Direction } | null;
  page: PageArgs;
}

/** Cursor positions of clusters: the name is the key and every tie-breaker. */
const position = (name: string) => ({ cluster: name, namespace: "", name, uid: name });

export class ClusterReads {
  constructor(private readonly fleet: FleetView) {}

  /**
   * Cluster health is part of the data here, so unlike object lists this reports no outcomes:
   * listing an unreachable cluster is not an error.
   */
  list(request: ClusterListRequest, scope: Scope): ClusterPage {
    const filter = request.filter ?? {};
    const window = resolvePage(request.page, "NAME");
    const needle = filter.nameContains ? filter.nameContains.toLowerCase() : undefined;
    const statuses = filter.statuses ? new Set(filter.statuses) : undefined;
    const sign = request.orderBy?.direction === "DESC" ? -1 : 1;

    const matches = selectClusters(this.fleet, filter, scope)
      .map((info) => this.record(info))
      .filter(
        (r) =>
          (needle === undefined ||
            r.info.name.toLowerCase().includes(needle) ||
            r.info.displayName.toLowerCase().includes(needle)) &&
          (statuses === undefined || statuses.has(r.health.status)),
      );
    if (sign < 0) matches.reverse();
    const compare = (a: string, b: { name: string }) => sign * compareTies(position(a), position(b.name));

    let beforeWindow = 0;
    let afterWindow = 0;
    const inWindow = matches.filter((r) => {
      if (window.after !== undefined && compare(r.info.name, window.after) <= 0) beforeWindow++;
      else if (window.before !== undefined && compare(r.info.name, window.before) >= 0) afterWindow++;
      else return true;
      return false;
    });
    const more = inWindow.length > window.take;
    const items =
      window.from === "FIRST"
        ? inWindow.slice(0, window.take)
        : inWindow.slice(Math.max(0, inWindow.length - window.take));
    const cursors = new LazyCursors(items.length, (i) => {
      const name = items[i]!.info.name;
      return encodeCursor("NAME", name, position(name));
    });
    return {
      items,
      cursors,
      totalCount: matches.length,
      pageInfo: new LazyPageInfo(
        window.from === "FIRST" ? more : afterWindow > 0,
        window.from === "LAST" ? more : beforeWindow > 0,
        cursors,
      ),
      clusters: items.map((r) => r.freshness),
    };
  }

  /** One cluster by name; undefined when unknown or outside the scope (indistinguishable on purpose). */
  get(name: string, scope: Scope): ClusterRecord | undefined {
    const [info] = selectClusters(this.fleet, { clusters: [name] }, scope);
    return info ? this.record(info) : undefined;
  }

  private record(info: ClusterInfo): ClusterRecord {
    return { info, health: this.fleet.health(info.name), freshness: this.fleet.freshness(info.name) };
  }
}
