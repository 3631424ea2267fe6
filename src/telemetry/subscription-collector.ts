/**
 * Subscriptions as metrics, read at scrape time from the stats the gateway already keeps
 * (Gateway.subscriptionStats()): open sockets and subscriptions, and how far behind they are.
 */
import { Gauge } from "prom-client";
import type { ObjectChangeStats } from "../subscriptions/object-changes.js";
import type { PodLogStats } from "../subscriptions/pod-logs.js";
import type { GatewayMetrics } from "./gateway-metrics.js";

export type SubscriptionStats = ObjectChangeStats & { connections: number; podLogs: PodLogStats };

export function collectSubscriptionMetrics(metrics: GatewayMetrics, stats: () => SubscriptionStats): void {
  const registers = [metrics.registry];
  const gauge = (name: string, help: string, read: (s: SubscriptionStats) => number): void => {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read(stats()));
      },
    });
  };
  gauge("fleetgraph_subscription_sockets_open", "Open graphql-ws sockets", (s) => s.connections);
  gauge("fleetgraph_subscriptions_open", "Object change subscriptions open", (s) => s.subscriptions);
  gauge(
    "fleetgraph_subscription_queued_events",
    "Events queued for object subscriptions and not yet read, over every subscription",
    (s) => s.queued,
  );
  gauge(
    "fleetgraph_subscription_largest_queue_events",
    "The most events any one object subscription holds (it is coalesced, then closed, at the bound)",
    (s) => s.largestQueue,
  );
  gauge(
    "fleetgraph_subscriptions_coalescing",
    "Object subscriptions reading a coalesced backlog",
    (s) => s.coalescing,
  );
  gauge(
    "fleetgraph_pod_log_streams_open",
    "Followed pod logs: upstream log requests open",
    (s) => s.podLogs.streams,
  );
  gauge(
    "fleetgraph_pod_log_queued_lines",
    "Log lines read from the clusters and not yet taken by subscribers",
    (s) => s.podLogs.queued,
  );
}
