/**
 * Clusters as the API serves them: the registry's clusters the caller may read, with health and
 * freshness, filtered, ordered by name and paged with the same keyset cursors as object lists.
 */
import type { PageArgs } from "../cache/query/index.js";
import type { Scope } from "../cache/scope.js";
import { selectClusters } from "./fan-out.js";
import type {
  ClusterFreshness,
  ClusterHealth,
  ClusterInfo,
  ClusterStatus,
  ClusterSync,
  FleetView,
} from "./fleet-view.js";
import type { ClusterFilterFields, Direction } from "./list-request.js";
import { pageByName, type NamePage } from "./name-pages.js";

export interface ClusterListFilter extends ClusterFilterFields {
  /** Case-insensitive substring of the name or the display name. */
  nameContains?: string | null;
  statuses?: ClusterStatus[] | null;
}

export interface ClusterRecord {
  info: ClusterInfo;
  health: ClusterHealth;
  freshness: ClusterFreshness;
  sync: ClusterSync;
}

export type ClusterPage = NamePage<ClusterRecord>;

export interface ClusterListRequest {
  filter?: ClusterListFilter | null;
  orderBy?: { field: "NAME"; direction: Direction } | null;
  page: PageArgs;
}

export class ClusterReads {
  constructor(private readonly fleet: FleetView) {}

  /**
   * Cluster health is part of the data here, so unlike object lists this reports no outcomes:
   * listing an unreachable cluster is not an error.
   */
  list(request: ClusterListRequest, scope: Scope): ClusterPage {
    const filter = request.filter ?? {};
    const needle = filter.nameContains ? filter.nameContains.toLowerCase() : undefined;
    const statuses = filter.statuses ? new Set(filter.statuses) : undefined;
    const matches = selectClusters(this.fleet, filter, scope)
      .map((info) => this.record(info))
      .filter(
        (r) =>
          (needle === undefined ||
            r.info.name.toLowerCase().includes(needle) ||
            r.info.displayName.toLowerCase().includes(needle)) &&
          (statuses === undefined || statuses.has(r.health.status)),
      );
    return pageByName(matches, (r) => r.info.name, "Cluster", request.orderBy?.direction, request.page);
  }

  /** The names of the clusters a list with `filter` reads. */
  select(filter: ClusterFilterFields | null | undefined, scope: Scope): string[] {
    return selectClusters(this.fleet, filter, scope).map((c) => c.name);
  }

  /** One cluster by name; undefined when unknown or outside the scope (indistinguishable on purpose). */
  get(name: string, scope: Scope): ClusterRecord | undefined {
    const [info] = selectClusters(this.fleet, { clusters: [name] }, scope);
    return info ? this.record(info) : undefined;
  }

  private record(info: ClusterInfo): ClusterRecord {
    const freshness = this.fleet.freshness(info.name);
    const sync = this.fleet.sync?.(info.name) ?? {
      state: freshness.synced ? "SYNCED" : "SYNCING",
      kindsSynced: 0,
      kinds: 0,
      listedObjects: 0,
      listedPages: 0,
      failure: null,
    };
    return { info, health: this.fleet.health(info.name), freshness, sync };
  }
}
