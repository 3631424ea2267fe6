/**
 * The generic resources path: any kind a cluster serves (custom resources included), listed
 * straight from its API server as JSON, found through the cluster's discovery. Every argument
 * is checked against the Kubernetes grammar, and against the Scope, before a URL is built; the
 * URL's path segments are escaped all the same.
 *
 * With a narrower Scope than "everything", a namespaced kind must be read in a namespace where
 * the Scope grants that kind (custom resources only by a grant of every kind, "*"), and a
 * cluster-scoped kind needs a cluster grant of it.
 *
 * The list itself is made on the caller's behalf (impersonated, see src/fleet/impersonation.ts),
 * so the member cluster's RBAC applies too; discovery stays the gateway's own. Secrets come back
 * with their values withheld unless asked for and authorised by the cluster (secret-values.ts).
 */
import {
  DEFAULT_PAGE_SIZE,
  LazyCursors,
  LazyPageInfo,
  MAX_PAGE_SIZE,
  QueryAccessError,
  QueryInputError,
  type PageCursors,
  type PageInfo,
} from "../cache/query/index.js";
import { impersonationOf } from "../../auth/impersonation.js";
import type { Subject } from "../../auth/subject.js";
import type { Scope } from "../cache/scope.js";
import { checkKind, groupVersionPath, type ApiResource, type FleetDiscovery } from "../discovery/index.js";
import type { ClusterConnection } from "../fleet/cluster-connection.js";
import { ClusterError, ClusterUnavailableError } from "../fleet/errors.js";
import type { Impersonation } from "../fleet/impersonation.js";
import { withQuery } from "../fleet/resources.js";
import { formatLabelSelector, LabelSelectorError, parseLabelSelector } from "../kube/label-selector.js";
import { isJsonObject, type JsonObject } from "../kube/object.js";
import type { ClusterOutcomes } from "../query-service/index.js";
import { invalidTokenError, reportClusterFailure } from "./cluster-failure.js";
import type { LiveFleet } from "./list-streams.js";
import { checkNamespaceName } from "./names.js";
import { isSecretResource, withheldValues } from "./secret-values.js";
import {
  decodeResourceCursor,
  encodeResourceCursor,
  type ResourceCursor,
  type ResourceQueryKey,
} from "./resource-cursor.js";

export interface ResourceListRequest {
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace?: string | null;
  labelSelector?: string | null;
  first?: number | null;
  after?: string | null;
  /** Return Secrets' values, if the cluster authorises the caller; withheld otherwise. */
  revealSecretData?: boolean | null;
}

export interface ResourcePage {
  cluster: string;
  resource: ApiResource;
  items: JsonObject[];
  cursors: PageCursors;
  pageInfo: PageInfo;
  /** Known on a first page when the API server counted the rest (no label selector); else null. */
  totalCount: number | null;
  resourceVersion: string;
}

/** Edge cursors re-list their chunk and skip; this bounds how far. */
const MAX_SKIP = 10_000;

interface ListDoc {
  items?: unknown[] | null;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
}

export class ResourceReads {
  constructor(
    private readonly fleet: LiveFleet,
    private readonly discovery: FleetDiscovery,
  ) {}

