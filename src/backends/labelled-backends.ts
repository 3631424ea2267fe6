/**
 * Which backend of the Prometheus kind (a Prometheus, an Alertmanager: same connection settings)
 * answers for which cluster. A cluster's own entry wins over the shared one; the shared one holds
 * every cluster, told apart by a label. Entries with the same connection settings share one
 * client, so one breaker and one concurrency limit stand for one backend.
 */
import type { ClusterConfig, GatewayConfig, PrometheusSettings } from "../config/index.js";
import { DEFAULT_PROMETHEUS } from "../config/index.js";
import { ClientsBySettings, connectionKey, type Closable } from "./clients-by-settings.js";

export interface LabelledSource<C> {
  cluster: string;
  client: C;
  /** The matcher telling this cluster apart in a shared backend; undefined when it is the cluster's own. */
  clusterLabel?: { name: string; value: string };
}

/** Where a config names the backend: the shared entry, and a cluster's own. */
export interface BackendEntries {
  shared(config: GatewayConfig): PrometheusSettings | undefined;
  own(cluster: ClusterConfig): PrometheusSettings | undefined;
}

type Clients<C extends Closable> = ClientsBySettings<PrometheusSettings, C>;

export class LabelledBackends<C extends Closable> {
  private constructor(
    private readonly entries: BackendEntries,
    private readonly sources: ReadonlyMap<string, LabelledSource<C>>,
    private readonly clients: Clients<C>,
  ) {}

  static fromConfig<C extends Closable>(
    config: GatewayConfig,
    entries: BackendEntries,
    make: (settings: PrometheusSettings) => C,
  ): LabelledBackends<C> {
    // clusterLabel is not in the key: it is the source's, not the client's.
    const clients: Clients<C> = new ClientsBySettings((settings) => connectionKey(settings), make);
    return LabelledBackends.build(config, entries, clients);
  }

  /**
   * The backends of a reloaded config. Clients whose settings did not change carry over (their
   * breaker state and sockets with them); the others are closed. This instance stays readable for
   * requests already under way, and its close() no longer closes anything.
   */
  reload(config: GatewayConfig): LabelledBackends<C> {
    const next = LabelledBackends.build(config, this.entries, this.clients.successor());
    this.clients.handOver(next.clients);
    return next;
  }

  /** Undefined when none is configured for `cluster`, or no such cluster is configured. */
  forCluster(cluster: string): LabelledSource<C> | undefined {
    return this.sources.get(cluster);
  }

  /** Whether any is configured at all (shared or for some cluster). */
  get configured(): boolean {
    return this.clients.size > 0;
  }

  /** Every distinct client (to sum their counters). */
  clientList(): C[] {
    return [...this.clients.values()];
  }

  close(): void {
    // The clients close synchronously: nothing to wait for.
    void this.clients.close();
  }

  private static build<C extends Closable>(
    config: GatewayConfig,
    entries: BackendEntries,
    clients: Clients<C>,
  ): LabelledBackends<C> {
    const shared = entries.shared(config);
    if (shared !== undefined) clients.clientFor(shared);
    const sources = new Map<string, LabelledSource<C>>();
    for (const cluster of config.clusters) {
      const own = entries.own(cluster);
      const settings = own ?? shared;
      if (settings === undefined) continue;
      // A cluster's own backend needs a matcher only when its entry says it holds several.
      const labelName =
        own !== undefined ? own.clusterLabel : (shared?.clusterLabel ?? DEFAULT_PROMETHEUS.clusterLabel);
      sources.set(cluster.name, {
        cluster: cluster.name,
        client: clients.clientFor(settings),
        ...(labelName !== undefined ? { clusterLabel: { name: labelName, value: cluster.name } } : {}),
      });
    }
    return new LabelledBackends(entries, sources, clients);
  }
}
