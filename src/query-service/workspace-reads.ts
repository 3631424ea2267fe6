/**
 * Workspaces (KubeSphere's tenants) as the API serves them, read-only: a workspace exists while
 * some namespace in some cluster carries its label, so it spans clusters. Everything here is
 * within the caller's Scope: a workspace whose namespaces the caller cannot read does not exist
 * for them.
 */
import type { PageArgs } from "../cache/query/index.js";
import type { Scope } from "../cache/scope.js";
import { WORKLOADS, type KindSettings, type NamespaceData, type ResourceQuotaData } from "../kinds/index.js";
import { quantityOrNull, roundToNano } from "../kube/quantity.js";
import type { Direction } from "./list-request.js";
import { pageByName, type NamePage } from "./name-pages.js";
import { narrow } from "./object-lists.js";
import type { ObjectReader } from "./object-reader.js";
import { workspaceNamespaces } from "./workspace-namespaces.js";

export interface WorkspaceRecord {
  name: string;
  /** The clusters it has namespaces in (that the caller may read), by name. */
  clusters: string[];
}

export interface WorkspaceListFilter {
  names?: string[] | null;
  nameContains?: string | null;
  clusters?: string[] | null;
}

export interface WorkspaceListRequest {
  filter?: WorkspaceListFilter | null;
  orderBy?: { field: "NAME"; direction: Direction } | null;
  page: PageArgs;
}

export interface WorkspaceSummaryData {
  clusters: number;
  namespaces: number;
  pods: number;
  runningPods: number;
  workloads: number;
}

/** One resource summed over a workspace's quotas. */
export interface WorkspaceQuotaLine {
  resource: string;
  hard: number;
  used: number;
  /** How many ResourceQuotas limit it. */
  quotas: number;
}

export class WorkspaceReads {
  constructor(
    private readonly reader: ObjectReader,
    private readonly settings: KindSettings,
  ) {}

  /** The workspaces `request` selects; only those with namespaces in `cluster` when one is given. */
  list(request: WorkspaceListRequest, scope: Scope, cluster?: string): NamePage<WorkspaceRecord> {
    const filter = { ...request.filter, clusters: narrow(request.filter?.clusters, cluster) };
    const names = filter.names ? new Set(filter.names) : undefined;
    const needle = filter.nameContains ? filter.nameContains.toLowerCase() : undefined;
    const matches = this.all(scope, filter.clusters ?? undefined).filter(
      (w) =>
        (names === undefined || names.has(w.name)) &&
        (needle === undefined || w.name.toLowerCase().includes(needle)),
    );
    return pageByName(matches, (w) => w.name, "Workspace", request.orderBy?.direction, request.page);
  }

  get(name: string, scope: Scope): WorkspaceRecord | undefined {
    const namespaces = workspaceNamespaces(this.reader, [name], undefined, scope, this.settings);
    const clusters = namespaces.clusters().sort();
    return clusters.length === 0 ? undefined : { name, clusters };
  }

  /** The workspace's readable namespaces, per cluster (what its metrics sum over). */
  namespaces(name: string, scope: Scope): ReadonlyMap<string, readonly string[]> {
    return workspaceNamespaces(this.reader, [name], undefined, scope, this.settings).byCluster();
  }

  /** Counts over the workspace's namespaces, one pass per kind. */
  summary(name: string, scope: Scope): WorkspaceSummaryData {
    const namespaces = workspaceNamespaces(this.reader, [name], undefined, scope, this.settings);
    const clusters = namespaces.clusters();
    const filter = {
      clusters,
      namespaces: namespaces.names(),
      predicate: (e: { cluster: string; namespace: string }) => namespaces.has(e.cluster, e.namespace),
    };
    let pods = 0;
    let runningPods = 0;
    this.reader.forEach<{ phase: string }>("Pod", filter, scope, (p) => {
      pods++;
      if (p.data.phase === "Running") runningPods++;
    });
    let workloads = 0;
    for (const kind of WORKLOADS) workloads += this.reader.count(kind.kind, filter, scope);
    let count = 0;
    this.reader.forEach(
      "Namespace",
      { clusters, predicate: (e) => namespaces.has(e.cluster, e.name) },
      scope,
      () => count++,
    );
    return { clusters: clusters.length, namespaces: count, pods, runningPods, workloads };
  }

  /**
   * Its ResourceQuotas summed by resource over the namespaces the caller may read: the hard
   * limits and what is used, as numbers (cores, bytes, counts). Quantities that do not parse
   * are left out of the sums rather than failing the answer.
   */
  quota(name: string, scope: Scope): WorkspaceQuotaLine[] {
    const namespaces = workspaceNamespaces(this.reader, [name], undefined, scope, this.settings);
    const sums = new Map<string, WorkspaceQuotaLine>();
    const add = (resource: string, field: "hard" | "used", text: string) => {
      const value = quantityOrNull(text);
      if (value === null) return;
      let line = sums.get(resource);
      if (!line) sums.set(resource, (line = { resource, hard: 0, used: 0, quotas: 0 }));
      line[field] += value;
    };
    this.reader.forEach<ResourceQuotaData>(
      "ResourceQuota",
      {
        clusters: namespaces.clusters(),
        namespaces: namespaces.names(),
        predicate: (e) => namespaces.has(e.cluster, e.namespace),
      },
      scope,
      (e) => {
        for (const [resource, text] of Object.entries(e.data.hard)) {
          add(resource, "hard", text);
          const line = sums.get(resource);
          if (line) line.quotas++;
        }
        for (const [resource, text] of Object.entries(e.data.used)) add(resource, "used", text);
      },
    );
    for (const line of sums.values()) {
      line.hard = roundToNano(line.hard);
      line.used = roundToNano(line.used);
    }
    return [...sums.values()].sort((a, b) => a.resource.localeCompare(b.resource));
  }

  private all(scope: Scope, clusters: string[] | undefined): WorkspaceRecord[] {
    const label = this.settings.workspaceLabel;
    const byName = new Map<string, Set<string>>();
    this.reader.forEach<NamespaceData>(
      "Namespace",
      { ...(clusters ? { clusters } : {}), predicate: (e) => e.labels[label] !== undefined },
      scope,
      (e) => {
        const name = e.labels[label]!;
        let set = byName.get(name);
        if (!set) byName.set(name, (set = new Set()));
        set.add(e.cluster);
      },
    );
    return [...byName].map(([name, set]) => ({ name, clusters: [...set].sort() }));
  }
}
