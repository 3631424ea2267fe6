/**
 * A gateway's read path over a real simulated fleet, without HTTP: FleetRegistry -> FleetIndex +
 * FleetCache -> QueryEngine -> read services (with the STRONG reader) + the generic resources
 * reads -> the schema, driven with graphql-js. Per-cluster outcomes become errors the way the
 * server's plugin adds them, so tests see what a client would.
 */
import { ANONYMOUS, type Subject } from "../../auth/subject.js";
import "reflect-metadata";
import { graphql, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import type { CachedKind } from "../../src/cache/entry.js";
import { FleetCache } from "../../src/cache/fleet-cache.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { QueryEngine } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import { configFromKubeconfig } from "../../src/config/index.js";
import { FleetDiscovery } from "../../src/discovery/index.js";
import { FleetRegistry } from "../../src/fleet/registry.js";
import type { ResourcePath } from "../../src/fleet/resources.js";
import { clusterOutcomeError } from "../../src/http/cluster-outcomes.js";
import { KINDS, pathOf } from "../../src/kinds/index.js";
import { ApiServerReader, ResourceReads } from "../../src/live-read/index.js";
import { createReadServices, type ReadServices, type Warning } from "../../src/query-service/index.js";
import { createRequestContext } from "../../src/request/context.js";
import { liveFleetView } from "../../src/server/fleet-view.js";
import { buildFleetgraphSchema } from "../../src/server/schema.js";
import type { SimCluster } from "../../sim/cluster.js";
import { startFleet, type FleetOptions, type SimFleet } from "../../sim/fleet.js";
import { findKind, type ResourceKind } from "../../sim/kinds.js";

export interface FixtureOptions {
  fleet: FleetOptions;
  /** Per-cluster request deadline. Default 2 s. */
  requestTimeoutMs?: number;
  /** The fleet user whose token the gateway connects with. Default: the kubeconfig's (admin). */
  gatewayUser?: string;
}

export interface RunResult {
  data: Record<string, unknown> | null | undefined;
  errors: GraphQLFormattedError[];
  /** What the server would put in `extensions.warnings`. */
  warnings: Warning[];
}

export interface GatewayFixture {
  sim: SimFleet;
  registry: FleetRegistry;
  index: FleetIndex;
  cache: FleetCache;
  services: ReadServices;
  schema: GraphQLSchema;
  /** Runs as `subject` (default ANONYMOUS, authentication off) with `scope` (default everything). */
  run(
    source: string,
    variables?: Record<string, unknown>,
    scope?: Scope,
    subject?: Subject,
  ): Promise<RunResult>;
  stop(): Promise<void>;
}

export async function startGatewayFixture(options: FixtureOptions): Promise<GatewayFixture> {
  const sim = await startFleet(options.fleet);
  const gatewayToken = options.gatewayUser && sim.users.find((u) => u.name === options.gatewayUser)?.token;
  if (options.gatewayUser && !gatewayToken) throw new Error(`the fleet has no user ${options.gatewayUser}`);
  const clusters = configFromKubeconfig(sim.kubeconfigPath).clusters.map((c) => ({
    ...c,
    ...(gatewayToken ? { auth: { token: gatewayToken } } : {}),
    requestTimeoutMs: options.requestTimeoutMs ?? 2000,
  }));
  const registry = new FleetRegistry(clusters, {
    connection: { breaker: { failureThreshold: 3, cooldownMs: 300 } },
    health: { intervalMs: 200, unreachableIntervalMs: 200 },
  });
  // Every cached kind, as the gateway composes them (src/kinds).
  const index = new FleetIndex(KINDS);
  const cache = new FleetCache(registry, index, {
    kinds: KINDS,
    cache: { backoff: { initialMs: 50, maxMs: 500 } },
  });
  const engine = new QueryEngine(index, {
    clusterLabels: (cluster) => ({ ...registry.clusterLabels(cluster) }),
    isKnown: (cluster) => registry.get(cluster) !== undefined,
  });
  const services = createReadServices({
    reader: engine,
    fleet: liveFleetView(registry, cache),
    strongReader: new ApiServerReader(registry),
  });
  const resources = new ResourceReads(registry, new FleetDiscovery(registry));
  const schema = await buildFleetgraphSchema();
  cache.start();
  const report = await cache.whenSynced(20_000);
  if (!report.complete) throw new Error(`fleet did not sync: pending ${report.pending.join(", ")}`);

  return {
    sim,
    registry,
    index,
    cache,
    services,
    schema,
    async run(source, variables = {}, scope = Scope.everything(), subject = ANONYMOUS) {
      const contextValue = { ...createRequestContext(services, subject, scope), resources };
      const result = await graphql({ schema, source, variableValues: variables, contextValue });
      const errors: GraphQLFormattedError[] = (result.errors ?? []).map((e) => e.toJSON());
      errors.push(...contextValue.outcomes.list().map((outcome) => clusterOutcomeError(outcome)));
      return { data: result.data, errors, warnings: contextValue.outcomes.listWarnings() };
    },
    async stop() {
      await cache.stop();
      registry.close();
      await sim.stop();
    },
  };
}

/** "v1" for "/api/v1", "apps/v1" for "/apis/apps/v1": the apiVersion of a kind's API path. */
function apiVersionOf(path: ResourcePath): string {
  return path.prefix.replace(/^\/apis?\//, "");
}

/** The simulator's resource of a cached kind, found by the kind's own API path. */
export function findSimKind(kind: CachedKind): ResourceKind | undefined {
  return findKind(apiVersionOf(pathOf(kind)), kind);
}

export function simKind(kind: CachedKind): ResourceKind {
  const found = findSimKind(kind);
  if (!found) throw new Error(`the simulator has no ${kind}`);
  return found;
}

/** "uid@resourceVersion" of every object of a kind in a simulated cluster, sorted (none when it does not serve the kind). */
export function simState(cluster: SimCluster, kind: CachedKind): string[] {
  const resource = findSimKind(kind);
  if (!resource) return [];
  return cluster.store
    .all(resource)
    .map((o) => `${o.metadata.uid}@${o.metadata.resourceVersion}`)
    .sort();
}

/** The same for a cluster's watch cache. */
export function cacheState(index: FleetIndex, cluster: string, kind: CachedKind): string[] {
  const store = index.find(cluster, kind);
  return store ? [...store.all()].map((e) => `${e.uid}@${e.resourceVersion}`).sort() : [];
}

/** Kinds whose cache differs from the simulator, per cluster; empty when every cache converged. */
export function divergence(fixture: GatewayFixture): string[] {
  const differ: string[] = [];
  for (const cluster of fixture.sim.clusters) {
    for (const { kind } of KINDS) {
      const want = simState(cluster, kind);
      const have = cacheState(fixture.index, cluster.name, kind);
      if (want.join() !== have.join())
        differ.push(`${cluster.name}/${kind} (sim ${want.length}, cache ${have.length})`);
    }
  }
  return differ;
}

export interface PageWalk<T> {
  items: T[];
  pages: number;
  errors: GraphQLFormattedError[];
}

/**
 * Follows `pageInfo.endCursor` until `hasNextPage` is false. The query takes $first and $after and
 * selects `<field> { edges { cursor node { ... } } pageInfo { hasNextPage endCursor } }`.
 * `between` runs after each page (the fleet changes while a client pages).
 */
export async function walkPages<T>(
  fixture: GatewayFixture,
  source: string,
  field: string,
  variables: Record<string, unknown>,
  between: (page: number) => void | Promise<void> = () => undefined,
): Promise<PageWalk<T>> {
  const items: T[] = [];
  const errors: GraphQLFormattedError[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const result = await fixture.run(source, { ...variables, after });
    errors.push(...result.errors);
    const connection = result.data?.[field] as
      { edges: { node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | undefined;
    if (!connection) throw new Error(`no ${field} in ${JSON.stringify(result)}`);
    items.push(...connection.edges.map((e) => e.node));
    if (!connection.pageInfo.hasNextPage) return { items, pages, errors };
    if (pages > 10_000) throw new Error("paging does not end");
    after = connection.pageInfo.endCursor;
    await between(pages);
  }
}

/** Every uid of a kind that exists in the fleet at any moment between start and stop. */
export function trackUids(sim: SimFleet, kind: CachedKind): { seen: Set<string>; stop: () => void } {
  const seen = new Set<string>();
  const resource = simKind(kind);
  for (const c of sim.clusters) for (const o of c.store.all(resource)) seen.add(o.metadata.uid!);
  const offs = sim.clusters.map((c) =>
    c.store.onChange((event) => {
      if (event.resource === resource) seen.add(event.object.metadata.uid!);
    }),
  );
  return { seen, stop: () => offs.forEach((off) => off()) };
}

/** uids of a kind in the simulator now, all clusters. */
export function simUids(sim: SimFleet, kind: CachedKind): Set<string> {
  const uids = new Set<string>();
  for (const c of sim.clusters) for (const o of c.store.all(simKind(kind))) uids.add(o.metadata.uid!);
  return uids;
}

export interface Listed {
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
}

type Field = "CLUSTER" | "NAMESPACE" | "NAME";

/** The gateway's total order over (key, cluster, namespace, name, uid); ties always ascend. */
export function compareListed(field: Field, direction: "ASC" | "DESC") {
  const key = (x: Listed) => (field === "CLUSTER" ? x.cluster : field === "NAMESPACE" ? x.namespace : x.name);
  const cmp = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);
  return (a: Listed, b: Listed): number =>
    cmp(key(a), key(b)) * (direction === "DESC" ? -1 : 1) ||
    cmp(a.cluster, b.cluster) ||
    cmp(a.namespace, b.namespace) ||
    cmp(a.name, b.name) ||
    cmp(a.uid, b.uid);
}

/** What the simulator holds of a kind, as listed items, in the gateway's order. */
export function simListed(
  sim: SimFleet,
  kind: CachedKind,
  field: Field,
  direction: "ASC" | "DESC",
): Listed[] {
  const all: Listed[] = [];
  for (const c of sim.clusters) {
    for (const o of c.store.all(simKind(kind))) {
      all.push({
        cluster: c.name,
        namespace: o.metadata.namespace ?? "",
        name: o.metadata.name!,
        uid: o.metadata.uid!,
      });
    }
  }
  return all.sort(compareListed(field, direction));
}
