/**
 * fleetWorkloads: the workloads the caller may read, grouped across clusters (group-key.ts), each
 * group with its instances and aggregate status (group-status.ts). The Scope is applied per
 * instance by the query engine, so a caller who reads two clusters sees, and aggregates over,
 * the instances on those two.
 *
 * - The filter's `clusters` and `clusterSelector` choose the clusters the groups are built over;
 *   every other workload filter field selects the groups with at least one matching instance
 *   (the group then shows all its instances on those clusters); `drifted`, `degraded`,
 *   `rollingOut` and `missing` select by the aggregate status.
 * - A cluster whose cache is not current (unreachable, disconnected, not yet synced) is left out:
 *   its instances are absent, it is never counted as missing, and its outcome says why. Status
 *   read from an old cache would claim health nobody can vouch for.
 * - Missing: a cluster the groups are built over where the caller may read the group's kind in
 *   its namespace and may see that namespace, which exists there, but no instance is. Clusters
 *   and namespaces the caller cannot read are never named.
 */
import type { CacheEntry } from "../../cache/entry.js";
import type { ObjectFilter, PageArgs } from "../../cache/query/index.js";
import type { Scope } from "../../cache/scope.js";
import { WORKLOADS } from "../../kinds/index.js";
import type { WorkloadData, WorkloadListFilter } from "../../kinds/workloads.js";
import { clusterProblem, freshnessOf, selectClusters, warnUnknownClusters } from "../fan-out.js";
import type { FleetView } from "../fleet-view.js";
import { fleetWorkloadId } from "../global-id.js";
import type { Direction, ObjectFilterFields } from "../list-request.js";
import { pageByKey, type NamePage } from "../name-pages.js";
import type { ObjectLists } from "../object-lists.js";
import type { ObjectReader } from "../object-reader.js";
import type { ClusterOutcomes, PageOutcome } from "../outcomes.js";
import type { FleetWorkload } from "./fleet-workload.js";
import { groupKeyOf, groupKeyText, type FleetWorkloadKey } from "./group-key.js";
import { groupOrder, type FleetWorkloadOrderField } from "./group-order.js";
import { groupStatus, type FleetWorkloadStatus } from "./group-status.js";

export interface FleetWorkloadFilter extends ObjectFilterFields, WorkloadListFilter {
  drifted?: boolean | null;
  degraded?: boolean | null;
  rollingOut?: boolean | null;
  missing?: boolean | null;
}

export interface FleetWorkloadRequest {
  filter?: FleetWorkloadFilter | null;
  orderBy?: { field: FleetWorkloadOrderField; direction: Direction } | null;
  page: PageArgs;
}

export interface FleetWorkloadPage extends NamePage<FleetWorkload> {
  /** One per cluster the groups were built over (or left out of them). */
  outcomes: PageOutcome[];
}

export interface FleetWorkloadSettings {
  /** The placement label that groups workloads carrying it (config `fleetWorkloads.groupLabel`). */
  groupLabel?: string | undefined;
}

/** The list its cursors belong to. */
export const FLEET_WORKLOAD_LIST = "FleetWorkload";

export class FleetWorkloadReads {
  constructor(
    private readonly reader: ObjectReader,
    private readonly fleet: FleetView,
    private readonly lists: Pick<ObjectLists, "filterFor">,
    private readonly settings: FleetWorkloadSettings = {},
  ) {}

  list(request: FleetWorkloadRequest, scope: Scope, outcomes: ClusterOutcomes): FleetWorkloadPage {
    const fields = request.filter ?? {};
    warnUnknownClusters(this.fleet, fields, scope, outcomes);
    const kinds = kindsOf(fields);
    const names = kinds.map((k) => k.kind);
    const selected = freshnessOf(
      this.fleet,
      selectClusters(this.fleet, fields, scope, names[0]),
      outcomes,
      names,
    );
    // Per kind: a cluster that does not serve CronJobs still groups its Deployments.
    const clusterNames = selected.map((f) => f.cluster);
    const serving = new Map(names.map((kind) => [kind, this.current(clusterNames, kind)]));

    // The groups with a matching instance, then all their instances on the serving clusters.
    const matched = new Set<string>();
    for (const kind of kinds) {
      const filter = this.lists.filterFor(kind, { ...fields, clusters: serving.get(kind.kind)! }, scope);
      this.reader.forEach(kind.kind, filter, scope, (e) => {
        matched.add(groupKeyText(groupKeyOf(e, this.settings.groupLabel)));
      });
    }
    const byKey = new Map<string, { key: FleetWorkloadKey; instances: CacheEntry<WorkloadData>[] }>();
    for (const kind of kinds) {
      const filter: ObjectFilter = { clusters: serving.get(kind.kind)! };
      if (fields.namespaces != null) filter.namespaces = fields.namespaces;
      this.reader.forEach<WorkloadData>(kind.kind, filter, scope, (e) => {
        const key = groupKeyOf(e, this.settings.groupLabel);
        const text = groupKeyText(key);
        if (!matched.has(text)) return;
        const group = byKey.get(text);
        if (group) group.instances.push(e);
        else byKey.set(text, { key, instances: [e] });
      });
    }
    const groups = [...byKey.values()]
      .map(({ key, instances }) => this.group(key, instances, serving.get(key.kind)!, scope))
      .filter((g) => matchesStatus(g.status, fields));
    const order = request.orderBy ?? { field: "NAME", direction: "ASC" };
    return {
      ...pageByKey(groups, groupOrder(order.field), FLEET_WORKLOAD_LIST, order.direction, request.page),
      outcomes: outcomes.pageOutcomes(selected, "CACHE"),
    };
  }

