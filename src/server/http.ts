/**
 * The HTTP layer: ONE node:http server (graphql-ws will share it). /graphql goes straight to
 * Apollo (src/http/graphql-handler.ts) once it has started — except a browser's GET without an
 * operation, which gets the explorer (src/http/explorer.ts); every other path (health, debug,
 * login, the explorer) through express.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { FleetCache } from "../cache/fleet-cache.js";
import type { FleetRegistry } from "../fleet/registry.js";
import {
  debugRoutes,
  debugRoutesEnabled,
  type DebugBackends,
  type DebugSubscriptions,
} from "../http/debug-routes.js";
import { explorerRoutes, wantsExplorer } from "../http/explorer.js";
import { isGraphQLPath, type RequestHandler } from "../http/graphql-handler.js";
import { healthRoutes } from "../http/health.js";
import type { ReadinessPolicy } from "../http/readiness.js";
import { metricsRoute } from "../http/metrics-route.js";
import type { TelemetryLayer } from "./telemetry.js";

export interface HttpLayer {
  readonly server: Server;
  /** Routes /graphql to `handler` from now on. */
  serveGraphQL(handler: RequestHandler): void;
  /** Serves the browser login routes (/auth/*). */
  serveLogin(routes: express.Router): void;
  /** Serves the Alertmanager webhook (/alertmanager/webhook). */
  serveWebhooks(routes: express.Router): void;
  /** Listens; resolves with the port (0 picks a free one). */
  listen(port: number, host: string | undefined): Promise<number>;
}

export function createHttpLayer(
  caches: FleetCache,
  registry: Pick<FleetRegistry, "names" | "config">,
  readiness: { policy: () => ReadinessPolicy; stopping: () => boolean; hideFailureMessages?: boolean },
  subscriptionStats?: () => DebugSubscriptions,
  backendRequests?: () => DebugBackends,
  telemetry?: Pick<TelemetryLayer, "requests" | "serveMetrics" | "metrics">,
): HttpLayer {
  const app = express();
  app.disable("x-powered-by");
  let graphql: RequestHandler | undefined;
  const route: RequestHandler = (req, res) => {
    if (graphql && isGraphQLPath(req.url) && !wantsExplorer(req)) graphql(req, res);
    else app(req, res);
  };
  // Every request gets its id (and a GraphQL operation its span) before it is routed.
  const server = createServer(telemetry ? telemetry.requests(route) : route);
  // Unauthenticated like /healthz (docs/telemetry.md); off with telemetry.metrics: false.
  if (telemetry?.serveMetrics) app.use(metricsRoute(telemetry.metrics));
  app.use(
    healthRoutes({
      report: () => caches.whenSynced(0),
      trustingClusters: () =>
        registry.names().filter((name) => registry.config(name)?.trustGatewayGrants === true),
      ...readiness,
    }),
  );
  app.use(explorerRoutes());
  if (debugRoutesEnabled()) {
    // Internal figures for the benchmark harness; off unless FLEETGRAPH_DEBUG_ROUTES=1.
    app.use(
      debugRoutes({
        clusters: () => registry.names(),
        progress: () => caches.progress(),
        status: (c) => caches.status(c),
        ...(subscriptionStats ? { subscriptions: subscriptionStats } : {}),
        ...(backendRequests ? { backends: backendRequests } : {}),
      }),
    );
  }
  return {
    server,
    serveGraphQL(handler) {
      graphql = handler;
    },
    serveLogin(routes) {
      app.use(routes);
    },
    serveWebhooks(routes) {
      app.use(routes);
    },
    listen: (port, host) => listen(server, port, host),
  };
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
