/**
 * The GraphQL layer: the executable schema, Apollo Server with the gateway's plugins (limits,
 * per-cluster outcomes, drain), graphql-jit execution, and the request context of each
 * operation. Knows the fleet only through the read services and the fleet view.
 */
import type { Server } from "node:http";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import type { GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import type { FleetRegistry } from "../fleet/registry.js";
import { auditPlugin } from "../http/audit-plugin.js";
import { clusterOutcomesPlugin } from "../http/cluster-outcomes.js";
import { compiledExecution } from "../http/compiled-execution.js";
import { maskingFormatError } from "../http/error-masking.js";
import { introspectionOffPlugin } from "../http/introspection.js";
import type { ProductionMode } from "../http/production-mode.js";
import { queryLimitsPlugin } from "../http/limits-plugin.js";
import { operationSupportPlugin } from "../http/operation-support.js";
import {
  fleetCostModel,
  LimitCache,
  RequestBudget,
  type CostModel,
  type QueryLimits,
} from "../limits/index.js";
import type { ResourceContext } from "../live-read/index.js";
import type { FleetView } from "../query-service/index.js";
import type { RequestContext } from "../request/context.js";
import type { SubscriptionContext } from "../subscriptions/context.js";
import { currentRequestId } from "../telemetry/request-scope.js";

/** What every resolver receives over HTTP. */
export type GatewayContext = RequestContext & ResourceContext & SubscriptionContext;

export interface GraphQLLayerOptions {
  schema: GraphQLSchema;
  view: FleetView;
  /** Cluster changes drop the measured query costs (the cost model prices the fleet). */
  registry: Pick<FleetRegistry, "on">;
  limits: () => QueryLimits;
  /** The config's `fleetWorkloads.groupLabel` (read at start, as the fleet workloads read it). */
  fleetWorkloadLabel?: string | undefined;
  httpServer: Server;
  drainTimeoutMs: number;
  logger: Logger;
  /** Introspection and error masking (docs/security.md, "Production mode"); read at start. */
  production: ProductionMode;
  /**
   * Trusted documents are on: the HTTP handler resolves ids itself, so Apollo's automatic
   * persisted queries (which would let any client register any document) are off.
   */
  trustedDocuments: boolean;
  /** Runs last: it reads the response as sent, cluster outcomes and denials included. */
  telemetry?: ApolloServerPlugin<GatewayContext>;
  /** Told of each operation refused by a limit (the refusal counter). */
  refused?: (error: { extensions: Record<string, unknown> }) => void;
}

export interface GraphQLLayer {
  apollo: ApolloServer<GatewayContext>;
  /** Shared with the subscription server: one measure per document, whatever the transport. */
  limitCache: LimitCache;
  costModel: CostModel;
  /** A new upstream budget (per query over HTTP, per event over graphql-ws). */
  budget: () => RequestBudget;
}

export function createApollo(options: GraphQLLayerOptions): GraphQLLayer {
  const { schema, view, registry, limits, httpServer, logger, production } = options;
  // Operations are measured once per document; the cost model prices the fleet, so a change of
  // clusters or of their labels drops the measures.
  const limitCache = new LimitCache();
  for (const event of ["added", "removed", "updated"] as const) registry.on(event, () => limitCache.forget());
  const costModel = fleetCostModel(view, options.fleetWorkloadLabel);
  const { refused } = options;
  // Each query's upstream calls and deadline: counted as it runs (src/limits/request-budget.ts).
  const budget = (): RequestBudget => {
    const { maxUpstreamCalls, requestDeadlineMs } = limits();
    return new RequestBudget({
      maxUpstreamCalls,
      deadlineMs: requestDeadlineMs,
      ...(refused ? { onRefused: refused } : {}),
    });
  };
  const apollo = new ApolloServer<GatewayContext>({
    // Apollo parses, validates and runs the plugins; graphql-jit executes (compiled-execution.ts).
    gateway: compiledExecution(schema, { budget }),
    logger: logger.child({ component: "apollo" }),
    // Stack traces stay in the logs: they describe the gateway's insides, not the caller's mistake.
    includeStacktraceInErrorResponses: false,
    // Refused by introspectionOffPlugin instead, with its own code and the gateway's words.
    introspection: true,
    // No "Did you mean ...?" naming fields and types introspection would not show.
    hideSchemaDetailsFromClientErrors: !production.introspection,
    ...(options.trustedDocuments ? { persistedQueries: false as const } : {}),
    ...(production.maskErrors
      ? { formatError: maskingFormatError(logger.child({ component: "graphql" }), currentRequestId) }
      : {}),
    // Applied by the HTTP handler (src/http/csrf.ts), which has the parsed Content-Type at hand.
    csrfPrevention: false,
    // The CLI owns the signals (src/http/shutdown.ts): Apollo's own handlers would stop the
    // server a second time, concurrently, and re-raise the signal to kill the process.
    stopOnTerminationSignals: false,
    plugins: [
      // No field carries a cache hint, and the plugin's per-field hook makes Apollo wrap every
      // resolver of the schema. Responses still say `cache-control: no-store` (graphql-handler.ts).
      ApolloServerPluginCacheControlDisabled(),
      // Browsers get the gateway's own explorer (src/http/explorer.ts); Apollo's landing page
      // loads from a CDN, which offline machines cannot reach, and would answer an HTML-preferring
      // GET with a query instead of running it.
      ApolloServerPluginLandingPageDisabled(),
      // Before the limits: a mutation or subscription is refused for what it is, not measured.
      operationSupportPlugin<GatewayContext>(),
      ...(production.introspection ? [] : [introspectionOffPlugin<GatewayContext>(refused)]),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.drainTimeoutMs }),
      queryLimitsPlugin<GatewayContext>({
        limits,
        model: costModel,
        cache: limitCache,
        logger,
        ...(refused ? { refused } : {}),
      }),
      clusterOutcomesPlugin(production.maskErrors),
      // After the outcomes: it reads the response's errors, cluster outcomes included.
      auditPlugin(logger.child({ component: "audit" })),
      ...(options.telemetry ? [options.telemetry] : []),
    ],
  });
  return { apollo, limitCache, costModel, budget };
}
