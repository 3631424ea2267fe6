/**
 * The gateway's own metric families (docs/telemetry.md lists them), in ONE registry per gateway:
 * tests run several gateways in a process, and prom-client's global registry would mix them.
 * Families counted as things happen live here; the figures the caches and subscriptions already
 * keep are read at scrape time (cache-collector.ts, subscription-collector.ts).
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Seconds: from a cached list (~1 ms) to a slow fan-out near the 5 s default deadline. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class GatewayMetrics {
  readonly registry = new Registry();

  readonly graphqlRequests = new Counter({
    name: "fleetgraph_graphql_requests_total",
    help: "GraphQL operations answered, by operation name, type and outcome (ok, partial: data with errors, errors: no data)",
    labelNames: ["operation", "type", "outcome"] as const,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: "fleetgraph_graphql_request_duration_seconds",
    help: "Time from receiving a GraphQL operation to its response, by operation name and type",
    labelNames: ["operation", "type"] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly mutations = new Counter({
    name: "fleetgraph_mutations_total",
    help: "Mutation fields executed, by field (workloadScale, objectDelete, ...) and status (ok, failed)",
    labelNames: ["operation", "status"] as const,
    registers: [this.registry],
  });

  readonly backendDuration = new Histogram({
    name: "fleetgraph_backend_request_duration_seconds",
    help: "Calls to the gateway's backends (api-server, prometheus, log-store, opa), deadline and queueing included",
    labelNames: ["backend", "cluster"] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly backendErrors = new Counter({
    name: "fleetgraph_backend_request_errors_total",
    help: "Failed calls to the gateway's backends, by error code",
    labelNames: ["backend", "cluster", "code"] as const,
    registers: [this.registry],
  });

  readonly requestsRefused = new Counter({
    name: "fleetgraph_requests_refused_total",
    help: "Requests and subscriptions refused by a limit, by reason (aliases, root_fields, tokens, depth, cost, body_size, variables_size, upstream_calls, rate_limit, deadline, introspection, untrusted_document, representations)",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });

  readonly alertsSkipped = new Counter({
    name: "fleetgraph_alertmanager_alerts_skipped_total",
    help: "Alerts pushed by Alertmanager and skipped because they name no cluster of the fleet, by reason (no_cluster, unknown_cluster)",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The exposition text, and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
