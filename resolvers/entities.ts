/**
 * The federation entities (docs/federation.md) as data, in one place: each type's `@key` field
 * sets and how a reference the router sends (`_entities`) becomes the object its type describes.
 * Every reference is read through the same Scope-applying services as the query of the same
 * object, so one outside the caller's Scope resolves to null, exactly like a deleted object.
 * `src/federation/subgraph-schema.ts` reads this table; nothing else declares a key.
 */
import { GraphQLError } from "graphql";
import { QueryInputError } from "../src/cache/query/index.js";
import type { SubgraphEntities, SubgraphEntity } from "../src/federation/subgraph-schema.js";
import type { RequestContext } from "../src/request/context.js";
import { isWorkloadKind } from "../src/query-service/index.js";
import { findNode, MAX_IDS } from "./root.js";
import {
  clusterNodeView,
  clusterView,
  namespaceView,
  podView,
  serviceView,
  workloadView,
  workspaceView,
} from "./views/index.js";
import { workloadSelectionView } from "./workload-selection.js";

type EntityKeys = SubgraphEntity<RequestContext>;

/** Pods, Services and workloads: a namespaced object by its cluster, namespace and name. */
const NAMESPACED_KEY = "clusterName namespaceName name";

/** `@key(fields: "id")` is added to every type implementing Node and needs no entry here. */
export const ENTITY_KEYS: readonly EntityKeys[] = [
  {
    type: "Cluster",
    keys: ["name"],
    byKey: (ref, ctx) => {
      const record = ctx.services.clusters.get(text(ref.name), ctx.scope);
      return record ? clusterView(record) : null;
    },
  },
  {
    type: "Workspace",
    keys: ["name"],
    byKey: (ref, ctx) => {
      const record = ctx.services.workspaces.get(text(ref.name), ctx.scope);
      return record ? workspaceView(record) : null;
    },
  },
  {
    type: "Namespace",
    keys: ["clusterName name"],
    byKey: (ref, ctx) => {
      const entry = ctx.services.graph.byName(
        text(ref.clusterName),
        "Namespace",
        "",
        text(ref.name),
        ctx.scope,
      );
      return entry ? namespaceView(entry as never, ctx.services.workspaceLabel) : null;
    },
  },
  {
    type: "ClusterNode",
    keys: ["clusterName name"],
    byKey: (ref, ctx) => {
      const entry = ctx.services.graph.byName(text(ref.clusterName), "Node", "", text(ref.name), ctx.scope);
      return entry ? clusterNodeView(entry as never) : null;
    },
  },
  namespaced("Pod", podView),
  namespaced("Service", serviceView),
  ...(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"] as const).map((kind) =>
    namespaced(kind, workloadView),
  ),
  // An entity interface: another subgraph adds fields to every workload kind at once
  // (`@interfaceObject`), and the router asks for `Workload` references by id.
  { type: "Workload", keys: [] },
  // FleetWorkload (a workload grouped across clusters) implements Node: keyed by "id", whose
  // encoding already names the group (grouping, namespace, kind, name); no natural key beside it.
  // Not a Kubernetes object: the workloads a label selector picks across the fleet, the way back
  // from another subgraph's entity (a team) to Fleetgraph.
  {
    type: "WorkloadSelection",
    keys: ["labelSelector"],
    byKey: (ref) => workloadSelectionView(text(ref.labelSelector)),
  },
];

/** What src/federation/subgraph-schema.ts builds the subgraph from. */
export const FLEETGRAPH_ENTITIES: SubgraphEntities<RequestContext> = {
  entities: ENTITY_KEYS,
  byId: entityById,
  // The router batches references; one batch is held to Query.nodes' cap on ids.
  maxRepresentations: MAX_IDS,
  // Relay's page info and Kubernetes' labels: other subgraphs define them too, field for field.
  shareable: ["PageInfo", "Label"],
  // A malformed reference fails its own item of `_entities`, not the batch (as in Query.nodes).
  itemError: (error) =>
    error instanceof QueryInputError
      ? new GraphQLError(error.message, { extensions: error.extensions })
      : undefined,
};

/** A reference by "id": the object, if it is of `type` (or implements it) and in the Scope. */
export function entityById(
  type: string,
  ref: Readonly<Record<string, unknown>>,
  ctx: RequestContext,
): unknown {
  const found = findNode(text(ref.id), ctx) as { __typename?: unknown } | null;
  if (!found) return null;
  const typename = found.__typename;
  const matches =
    typename === type || (type === "Workload" && typeof typename === "string" && isWorkloadKind(typename));
  return matches ? found : null;
}

function namespaced(type: string, view: (entry: never) => unknown): EntityKeys {
  return {
    type,
    keys: [NAMESPACED_KEY],
    byKey: (ref, ctx) => {
      const entry = ctx.services.graph.byName(
        text(ref.clusterName),
        type,
        text(ref.namespaceName),
        text(ref.name),
        ctx.scope,
      );
      return entry ? view(entry as never) : null;
    },
  };
}

/** A key field as the router sent it: a string, or the representation is malformed. */
function text(value: unknown): string {
  if (typeof value !== "string")
    throw new QueryInputError("representations", "an entity representation's key fields are strings");
  return value;
}
