/**
 * The composition root of `fleetgraph serve`: the fleet layer (connections, caches, read
 * services), the GraphQL layer (schema, Apollo, limits), the HTTP layer (one node:http server)
 * and the lifecycle (reload, drain, stop). Everything is built here and nowhere else; the parts
 * only know their own contracts.
 */
import "reflect-metadata";
import type { Server } from "node:http";
import { GraphQLError, type GraphQLSchema } from "graphql";
import { pino, type Logger } from "pino";
import type { FleetCache } from "../cache/fleet-cache.js";
import type { ClusterDiff, GatewayConfig } from "../config/index.js";
import type { FleetRegistry } from "../fleet/registry.js";
import { graphqlHandler } from "../http/graphql-handler.js";
import { resolveReadiness } from "../http/readiness.js";
import { CallerRateLimit, checkSource, resolveLimits, type QueryLimits } from "../limits/index.js";
import { callerKey, failedAuthenticationRefusal, rateRefusal } from "../http/rate-limiting.js";
import { bearerToken, unauthenticated } from "../http/authentication.js";
import type { ResourceContext } from "../live-read/index.js";
import { requestContextFactory, type RequestContextFactory } from "../request/context-factory.js";
import { startAccess, type AccessLayer } from "./access.js";
import { startIdentity, type IdentityLayer } from "./identity.js";
import { startFleet, type FleetOptions } from "./fleet.js";
import { createApollo } from "./graphql.js";
import { createHttpLayer } from "./http.js";
import { createLifecycle } from "./lifecycle.js";
import { serveSubscriptions, type SubscriptionServer } from "../http/subscription-server.js";
import { subscribeToRevocations } from "../../auth/identity/revocations.js";
import { Scope } from "../cache/scope.js";
import { resolveSubscriptionSettings } from "../subscriptions/settings.js";
import type { SubscriptionContext } from "../subscriptions/context.js";
import type { ObjectChangeStats } from "../subscriptions/object-changes.js";
import type { PodLogStats } from "../subscriptions/pod-logs.js";
import type { Unsubscribe } from "../store/shared-store.js";
import { buildFleetgraphSchema, buildFleetgraphSubgraph } from "./schema.js";
import { startMetrics, type MetricsLayer } from "./metrics.js";
import { startAlerts, type AlertsLayer } from "./alerts.js";
import type { AlertContext } from "../alerts/context.js";
import { startLogs, type LogsLayer } from "./logs.js";
import { startAudit, type AuditLayer } from "./audit.js";
import { namespacesLoaded, startNotifications, type NotificationsLayer } from "./notifications.js";
import { alertStreamSink } from "../notifications/index.js";
import { requestOrigin } from "../audit/origin.js";
import { DEFAULT_MUTATION_SETTINGS, MutationServices, type MutationSettings } from "../mutations/index.js";
import { MemoryStore } from "../store/memory-store.js";
import { currentRequestId } from "../telemetry/request-scope.js";
import { startTelemetry, type TelemetryOptions } from "./telemetry.js";
import { redactedLogger } from "../telemetry/log-redaction.js";
import { resolveProductionMode } from "../http/production-mode.js";
import { trustedDocumentsPolicy } from "../trusted-documents/index.js";
import { subgraphTrustedDocumentsWarning } from "../federation/trusted-documents.js";

