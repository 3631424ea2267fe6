/**
 * The composition root of `fleetgraph serve`:
 *   config -> FleetRegistry -> FleetIndex + FleetCache -> QueryEngine -> read services -> schema
 *   -> Apollo Server on ONE node:http server (graphql-ws will share it): /graphql goes straight to
 *   Apollo (src/http/graphql-handler.ts), the other routes (health, debug) through express.
 * Everything is built here and nowhere else; the parts only know their own contracts.
 */
import "reflect-metadata";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import express from "express";
import type { GraphQLSchema } from "graphql";
import { pino, type Logger } from "pino";
import { buildFleetgraphSchema } from "../schema/build.js";
import type { CacheEntry } from "./cache/entry.js";
import { FleetCache, type FleetCacheOptions } from "./cache/fleet-cache.js";
import { FleetIndex } from "./cache/fleet-index.js";
import type { PodData } from "./cache/projections.js";
import { QueryEngine } from "./cache/query/index.js";
import { Scope } from "./cache/scope.js";
import { watchConfig, type ClusterDiff, type GatewayConfig } from "./config/index.js";
import type { DemoFleet, DemoFleetOptions } from "./demo-fleet.js";
import { FleetRegistry, type FleetRegistryOptions } from "./fleet/registry.js";
import { liveFleetView } from "./fleet-view.js";
import { FleetDiscovery } from "./discovery/index.js";
import { ApiServerReader, ResourceReads, type ResourceContext } from "./live-read/index.js";
import { clusterOutcomesPlugin } from "./http/cluster-outcomes.js";
import { debugRoutes, debugRoutesEnabled } from "./http/debug-routes.js";
import { graphqlHandler, isGraphQLPath, type RequestHandler } from "./http/graphql-handler.js";
import { healthRoutes } from "./http/health.js";
import { compiledExecution } from "./http/compiled-execution.js";
import { queryLimitsPlugin } from "./http/limits-plugin.js";
import { resolveReadiness } from "./http/readiness.js";
import { operationSupportPlugin } from "./http/operation-support.js";
import { fleetCostModel, LimitCache, resolveLimits, type QueryLimits } from "./limits/index.js";
import { createReadServices, createRequestContext, type RequestContext } from "./query-service/index.js";

export interface GatewayOptions {
  config: GatewayConfig;
  /** Default: pino at info to stderr. */
  logger?: Logger;
  /** Default: config.port on every interface. Port 0 picks a free port. */
  listen?: { port?: number; host?: string };
  /** Registry settings (health probe interval, breaker); tests make them faster. */
  fleet?: FleetRegistryOptions;
  /** Reflector settings for every cluster (page size, backoff). */
  cache?: FleetCacheOptions["cache"];
  /** Overrides the query limits of the config (and their defaults). */
  limits?: Partial<QueryLimits>;
  /** How long stop() lets in-flight requests finish before closing their connections. Default 10 s. */
  drainTimeoutMs?: number;
  /** Reload on SIGHUP and when the config's file changes. Default true. */
  watchConfig?: boolean;
  /** Size of the built-in demo fleet, when the config's source is "demo". */
  demo?: DemoFleetOptions;
}

export interface Gateway {
  /** http://host:port/graphql */
  readonly url: string;
  readonly port: number;
  readonly httpServer: Server;
  readonly registry: FleetRegistry;
  readonly fleetCache: FleetCache;
  readonly schema: GraphQLSchema;
  /** The config in force (after reloads). */
  config(): GatewayConfig;
  /** Makes the fleet equal to `config`'s clusters (added, removed, reconnected) without a restart. */
  reload(config: GatewayConfig): ClusterDiff;
  /** Stops accepting, drains in-flight requests, then stops caches, watches and connections. */
  stop(): Promise<void>;
}

/** What every resolver receives over HTTP. */
type GatewayContext = RequestContext & ResourceContext;

