/**
 * What each cluster serves, from its discovery documents (/api, /apis, /api/v1, /apis/<g>/<v>),
 * cached per cluster with a TTL. This is how the generic resources path finds custom resources:
 * a kind becomes a plural (the URL segment) and a scope (namespaced or not) only through it.
 *
 * Documents are cached as promises, so concurrent requests share one fetch; failures are not
 * cached. A kind that is missing from a document older than `refreshOnMissMs` triggers one
 * refetch before it is called unknown (a CRD created a moment ago). A cluster reconnected with
 * new settings (a new connection) starts with an empty cache.
 */
import { QueryInputError } from "../cache/query/index.js";
import type { ClusterConnection } from "../fleet/cluster-connection.js";
import { ClusterError, ClusterUnavailableError } from "../fleet/errors.js";
import type { FleetRegistry } from "../fleet/registry.js";
import { formatApiVersion, groupVersionPath, parseApiVersion, type GroupVersion } from "./api-version.js";
import { explainMissingGroupVersion, explainMissingKind } from "./suggestions.js";

export interface ApiResource {
  /** "" for the core group. */
  group: string;
  version: string;
  apiVersion: string;
  kind: string;
  /** The resource name in URLs, e.g. "configmaps". */
  plural: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
}

export interface FleetDiscoveryOptions {
  /** How long a discovery document is trusted. Default 5 minutes. */
  ttlMs?: number;
  /** A miss in a document older than this refetches it once. Default 10 s. */
  refreshOnMissMs?: number;
  now?: () => number;
}

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

interface ClusterDocs {
  connection: ClusterConnection;
  docs: Map<string, Cached<unknown>>;
}

interface ResourceListDoc {
  resources?: {
    name?: string;
    singularName?: string;
    namespaced?: boolean;
    kind?: string;
    verbs?: string[];
    shortNames?: string[];
  }[];
}

interface GroupListDoc {
  groups?: { name?: string; versions?: { version?: string }[] }[];
}

export class FleetDiscovery {
  private readonly clusters = new Map<string, ClusterDocs>();
  private readonly ttlMs: number;
  private readonly refreshOnMissMs: number;
  private readonly now: () => number;

  constructor(
    private readonly fleet: Pick<FleetRegistry, "get">,
    options: FleetDiscoveryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 300_000;
    this.refreshOnMissMs = options.refreshOnMissMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * The resource of `kind` in `apiVersion` on `cluster`. Throws QueryInputError naming what the
   * cluster serves nearby when the version or kind is unknown, ClusterError when it cannot ask.
   */
  async resolve(cluster: string, apiVersion: string, kind: string): Promise<ApiResource> {
    const gv = parseApiVersion(apiVersion);
    let resources = await this.groupVersion(cluster, gv);
    if (resources === undefined) {
      throw new QueryInputError(
        "apiVersion",
        await explainMissingGroupVersion(cluster, gv, this.groups(cluster)),
      );
    }
    let found = resources.find((r) => r.kind === kind);
    if (!found && this.age(cluster, groupVersionPath(gv)) > this.refreshOnMissMs) {
      resources = (await this.groupVersion(cluster, gv, true)) ?? [];
      found = resources.find((r) => r.kind === kind);
    }
    if (found) return found;
    throw new QueryInputError(
      "kind",
      await explainMissingKind(cluster, gv, kind, resources, () => this.all(cluster)),
    );
  }

  /** Everything the cluster serves, every version of every group, subresources left out. */
  async all(cluster: string): Promise<ApiResource[]> {
    const versions = await this.groups(cluster);
    const lists = await Promise.all(versions.map((gv) => this.groupVersion(cluster, gv)));
    return lists.flatMap((list) => list ?? []);
  }

  /** Drops a cluster's documents (it left the fleet, or its CRDs changed). */
  forget(cluster: string): void {
    this.clusters.delete(cluster);
  }

  /** Every group version the cluster serves, core first. */
  groups(cluster: string): Promise<GroupVersion[]> {
    return this.cached(cluster, "/apis", false, async (connection) => {
      const [core, apis] = await Promise.all([
        connection.request<{ versions?: string[] }>("/api"),
        connection.request<GroupListDoc>("/apis"),
      ]);
      const result: GroupVersion[] = (core.versions ?? []).map((version) => ({ group: "", version }));
      for (const group of apis.groups ?? []) {
        for (const v of group.versions ?? []) {
          if (group.name && v.version) result.push({ group: group.name, version: v.version });
        }
      }
      return result;
    });
  }

  /** The resources of one group version; undefined when the cluster does not serve it. */
  private groupVersion(
    cluster: string,
    gv: GroupVersion,
    refresh = false,
  ): Promise<ApiResource[] | undefined> {
    return this.cached(cluster, groupVersionPath(gv), refresh, async (connection) => {
      let doc: ResourceListDoc;
      try {
        doc = await connection.request<ResourceListDoc>(groupVersionPath(gv));
      } catch (error) {
        if (error instanceof ClusterError && error.httpStatus === 404) return undefined;
        throw error;
      }
      const apiVersion = formatApiVersion(gv);
      return (doc.resources ?? [])
        .filter((r) => r.name && r.kind && !r.name.includes("/"))
        .map((r) => ({
          group: gv.group,
          version: gv.version,
          apiVersion,
          kind: r.kind!,
          plural: r.name!,
          singular: r.singularName || r.kind!.toLowerCase(),
          namespaced: r.namespaced === true,
          verbs: r.verbs ?? [],
          shortNames: r.shortNames ?? [],
        }));
    });
  }

  private cached<T>(
    cluster: string,
    path: string,
    refresh: boolean,
    load: (connection: ClusterConnection) => Promise<T>,
  ): Promise<T> {
    const connection = this.fleet.get(cluster);
    if (!connection) return Promise.reject(new ClusterUnavailableError(cluster, "not in the fleet"));
    let entry = this.clusters.get(cluster);
    if (!entry || entry.connection !== connection) {
      entry = { connection, docs: new Map() };
      this.clusters.set(cluster, entry);
    }
    const docs = entry.docs;
    const hit = docs.get(path) as Cached<T> | undefined;
    if (hit && !refresh && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = load(connection);
    const fresh: Cached<T> = { at: this.now(), value };
    docs.set(path, fresh);
    // A failure is not remembered: the next request asks again.
    value.catch(() => {
      if (docs.get(path) === fresh) docs.delete(path);
    });
    return value;
  }

  private age(cluster: string, path: string): number {
    const hit = this.clusters.get(cluster)?.docs.get(path);
    return hit ? this.now() - hit.at : Infinity;
  }
}