  /** null when the cluster could not answer (reported to `outcomes`). Read as `subject`. */
  async list(
    request: ResourceListRequest,
    scope: Scope,
    subject: Subject,
    outcomes: ClusterOutcomes,
  ): Promise<ResourcePage | null> {
    const first = pageSize(request.first);
    const cluster = this.checkCluster(request.cluster, scope);
    checkKind(request.kind);
    const namespace =
      request.namespace == null ? undefined : checkNamespaceName("namespace", request.namespace);
    const readable = scope.namespacesIn(cluster, request.kind);
    if (namespace !== undefined && readable !== "*" && !readable.has(namespace)) {
      throw new QueryAccessError(
        "namespace",
        `namespace "${namespace}" of cluster "${cluster}" is outside your access`,
      );
    }
    const labelSelector = canonicalSelector(request.labelSelector);
    const query: ResourceQueryKey = {
      cluster,
      apiVersion: request.apiVersion,
      kind: request.kind,
      namespace: namespace ?? "",
      labelSelector,
    };
    const from: ResourceCursor =
      request.after == null ? { token: "", skip: 0 } : decodeResourceCursor(request.after, query, MAX_SKIP);

    let resource: ApiResource;
    try {
      resource = await this.discovery.resolve(cluster, request.apiVersion, request.kind);
    } catch (error) {
      if (error instanceof QueryInputError) throw error;
      reportClusterFailure(outcomes, cluster, `discovery for ${request.kind}`, error);
      return null;
    }
    checkReadable(resource, cluster, namespace, scope);

    const prefix = groupVersionPath(resource);
    const collection = namespace === undefined ? "" : `/namespaces/${encodeURIComponent(namespace)}`;
    const path = withQuery(`${prefix}${collection}/${encodeURIComponent(resource.plural)}`, {
      // limit 0 means "everything" to an API server: ask for at least one.
      limit: Math.max(1, from.skip + first),
      continue: from.token,
      labelSelector,
    });
    const impersonate = impersonationOf(subject);
    // The cluster may have left the fleet while discovery was asked.
    const connection = this.fleet.get(cluster);
    if (!connection) {
      const gone = new ClusterUnavailableError(cluster, "removed from the fleet");
      reportClusterFailure(outcomes, cluster, `listing ${resource.plural}`, gone);
      return null;
    }
    let list: ListDoc;
    try {
      list = await connection.request<ListDoc>(path, impersonate ? { impersonate } : {});
    } catch (error) {
      if (error instanceof ClusterError && error.invalidContinue && from.token)
        throw invalidTokenError(cluster);
      if (error instanceof ClusterError && error.expired && from.token) {
        throw new QueryInputError(
          "after",
          `the list this cursor belongs to has expired on cluster "${cluster}" (its snapshot was compacted); start again without "after"`,
        );
      }
      if (error instanceof ClusterError && error.httpStatus === 404) this.discovery.forget(cluster);
      reportClusterFailure(outcomes, cluster, `listing ${resource.plural}`, error);
      return null;
    }
    const present = isSecretResource(resource)
      ? secretPresentation(request.revealSecretData === true, connection, impersonate, outcomes)
      : undefined;
    return shapePage(query, resource, from, first, list, present);
  }

  /** What the cluster's discovery says exists; null when it could not answer. */
  async apiResources(
    cluster: string,
    scope: Scope,
    outcomes: ClusterOutcomes,
  ): Promise<ApiResource[] | null> {
    const name = this.checkCluster(cluster, scope);
    try {
      const all = await this.discovery.all(name);
      return scope.unrestricted ? all : all.filter((r) => r.namespaced);
    } catch (error) {
      reportClusterFailure(outcomes, name, "discovery", error);
      return null;
    }
  }

  private checkCluster(cluster: string, scope: Scope): string {
    const readable = (name: string) => scope.unrestricted || scope.allowsCluster(name);
    if (this.fleet.get(cluster) && readable(cluster)) return cluster;
    const known = this.fleet.names().filter(readable).sort();
    throw new QueryInputError(
      "cluster",
      `no cluster named "${cluster}" in your fleet; clusters: ${known.map((n) => `"${n}"`).join(", ") || "none"}`,
    );
  }
}

function pageSize(first: number | null | undefined): number {
  const value = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw new QueryInputError(
      "first",
      `"first" must be an integer from 0 to ${MAX_PAGE_SIZE}, got ${String(value)}`,
    );
  }
  return value;
}

/** Validated, then sent in canonical form (never the caller's raw text). */
function canonicalSelector(text: string | null | undefined): string {
  if (text == null) return "";
  try {
    return formatLabelSelector(parseLabelSelector(text));
  } catch (error) {
    if (error instanceof LabelSelectorError) throw new QueryInputError("labelSelector", error.message);
    throw error;
  }
}

