/**
 * The read services of one gateway, built once at start-up, and the per-request context the
 * resolvers receive. The composition root adapts the engine, registry and fleet cache to
 * ObjectReader and FleetView; tests pass a real engine over a filled FleetIndex and a fake view.
 */
import type { Scope } from "../cache/scope.js";
import { ClusterReads } from "./cluster-reads.js";
import type { FleetView } from "./fleet-view.js";
import { createLoaders, type Loaders } from "./loaders.js";
import { NodeLookup } from "./node-lookup.js";
import { ObjectLists } from "./object-lists.js";
import type { ObjectReader } from "./object-reader.js";
import { ClusterOutcomes } from "./outcomes.js";
import { Relations } from "./relations.js";
import type { StrongReader } from "./strong-reader.js";

/** KubeSphere's label marking a namespace's workspace. */
export const DEFAULT_WORKSPACE_LABEL = "kubesphere.io/workspace";

export interface ReadServicesOptions {
  reader: ObjectReader;
  fleet: FleetView;
  /** The STRONG consistency path; without it STRONG reads fail with ConsistencyUnavailableError. */
  strongReader?: StrongReader;
  /** Default DEFAULT_WORKSPACE_LABEL. */
  workspaceLabel?: string;
}

export interface ReadServices {
  readonly reader: ObjectReader;
  readonly objects: ObjectLists;
  readonly clusters: ClusterReads;
  readonly relations: Relations;
  readonly nodes: NodeLookup;
  readonly workspaceLabel: string;
}

export function createReadServices(options: ReadServicesOptions): ReadServices {
  const { reader, fleet } = options;
  const workspaceLabel = options.workspaceLabel ?? DEFAULT_WORKSPACE_LABEL;
  const clusters = new ClusterReads(fleet);
  return {
    reader,
    objects: new ObjectLists({ reader, fleet, strongReader: options.strongReader, workspaceLabel }),
    clusters,
    relations: new Relations(reader),
    nodes: new NodeLookup(reader, clusters),
    workspaceLabel,
  };
}

/** What every resolver gets: who may see what, the services, this request's loaders and outcomes. */
export interface RequestContext {
  scope: Scope;
  services: ReadServices;
  loaders: Loaders;
  outcomes: ClusterOutcomes;
}

/** One per GraphQL operation (per event for subscriptions: loaders must not cache longer). */
export function createRequestContext(services: ReadServices, scope: Scope): RequestContext {
  return {
    scope,
    services,
    loaders: createLoaders(services.reader, services.relations, scope),
    outcomes: new ClusterOutcomes(),
  };
}