export interface GatewayOptions extends FleetOptions {
  config: GatewayConfig;
  /** Default: pino at info to stderr. */
  logger?: Logger;
  /** Default: config.port on every interface. Port 0 picks a free port. */
  listen?: { port?: number; host?: string };
  /** Overrides the query limits of the config (and their defaults). */
  limits?: Partial<QueryLimits>;
  /** How long stop() lets in-flight requests finish before closing their connections. Default 10 s. */
  drainTimeoutMs?: number;
  /** Reload on SIGHUP and when the config's file changes. Default true. */
  watchConfig?: boolean;
  /**
   * Default true: every request needs a bearer token (docs/security.md). False is `--no-auth`:
   * every request is anonymous and reads everything.
   */
  authentication?: boolean;
  /**
   * The URL browsers reach the gateway at, when a proxy fronts it (the example dashboard's server,
   * say): the login's callback and the session tokens' issuer. Default http://<host>:<port>; the
   * config's `auth.publicUrl` wins over both.
   */
  publicUrl?: string;
  /** The gateway's own telemetry (docs/telemetry.md); tests give an in-memory span exporter. */
  telemetry?: TelemetryOptions;
  /**
   * Serve the schema as an Apollo Federation 2 subgraph (docs/federation.md): `--subgraph`; the
   * config's `graphql.subgraph` when left out. Read once at start.
   */
  subgraph?: boolean;
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
  /**
   * Open subscription sockets, what the object subscriptions hold (the slow-consumer bound) and
   * the followed pod logs' upstream requests.
   */
  subscriptionStats(): ObjectChangeStats & { connections: number; podLogs: PodLogStats };
  /** The Prometheus backends in use (queries sent so far). */
  readonly metrics: Pick<MetricsLayer, "queries">;
  /** The alert sources and the change feed (the webhook receiver reports into `setup.feed`). */
  readonly alerts: Pick<AlertsLayer, "setup" | "requests">;
  /** The log stores in use (requests sent so far). */
  readonly logs: Pick<LogsLayer, "requests">;
  /** Makes the fleet equal to `config`'s clusters (added, removed, reconnected) without a restart. */
  reload(config: GatewayConfig): ClusterDiff;
  /** Stops accepting, drains in-flight requests, then stops caches, watches and connections. */
  stop(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  // Whoever made the logger, no credential reaches it (docs/security.md, "Logs").
  const logger = redactedLogger(options.logger ?? pino({ name: "fleetgraph" }, pino.destination(2)));
  // Read once at start: a manifest that cannot be used stops the start, before anything runs.
  const trustedDocuments = trustedDocumentsPolicy(options.config.trustedDocuments);
  const production = resolveProductionMode(options.config.production);
  const subgraph = options.subgraph ?? options.config.graphql?.subgraph ?? false;
  const plain = await buildFleetgraphSchema();
  const schema = subgraph ? await buildFleetgraphSubgraph(plain) : plain;
  const telemetry = startTelemetry(options.config, logger, options.telemetry);
  const observed = { observer: telemetry.backends };
  const fleet = await startFleet(
    options.config,
    { ...options, fleet: { ...options.fleet, connection: { ...options.fleet?.connection, ...observed } } },
    logger,
  );
  telemetry.observeCaches({
    clusters: () => fleet.registry.names(),
    status: (cluster) => fleet.caches.status(cluster),
    health: (cluster) => fleet.registry.health(cluster)?.status,
  });
  // The fleet's config: the demo fleet's Prometheus is only known once the fleet has started.
  const metrics = startMetrics(fleet.config, logger, telemetry.backends);
  const alerts = startAlerts(fleet.config, () => metrics.backends(), logger, telemetry.backends);
  const logs = startLogs(fleet.config, fleet.podLogs, logger, telemetry.backends);
  // Started once the port is known (the demo provider redirects to it); stopped before the fleet.
  let auth: { identity: IdentityLayer; access: AccessLayer } | undefined;
  let stopRevocations: Unsubscribe | undefined;
  // Started once the port is known (the default spool is per port); stopped after the requests.
  let audit: AuditLayer | undefined;
  // Started once the shared store is known (after identity); stopped before it closes.
  let notifications: NotificationsLayer | undefined;
  // Read at start: its counters live in Redis (or in this replica), not in the config.
  const rateLimit = callerRateLimit(fleet.config, logger);
  const stopAll = async (): Promise<void> => {
    await rateLimit?.close();
    await stopRevocations?.();
    await notifications?.stop();
    await auth?.access.stop();
    await auth?.identity.stop();
    await audit?.stop();
    alerts.stop();
    metrics.stop();
    await logs.stop();
    await fleet.stop();
    await telemetry.stop();
  };
  // Made once the limits are known; closed first on stop.
  const sockets: { server?: SubscriptionServer } = {};
  const lifecycle = createLifecycle({
    config: fleet.config,
    sockets: { close: async () => sockets.server?.close() },
    fleet: { registry: fleet.registry, stop: stopAll },
    logger,
    watch: options.watchConfig !== false,
    onReload: (next) => {
      metrics.reload(next);
      alerts.reload(next);
      logs.reload(next);
    },
  });
  const limits = (): QueryLimits => resolveLimits(lifecycle.config().limits, options.limits);
  const config = fleet.config;
  const refused = telemetry.refused;
  logger.info(
    {
      source: describeSource(config),
      clusters: config.clusters.map((c) => c.name),
      limits: limits(),
      production,
      ...(subgraph ? { federation: "subgraph" } : {}),
      trustedDocuments: trustedDocuments
        ? { mode: trustedDocuments.mode, documents: trustedDocuments.store.size }
        : "off",
    },
    `serving ${config.clusters.length} clusters`,
  );
  const routerRefused = subgraph ? subgraphTrustedDocumentsWarning(trustedDocuments) : undefined;
  if (routerRefused) logger.warn(routerRefused);

  type Extras = ResourceContext & SubscriptionContext & AlertContext;
  let resolveContexts!: (factory: RequestContextFactory<Extras>) => void;
  const contexts = new Promise<RequestContextFactory<Extras>>((resolve) => (resolveContexts = resolve));
  const subscriptionStats = (): ObjectChangeStats & { connections: number; podLogs: PodLogStats } => ({
    ...fleet.changes.stats(),
    connections: sockets.server?.connections ?? 0,
    podLogs: fleet.podLogs.stats(),
  });
  const http = createHttpLayer(
    fleet.caches,
    fleet.registry,
    {
      // From the config in force: a reload changes the policy.
      policy: () => resolveReadiness(lifecycle.config().readiness),
      stopping: lifecycle.stopping,
      hideFailureMessages: production.maskErrors,
    },
    subscriptionStats,
    () => ({ prometheusQueries: metrics.queries(), logStoreRequests: logs.requests() }),
    telemetry,
  );
  telemetry.observeSubscriptions(subscriptionStats);
  const { apollo, limitCache, costModel, budget } = createApollo({
    schema,
    view: fleet.view,
    registry: fleet.registry,
    limits,
    fleetWorkloadLabel: options.config.fleetWorkloads?.groupLabel,
    httpServer: http.server,
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
    logger,
    production,
    trustedDocuments: trustedDocuments !== undefined,
    telemetry: telemetry.plugin(),
    refused,
  });
  const subscriptions = serveSubscriptions({
    httpServer: http.server,
    schema,
    contexts,
    scopeOf: (subject) => (auth ? () => auth!.access.scopeFor(subject) : () => EVERYTHING),
    limits,
    model: costModel,
    limitCache,
    refused,
    budget,
    ...(rateLimit
      ? {
          rateLimit: (subject, request) =>
            rateRefusal(rateLimit, callerKey(subject, requestOrigin(request).sourceIP), false),
        }
      : {}),
    production,
    ...(trustedDocuments ? { trustedDocuments } : {}),
    allowedOrigins: () => resolveSubscriptionSettings(lifecycle.config().subscriptions).allowedOrigins,
    logger: logger.child({ component: "subscriptions" }),
  });
  sockets.server = subscriptions;
  // Without authentication only this machine may call, unless the caller names an address.
  const host = options.listen?.host ?? (options.authentication === false ? "127.0.0.1" : undefined);
  let port: number;
  try {
    await apollo.start();
    lifecycle.attach(apollo);
    http.serveGraphQL(
      graphqlHandler({
        apollo,
        context: async (req) => {
          // The request's id as the telemetry chose it (a client's sane X-Request-Id, else new).
          const requestId = currentRequestId();
          const origin = { ...requestOrigin(req), ...(requestId !== undefined ? { requestId } : {}) };
          try {
            const context = await (await contexts).forBearer(bearerToken(req.headers.authorization), origin);
            // After authentication: a caller is limited as who it is, whichever replica it reaches.
            const overRate = await rateRefusal(rateLimit, callerKey(context.subject, origin.sourceIP), true);
            if (overRate) {
              refused(overRate);
              throw overRate;
            }
            return context;
          } catch (error) {
            if (error instanceof GraphQLError) throw error;
            const overRate = await failedAuthenticationRefusal(rateLimit, error, origin.sourceIP);
            if (overRate) {
              refused(overRate);
              throw overRate;
            }
            throw unauthenticated(error);
          }
        },
        maxBodyBytes: () => limits().maxBodyBytes,
        checkSource: (query, variables) => checkSource(query, variables, limits()),
        refused,
        ...(trustedDocuments ? { trustedDocuments } : {}),
        logger,
      }),
    );
    port = await http.listen(options.listen?.port ?? config.port, host);
    audit = await startAudit(config, port, logger);
    if (options.authentication !== false) {
      const identity = await startIdentity({
        settings: config.auth,
        demoFleet: options.config.source.kind === "demo" && options.config.clusters.length === 0,
        publicUrl: options.publicUrl?.replace(/\/+$/, "") ?? `http://${urlHost(host)}:${port}`,
        logger,
        audit: audit.recorder,
      });
      auth = {
        identity,
        access: await startAccess(
          fleet,
          identity.settings,
          lifecycle.config,
          identity.store,
          identity.apiTokens,
          telemetry.backends,
        ),
      };
      if (identity.login) http.serveLogin(identity.login);
      metrics.useStore(identity.store);
      // A revoked session or API token closes its sockets on every replica.
      const unsubscribe = await subscribeToRevocations(identity.store, (r) =>
        subscriptions.revoke(r.id, r.kind === "session" ? "session" : "api-token"),
      );
      // Revocations published while the channel was lost are found by asking the store again.
      const stopRechecks = identity.store.onResubscribed(() => void subscriptions.recheck());
      stopRevocations = async () => {
        stopRechecks();
        await unsubscribe();
      };
    }
    notifications = startNotifications(
      lifecycle.config,
      auth?.identity.store ?? new MemoryStore(),
      fleet.services,
      () => fleet.registry.names(),
      logger,
      {
        routable: (cluster) => namespacesLoaded(fleet.view, cluster),
        skipped: (reason) => telemetry.metrics.alertsSkipped.inc({ reason }),
      },
    );
    http.serveWebhooks(notifications.routes);
    // What Alertmanager pushes reaches alertChanges at once, without waiting for a poll.
    notifications.services.sinks.add(alertStreamSink(alerts.setup.feed));
    resolveContexts(
      requestContextFactory({
        services: fleet.services,
        metrics: metrics.setup,
        logs: logs.setup,
        audit: audit.recorder,
        extras: {
          resources: fleet.resources,
          changes: fleet.changes,
          clusterChanges: fleet.clusterChanges,
          podLogs: fleet.podLogs,
          alerts: alerts.setup,
          notifications: notifications.services,
          mutations: new MutationServices(
            fleet.registry,
            fleet.discovery,
            fleet.services.workspaceLabel,
            auth?.identity.store ?? new MemoryStore(),
            () => mutationSettings(lifecycle.config()),
          ),
        },
        ...(auth
          ? { authentication: { authenticator: auth.identity.authenticator, access: auth.access } }
          : {}),
      }),
    );
  } catch (error) {
    // A failed start undoes what was started, last first.
    await apollo.stop().catch(() => {});
    await stopAll().catch(() => {});
    http.server.close();
    throw error;
  }
  const url = `http://${urlHost(host)}:${port}/graphql`;
  logger.info({ url }, `fleetgraph gateway listening on ${url}`);
  return {
    url,
    port,
    httpServer: http.server,
    registry: fleet.registry,
    fleetCache: fleet.caches,
    schema,
    config: lifecycle.config,
    subscriptionStats,
    metrics,
    alerts,
    logs,
    reload: lifecycle.reload,
    stop: lifecycle.stop,
  };
}

/** The per-caller rate limit of `limits.rateLimit` (read at start), shared through `auth.redis`. */
function callerRateLimit(config: GatewayConfig, logger: Logger): CallerRateLimit | undefined {
  const settings = config.limits?.rateLimit;
  if (!settings) return undefined;
  const redis = config.auth?.redis;
  if (!redis)
    logger.warn("limits.rateLimit is counted per replica: set auth.redis to share it between replicas");
  let warned = 0;
  return new CallerRateLimit({
    ...settings,
    redis,
    onStoreError: (error) => {
      // ioredis retries on its own and reports each attempt: once a minute is enough.
      if (Date.now() - warned < 60_000) return;
      warned = Date.now();
      logger.warn(
        { err: error },
        "rate limit store (Redis) unavailable: counting per replica until it is back",
      );
    },
  });
}

/** The config's `mutations` section over the defaults (read per mutation: reloads apply). */
function mutationSettings(config: GatewayConfig): MutationSettings {
  return { maxTargets: config.mutations?.maxTargets ?? DEFAULT_MUTATION_SETTINGS.maxTargets };
}

/** A host to put in the logged URL: every-interface binds are reachable as localhost. */
function urlHost(host: string | undefined): string {
  if (host === undefined || host === "" || host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

const EVERYTHING = Scope.everything();

function describeSource(config: GatewayConfig): string {
  const source = config.source;
  return source.kind === "demo" ? "built-in demo fleet" : `${source.kind} ${source.path}`;
}