  /**
   * One group by its key, over every cluster the caller reads whose cache is current (Query.node);
   * `includeStale` keeps the others' cached instances too (a mutation's targets: a write to a
   * cluster that is down is told in its own outcome). Undefined when no instance is readable.
   */
  get(key: FleetWorkloadKey, scope: Scope, includeStale = false): FleetWorkload | undefined {
    const kind = WORKLOADS.find((k) => k.kind === key.kind);
    const label = this.settings.groupLabel;
    if (!kind || (key.by === "label" && label === undefined)) return undefined;
    const readable = selectClusters(this.fleet, null, scope, kind.kind);
    const names = readable.map((c) => c.name);
    const clusters = includeStale ? names : this.current(names, kind.kind);
    const instances: CacheEntry<WorkloadData>[] = [];
    if (key.by === "label") {
      const filter: ObjectFilter = {
        clusters,
        namespaces: [key.namespace],
        // A predicate, not a selector: the value comes from a caller's id and is never parsed.
        predicate: (e) => e.labels[label!] === key.name,
      };
      this.reader.forEach<WorkloadData>(kind.kind, filter, scope, (e) => instances.push(e));
    } else {
      for (const cluster of clusters) {
        const e = this.reader.getByName<WorkloadData>(cluster, kind.kind, key.namespace, key.name, scope);
        // A workload carrying the placement label belongs to its label's group instead.
        if (e && (label === undefined || !e.labels[label])) instances.push(e);
      }
    }
    return instances.length === 0 ? undefined : this.group(key, instances, clusters, scope);
  }

  private group(
    key: FleetWorkloadKey,
    instances: CacheEntry<WorkloadData>[],
    clusters: readonly string[],
    scope: Scope,
  ): FleetWorkload {
    instances.sort(byPlace);
    const present = new Set(instances.map((e) => e.cluster));
    const missing = clusters.filter((c) => !present.has(c) && this.namespaceReadable(c, key, scope));
    return { id: fleetWorkloadId(key), key, instances, status: groupStatus(instances, missing) };
  }

  /** The caller reads the group's kind in its namespace there, and sees the namespace exist. */
  private namespaceReadable(cluster: string, key: FleetWorkloadKey, scope: Scope): boolean {
    if (!scope.unrestricted && !scope.allows(cluster, key.kind, key.namespace, "")) return false;
    return this.reader.getByName(cluster, "Namespace", "", key.namespace, scope) !== undefined;
  }

  /** The clusters among `clusters` whose cache of `kind` is current. */
  private current(clusters: readonly string[], kind: string): string[] {
    return clusters.filter(
      (name) => clusterProblem(this.fleet, this.fleet.freshness(name, [kind]), [kind]) === undefined,
    );
  }
}

function kindsOf(fields: FleetWorkloadFilter) {
  const asked = fields.kinds as readonly string[] | null | undefined;
  const kinds = asked ? WORKLOADS.filter((k) => asked.includes(k.kind)) : [];
  // None asked (or an empty list, which the kinds predicate answers with nothing): read all.
  return kinds.length > 0 ? kinds : [...WORKLOADS];
}

function matchesStatus(status: FleetWorkloadStatus, filter: FleetWorkloadFilter): boolean {
  const is = (wanted: boolean | null | undefined, clusters: readonly string[]) =>
    wanted == null || wanted === clusters.length > 0;
  return (
    is(filter.drifted, status.driftedClusters) &&
    is(filter.degraded, status.degradedClusters) &&
    is(filter.rollingOut, status.rollingOutClusters) &&
    is(filter.missing, status.missingClusters)
  );
}

function byPlace(a: CacheEntry, b: CacheEntry): number {
  return compare(a.cluster, b.cluster) || compare(a.namespace, b.namespace) || compare(a.name, b.name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
