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
 * - Clusters are chosen per kind: those where the caller reads the kind and whose cache of it is
 *   current. One whose cache is not (unreachable, disconnected, not yet synced) is left out of
 *   that kind's groups: never counted as missing, and its outcome says why. Status read from an
 *   old cache would claim health nobody can vouch for. A kind it does not serve is no problem.
 * - Missing: a cluster the groups are built over where the caller may read the group's kind in
 *   its namespace and may see that namespace, which exists there, but no instance is. Clusters
 *   and namespaces the caller cannot read are never named.
 */
import type { CacheEntry } from "../../cache/entry.js";
import type { ObjectFilter, PageArgs } from "../../cache/query/index.js";
import type { Scope } from "../../cache/scope.js";
import { WORKLOADS } from "../../kinds/index.js";
import type { WorkloadData, WorkloadListFilter } from "../../kinds/workloads.js";
import { clusterProblem, selectClusters, warnUnknownClusters } from "../fan-out.js";
import type { ClusterFreshness, FleetView } from "../fleet-view.js";
import { fleetWorkloadId } from "../global-id.js";
import type { Direction, ObjectFilterFields } from "../list-request.js";
import { pageByKey, type NamePage } from "../name-pages.js";
import type { ObjectLists } from "../object-lists.js";
import type { ObjectReader } from "../object-reader.js";
import type { ClusterOutcomes, PageOutcome } from "../outcomes.js";
import { MAX_GROUP_INSTANCES_PER_CLUSTER, type FleetWorkload } from "./fleet-workload.js";
import { groupKeyOf, groupKeyText, type FleetWorkloadKey } from "./group-key.js";
import { groupOrder, type FleetWorkloadOrderField } from "./group-order.js";
import { groupStatus, type FleetWorkloadStatus } from "./group-status.js";

type WorkloadDescriptor = (typeof WORKLOADS)[number];

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
    const { serving, freshness } = this.servingClusters(fields, kinds, scope, outcomes);

    // The groups with a matching instance, then all their instances on the serving clusters.
    const matched = new Set<string>();
    for (const kind of kinds) {
      const filter = this.lists.filterFor(kind, { ...fields, clusters: serving.get(kind.kind)! }, scope);
      this.reader.forEach(kind.kind, filter, scope, (e) => {
        if (grouped(e)) matched.add(groupKeyText(groupKeyOf(e, this.settings.groupLabel)));
      });
    }
    const byKey = new Map<string, { key: FleetWorkloadKey; instances: CacheEntry<WorkloadData>[] }>();
    for (const kind of kinds) {
      const filter: ObjectFilter = { clusters: serving.get(kind.kind)! };
      if (fields.namespaces != null) filter.namespaces = fields.namespaces;
      this.reader.forEach<WorkloadData>(kind.kind, filter, scope, (e) => {
        if (!grouped(e)) return;
        const key = groupKeyOf(e, this.settings.groupLabel);
        const text = groupKeyText(key);
        if (!matched.has(text)) return;
        const group = byKey.get(text);
        if (group) group.instances.push(e);
        else byKey.set(text, { key, instances: [e] });
      });
    }
    // Statuses are worked out as they are read: for every group when a status filter or order
    // needs them, else only for the page's groups whose status is asked for.
    const groups = [...byKey.values()]
      .map(({ key, instances }) => this.group(key, instances, serving.get(key.kind)!, scope))
      .filter((g) => matchesStatus(g, fields));
    const order = request.orderBy ?? { field: "NAME", direction: "ASC" };
    return {
      ...pageByKey(groups, groupOrder(order.field), FLEET_WORKLOAD_LIST, order.direction, request.page),
      outcomes: outcomes.pageOutcomes(freshness, "CACHE"),
    };
  }

  /**
   * Per kind, the clusters the groups are built over: those the filter selects where the caller
   * reads that kind (a grant of StatefulSets alone reads StatefulSets) and whose cache of it is
   * current. A cluster that does not serve a kind (its list answers 404, e.g. an old CronJob API)
   * is simply not read for it: its other kinds still group, and no error is told of it.
   */
  private servingClusters(
    fields: FleetWorkloadFilter,
    kinds: readonly WorkloadDescriptor[],
    scope: Scope,
    outcomes: ClusterOutcomes,
  ): { serving: Map<string, string[]>; freshness: ClusterFreshness[] } {
    const serving = new Map<string, string[]>();
    const readKinds = new Map<string, string[]>();
    for (const { kind } of kinds) {
      const current: string[] = [];
      for (const { name } of selectClusters(this.fleet, fields, scope, kind)) {
        const freshness = this.fleet.freshness(name, [kind]);
        const read = readKinds.get(name) ?? [];
        readKinds.set(name, read);
        if (freshness.unserved?.includes(kind)) continue;
        read.push(kind);
        const problem = clusterProblem(this.fleet, freshness, [kind]);
        if (problem === undefined) current.push(name);
        else if (!outcomes.errorFor(name))
          outcomes.reportClusterError(name, "CLUSTER_UNAVAILABLE", problem, true);
      }
      serving.set(kind, current);
    }
    const freshness = [...readKinds]
      .sort(([a], [b]) => compare(a, b))
      .map(([name, read]) => this.fleet.freshness(name, read));
    return { serving, freshness };
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
      this.reader.forEach<WorkloadData>(kind.kind, filter, scope, (e) => {
        if (grouped(e)) instances.push(e);
      });
    } else {
      for (const cluster of clusters) {
        const e = this.reader.getByName<WorkloadData>(cluster, kind.kind, key.namespace, key.name, scope);
        // A workload carrying the placement label belongs to its label's group instead.
        if (e && grouped(e) && (label === undefined || !e.labels[label])) instances.push(e);
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
    let status: FleetWorkloadStatus | undefined;
    const statusOf = () => {
      const present = new Set(instances.map((e) => e.cluster));
      const missing = clusters.filter((c) => !present.has(c) && this.namespaceReadable(c, key, scope));
      return groupStatus(instances, missing);
    };
    return {
      id: fleetWorkloadId(key),
      key,
      instances: listed(instances),
      instanceCount: instances.length,
      get status() {
        return (status ??= statusOf());
      },
    };
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

/**
 * Workloads a controller owns (a CronJob's Jobs, an operator's StatefulSets) are named by it, one
 * per run or per owner: grouped by name each would be its own group, missing everywhere else.
 * Their owner is the one grouped.
 */
function grouped(entry: CacheEntry): boolean {
  return entry.owner === undefined;
}

/** At most MAX_GROUP_INSTANCES_PER_CLUSTER per cluster (`instances` in cluster order). */
function listed(instances: CacheEntry<WorkloadData>[]): CacheEntry<WorkloadData>[] {
  let run = 0;
  return instances.filter((e, i) => {
    run = i > 0 && instances[i - 1]!.cluster === e.cluster ? run + 1 : 1;
    return run <= MAX_GROUP_INSTANCES_PER_CLUSTER;
  });
}

function kindsOf(fields: FleetWorkloadFilter) {
  const asked = fields.kinds as readonly string[] | null | undefined;
  const kinds = asked ? WORKLOADS.filter((k) => asked.includes(k.kind)) : [];
  // None asked (or an empty list, which the kinds predicate answers with nothing): read all.
  return kinds.length > 0 ? kinds : [...WORKLOADS];
}

function matchesStatus(group: FleetWorkload, filter: FleetWorkloadFilter): boolean {
  const { drifted, degraded, rollingOut, missing } = filter;
  if (drifted == null && degraded == null && rollingOut == null && missing == null) return true;
  const status = group.status;
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