const nodeNameOf = (entry: CacheEntry): string | undefined => (entry.data as PodData | undefined)?.nodeName;

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const logger = options.logger ?? pino({ name: "fleetgraph" }, pino.destination(2));
  const schema = await buildFleetgraphSchema();
  let config = options.config;
  let demo: DemoFleet | undefined;
  if (config.source.kind === "demo" && config.clusters.length === 0) {
    // Loaded on demand: the simulator is not part of a gateway serving real clusters.
    const { startDemoFleet } = await import("./demo-fleet.js");
    demo = await startDemoFleet(options.demo ?? {}, logger.child({ component: "demo" }));
    config = { ...config, clusters: demo.clusters };
  }
  const limits = (): QueryLimits => resolveLimits(config.limits, options.limits);

  // What a failed start must undo, last first.
  const undo: (() => unknown)[] = [() => demo?.stop()];
  const registry = new FleetRegistry(config.clusters, {
    logger: logger.child({ component: "fleet" }),
    ...options.fleet,
  });
  undo.push(() => registry.close());
  const index = new FleetIndex({ storeOptions: { Pod: { nodeNameOf } } });
  const fleetCache = new FleetCache(registry, index, {
    logger: logger.child({ component: "cache" }),
    cache: {
      ...options.cache,
      backoff: { maxMs: config.defaults.resyncBackoffMaxMs, ...options.cache?.backoff },
    },
  });
  const engine = new QueryEngine(index, {
    clusterLabels: (cluster) => ({ ...registry.clusterLabels(cluster) }),
    isKnown: (cluster) => registry.get(cluster) !== undefined,
  });
  const fleet = liveFleetView(registry, fleetCache);
  const services = createReadServices({
    reader: engine,
    fleet,
    // consistency: STRONG lists from the API servers through the same connections.
    strongReader: new ApiServerReader(registry),
    workspaceLabel: config.workspaceLabel,
  });
  // Any other kind (custom resources included), read from one cluster's API server.
  const resources = new ResourceReads(registry, new FleetDiscovery(registry));

  logger.info(
    { source: describeSource(config), clusters: config.clusters.map((c) => c.name), limits: limits() },
    `serving ${config.clusters.length} clusters`,
  );
  fleetCache.start();
  undo.push(() => fleetCache.stop());

  let stopping = false;
  const app = express();
  app.disable("x-powered-by");
  // Set once Apollo has started; until then (and for every other path) express answers.
  let graphql: RequestHandler | undefined;
  const httpServer = createServer((req, res) => {
    if (graphql && isGraphQLPath(req.url)) graphql(req, res);
    else app(req, res);
  });
  // Operations are measured once per document; the cost model prices the fleet, so a change of
  // clusters or of their labels drops the measures.
  const limitCache = new LimitCache();
  for (const event of ["added", "removed", "updated"] as const) registry.on(event, () => limitCache.forget());
  const apollo = new ApolloServer<GatewayContext>({
    // Apollo parses, validates and runs the plugins; graphql-jit executes (compiled-execution.ts).
    gateway: compiledExecution(schema),
    logger: logger.child({ component: "apollo" }),
    // Stack traces stay in the logs: they describe the gateway's insides, not the caller's mistake.
    includeStacktraceInErrorResponses: false,
    // Applied by the HTTP handler (src/http/csrf.ts), which has the parsed Content-Type at hand.
    csrfPrevention: false,
    // The CLI owns the signals (src/http/shutdown.ts): Apollo's own handlers would stop the
    // server a second time, concurrently, and re-raise the signal to kill the process.
    stopOnTerminationSignals: false,
    plugins: [
      // No field carries a cache hint, and the plugin's per-field hook makes Apollo wrap every
      // resolver of the schema. Responses still say `cache-control: no-store` (graphql-handler.ts).
      ApolloServerPluginCacheControlDisabled(),
      // Before the limits: a mutation or subscription is refused for what it is, not measured.
      operationSupportPlugin<GatewayContext>(),
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: options.drainTimeoutMs ?? 10_000,
      }),
      queryLimitsPlugin<GatewayContext>({ limits, model: fleetCostModel(fleet), cache: limitCache, logger }),
      clusterOutcomesPlugin(),
    ],
  });
  app.use(
    healthRoutes({
      report: () => fleetCache.whenSynced(0),
      policy: () => resolveReadiness(config.readiness),
      stopping: () => stopping,
    }),
  );
  if (debugRoutesEnabled()) {
    // Internal figures for the benchmark harness; off unless FLEETGRAPH_DEBUG_ROUTES=1.
    app.use(
      debugRoutes({
        clusters: () => registry.names(),
        progress: () => fleetCache.progress(),
        status: (c) => fleetCache.status(c),
      }),
    );
  }

  let port: number;
  try {
    await apollo.start();
    undo.push(() => apollo.stop());
    graphql = graphqlHandler({
      apollo,
      // Until authentication lands every request is anonymous and reads everything.
      context: () => Promise.resolve({ ...createRequestContext(services, Scope.everything()), resources }),
      maxBodyBytes: 1024 * 1024,
      logger,
    });
    port = await listen(httpServer, options.listen?.port ?? config.port, options.listen?.host);
  } catch (error) {
    for (const step of undo.reverse())
      await Promise.resolve()
        .then(step)
        .catch(() => {});
    throw error;
  }
  const url = `http://${urlHost(options.listen?.host)}:${port}/graphql`;
  logger.info({ url }, `fleetgraph gateway listening on ${url}`);

  const reload = (next: GatewayConfig): ClusterDiff => {
    const diff = registry.replace(next.clusters);
    config = { ...next, port: config.port };
    logger.info(
      {
        added: diff.added.map((c) => c.name),
        removed: diff.removed.map((c) => c.name),
        changed: diff.changed.map((c) => c.name),
        clusters: registry.names().length,
      },
      "configuration reloaded",
    );
    return diff;
  };
  const stopWatching =
    options.watchConfig === false
      ? () => {}
      : watchConfig(
          config,
          (next) => {
            try {
              reload(next);
            } catch (error) {
              logger.error(
                { err: error },
                "configuration reload failed part-way; the rest of the fleet is unchanged",
              );
            }
          },
          (error) => logger.error({ err: error }, `configuration not reloaded: ${error.message}`),
        );

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      logger.info("stopping: draining in-flight requests");
      stopWatching();
      // Apollo's drain plugin closes the listener, lets in-flight requests finish (up to the
      // grace period) and closes idle keep-alive connections.
      await apollo.stop();
      await fleetCache.stop();
      registry.close();
      await demo?.stop();
      logger.info("stopped");
    })();
    return stopped;
  };

  return { url, port, httpServer, registry, fleetCache, schema, config: () => config, reload, stop };
}

function listen(server: Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, ...(host !== undefined ? { host } : {}) }, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** A host to put in the logged URL: every-interface binds are reachable as localhost. */
function urlHost(host: string | undefined): string {
  if (host === undefined || host === "" || host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

function describeSource(config: GatewayConfig): string {
  const source = config.source;
  return source.kind === "demo" ? "built-in demo fleet" : `${source.kind} ${source.path}`;
}
