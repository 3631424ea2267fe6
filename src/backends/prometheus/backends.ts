/**
 * Which Prometheus answers for which cluster. A cluster's own `prometheus` wins over the shared
 * `metrics.prometheus`; the shared one holds every cluster, told apart by a label. Entries with the
 * same connection settings (one Thanos named by several clusters) share one client, so one
 * breaker and one concurrency limit stand for one backend.
 */
import type { GatewayConfig, PrometheusSettings } from "../../config/index.js";
import { DEFAULT_PROMETHEUS } from "../../config/index.js";
import { ClientsBySettings, connectionKey } from "../clients-by-settings.js";
import { PrometheusClient, type PrometheusClientOptions } from "./client.js";

export interface MetricsSource {
  cluster: string;
  client: PrometheusClient;
  /** The matcher telling this cluster apart in a shared Prometheus; undefined when the Prometheus is the cluster's own. */
  clusterLabel?: { name: string; value: string };
}

/** Given to every client (tests set the breaker and the clock). */
export type PrometheusBackendsOptions = PrometheusClientOptions;

type Clients = ClientsBySettings<PrometheusSettings, PrometheusClient>;

export class PrometheusBackends {
  private constructor(
    private readonly sources: ReadonlyMap<string, MetricsSource>,
    private readonly clients: Clients,
  ) {}

  static fromConfig(config: GatewayConfig, options: PrometheusBackendsOptions = {}): PrometheusBackends {
    // clusterLabel is not in the key: it is the source's, not the client's.
    const clients: Clients = new ClientsBySettings(
      (settings) => connectionKey(settings),
      (settings) => new PrometheusClient(settings, options),
    );
    return PrometheusBackends.build(config, clients);
  }

  /**
   * The backends of a reloaded config. Clients whose settings did not change carry over (their
   * breaker state and sockets with them); the others are closed. This instance stays readable for
   * queries already under way, and its close() no longer closes anything.
   */
  reload(config: GatewayConfig): PrometheusBackends {
    const next = PrometheusBackends.build(config, this.clients.successor());
    this.clients.handOver(next.clients);
    return next;
  }

  /**
   * Undefined when no Prometheus is configured for `cluster`, or no such cluster is configured
   * (the embedded demo fleet's clusters are in the config the gateway builds this from).
   */
  forCluster(cluster: string): MetricsSource | undefined {
    return this.sources.get(cluster);
  }

  /** Whether any Prometheus is configured at all (shared or for some cluster). */
  get configured(): boolean {
    return this.clients.size > 0;
  }

  /** Queries sent so far, over every distinct client. */
  get queries(): number {
    let sum = 0;
    for (const client of this.clients.values()) sum += client.queries;
    return sum;
  }

  close(): void {
    // The clients close synchronously: nothing to wait for.
    void this.clients.close();
  }

  private static build(config: GatewayConfig, clients: Clients): PrometheusBackends {
    const shared = config.metrics?.prometheus;
    if (shared !== undefined) clients.clientFor(shared);
    const sources = new Map<string, MetricsSource>();
    for (const cluster of config.clusters) {
      const own = cluster.prometheus;
      const settings = own ?? shared;
      if (settings === undefined) continue;
      // A cluster's own Prometheus needs a matcher only when its entry says it holds several.
      const labelName =
        own !== undefined ? own.clusterLabel : (shared?.clusterLabel ?? DEFAULT_PROMETHEUS.clusterLabel);
      sources.set(cluster.name, {
        cluster: cluster.name,
        client: clients.clientFor(settings),
        ...(labelName !== undefined ? { clusterLabel: { name: labelName, value: cluster.name } } : {}),
      });
    }
    return new PrometheusBackends(sources, clients);
  }
}
