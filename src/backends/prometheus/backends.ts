/**
 * Which Prometheus answers for which cluster. A cluster's own `prometheus` wins over the shared
 * `metrics.prometheus`; the shared one holds every cluster, told apart by a label. Entries with the
 * same connection settings (one Thanos named by several clusters) share one client, so one
 * breaker and one concurrency limit stand for one backend (labelled-backends.ts).
 */
import type { GatewayConfig } from "../../config/index.js";
import { LabelledBackends, type BackendEntries, type LabelledSource } from "../labelled-backends.js";
import { PrometheusClient, type PrometheusClientOptions } from "./client.js";

export type MetricsSource = LabelledSource<PrometheusClient>;

/** Given to every client (tests set the breaker and the clock). */
export type PrometheusBackendsOptions = PrometheusClientOptions;

const ENTRIES: BackendEntries = {
  shared: (config) => config.metrics?.prometheus,
  own: (cluster) => cluster.prometheus,
};

export class PrometheusBackends {
  private constructor(private readonly backends: LabelledBackends<PrometheusClient>) {}

  static fromConfig(config: GatewayConfig, options: PrometheusBackendsOptions = {}): PrometheusBackends {
    return new PrometheusBackends(
      LabelledBackends.fromConfig(config, ENTRIES, (settings) => new PrometheusClient(settings, options)),
    );
  }

  /**
   * The backends of a reloaded config. Clients whose settings did not change carry over (their
   * breaker state and sockets with them); the others are closed. This instance stays readable for
   * queries already under way, and its close() no longer closes anything.
   */
  reload(config: GatewayConfig): PrometheusBackends {
    return new PrometheusBackends(this.backends.reload(config));
  }

  /**
   * Undefined when no Prometheus is configured for `cluster`, or no such cluster is configured
   * (the embedded demo fleet's clusters are in the config the gateway builds this from).
   */
  forCluster(cluster: string): MetricsSource | undefined {
    return this.backends.forCluster(cluster);
  }

  /** Whether any Prometheus is configured at all (shared or for some cluster). */
  get configured(): boolean {
    return this.backends.configured;
  }

  /** Queries sent so far, over every distinct client. */
  get queries(): number {
    return this.backends.clientList().reduce((sum, client) => sum + client.queries, 0);
  }

  close(): void {
    this.backends.close();
  }
}