function checkReadable(
  resource: ApiResource,
  cluster: string,
  namespace: string | undefined,
  scope: Scope,
): void {
  const what = `${resource.kind} (${resource.apiVersion})`;
  if (!resource.verbs.includes("list")) {
    throw new QueryInputError(
      "kind",
      `${what} cannot be listed; its verbs are ${resource.verbs.join(", ") || "none"}`,
    );
  }
  if (!resource.namespaced) {
    if (namespace !== undefined) {
      throw new QueryInputError("namespace", `${what} is cluster-scoped: leave out "namespace"`);
    }
    if (!scope.allowsClusterKind(cluster, resource.kind)) {
      throw new QueryAccessError(
        "kind",
        `${what} is cluster-scoped, and your access to cluster "${cluster}" does not include it`,
      );
    }
  } else if (namespace === undefined && scope.namespacesIn(cluster, resource.kind) !== "*") {
    throw new QueryAccessError(
      "namespace",
      `your access to cluster "${cluster}" is per namespace: give "namespace"`,
    );
  }
}

/**
 * How Secrets leave: values withheld unless asked for and the cluster decided for the caller
 * (an impersonated call; not with authentication off, nor on a cluster that trusts the gateway).
 */
function secretPresentation(
  reveal: boolean,
  connection: ClusterConnection,
  impersonate: Impersonation | undefined,
  outcomes: ClusterOutcomes,
): ((item: JsonObject) => JsonObject) | undefined {
  if (!reveal) return withheldValues;
  const why =
    impersonate === undefined
      ? "authentication is off, so no cluster checked the caller's own access"
      : connection.config.trustGatewayGrants
        ? `cluster "${connection.name}" trusts the gateway's grants, so it did not check the caller's own access`
        : undefined;
  if (why === undefined) return undefined;
  outcomes.warn({
    code: "SECRET_DATA_WITHHELD",
    cluster: connection.name,
    message: `Secret values were withheld although revealSecretData was asked: ${why}`,
  });
  return withheldValues;
}

function shapePage(
  query: ResourceQueryKey,
  resource: ApiResource,
  from: ResourceCursor,
  first: number,
  list: ListDoc,
  present: ((item: JsonObject) => JsonObject) | undefined,
): ResourcePage {
  const fetched = (list.items ?? []).filter(isJsonObject);
  const items = fetched.slice(from.skip, from.skip + first).map((item) => {
    const typed = withType(item, resource);
    return present ? present(typed) : typed;
  });
  const next = list.metadata?.continue || undefined;
  const chunkEnd = from.skip + items.length === fetched.length;
  const cursors = new LazyCursors(items.length, (i) =>
    i === items.length - 1 && chunkEnd && next
      ? encodeResourceCursor(query, { token: next, skip: 0 })
      : encodeResourceCursor(query, { token: from.token, skip: from.skip + i + 1 }),
  );
  const remaining = list.metadata?.remainingItemCount;
  const totalCount =
    from.token === "" && from.skip === 0
      ? next
        ? remaining === undefined
          ? null
          : fetched.length + remaining
        : fetched.length
      : null;
  return {
    cluster: query.cluster,
    resource,
    items,
    cursors,
    pageInfo: new LazyPageInfo(
      next !== undefined || fetched.length > from.skip + items.length,
      from.token !== "" || from.skip > 0,
      cursors,
    ),
    totalCount,
    resourceVersion: list.metadata?.resourceVersion ?? "",
  };
}

/** Items of a list carry no kind/apiVersion; managedFields is bookkeeping nobody reads here. */
function withType(item: JsonObject, resource: ApiResource): JsonObject {
  const metadata = isJsonObject(item.metadata) ? { ...item.metadata } : {};
  delete metadata.managedFields;
  return {
    ...item,
    apiVersion: item.apiVersion ?? resource.apiVersion,
    kind: item.kind ?? resource.kind,
    metadata,
  };
}
