/**
 * The gateway's own telemetry, composed (docs/telemetry.md): one metrics registry per gateway,
 * the tracer when one is configured, the observer every backend client is given, the Apollo
 * plugin and the HTTP wrapper that gives each request its id and span. The collectors that read
 * the caches and subscriptions at scrape time are attached once those exist.
 */
import type { SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import type { Logger } from "pino";
import type { GatewayConfig } from "../config/index.js";
import { isGraphQLPath } from "../http/graphql-handler.js";
import { refusalReason } from "../limits/index.js";
import type { BackendCallObserver } from "../telemetry/backend-call.js";
import { backendTelemetry } from "../telemetry/backend-telemetry.js";
import { collectCacheMetrics, type CacheSource } from "../telemetry/cache-collector.js";
import { GatewayMetrics } from "../telemetry/gateway-metrics.js";
import { operationTelemetry } from "../telemetry/operation-telemetry.js";
import { requestTelemetry, type Serve } from "../telemetry/request-telemetry.js";
import { collectSubscriptionMetrics, type SubscriptionStats } from "../telemetry/subscription-collector.js";
import { startTracing } from "../telemetry/tracing.js";

export interface TelemetryOptions {
  /** Tests: spans go to this exporter as they end. */
  spanExporter?: SpanExporter;
}

export interface TelemetryLayer {
  readonly metrics: GatewayMetrics;
  /** Whether GET /metrics is served (telemetry.metrics, default true). */
  readonly serveMetrics: boolean;
  readonly backends: BackendCallObserver;
  plugin<C extends BaseContext>(): ApolloServerPlugin<C>;
  /** Counts a request refused by a limit, under the reason its error's code names. */
  readonly refused: (error: { extensions?: { code?: unknown } | undefined }) => void;
  /** Wraps the server's request listener. */
  readonly requests: (serve: Serve) => Serve;
  observeCaches(source: CacheSource): void;
  observeSubscriptions(stats: () => SubscriptionStats): void;
  stop(): Promise<void>;
}

export function startTelemetry(
  config: GatewayConfig,
  logger: Logger,
  options: TelemetryOptions = {},
): TelemetryLayer {
  const metrics = new GatewayMetrics();
  const tracing = startTracing({
    settings: config.telemetry?.tracing,
    ...(options.spanExporter ? { exporter: options.spanExporter } : {}),
  });
  const tracer = tracing?.tracer;
  if (tracing) logger.info("telemetry: traces exported over OTLP/HTTP");
  return {
    metrics,
    serveMetrics: config.telemetry?.metrics !== false,
    backends: backendTelemetry(metrics, tracer),
    plugin: () => operationTelemetry(metrics),
    refused: (error) => {
      const reason = refusalReason(error);
      if (reason !== undefined) metrics.requestsRefused.inc({ reason });
    },
    requests: requestTelemetry({ logger, tracer, isOperation: isGraphQLPath }),
    observeCaches: (source) => collectCacheMetrics(metrics, source),
    observeSubscriptions: (stats) => collectSubscriptionMetrics(metrics, stats),
    stop: async () => {
      await tracing?.stop();
    },
  };
}
