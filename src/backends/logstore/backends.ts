/**
 * Which log store answers for which cluster. A cluster's own `logStore` wins over the shared
 * `logs.elasticsearch`; the shared one holds every cluster, told apart by a field. Entries with
 * the same connection settings share one client, so one breaker and one concurrency limit stand
 * for one store.
 */
import type { GatewayConfig, LogIndices, LogStoreSettings } from "../../config/index.js";
import { DEFAULT_LOG_STORE } from "../../config/index.js";
import { ClientsBySettings, connectionKey } from "../clients-by-settings.js";
import { LogStoreClient, type LogStoreClientOptions } from "./client.js";

export interface LogSource {
  cluster: string;
  client: LogStoreClient;
  indices: LogIndices;
  /** The field pinning a shared store to this cluster; undefined when the store is the cluster's own. */
  clusterField?: string;
}

export type LogStoreBackendsOptions = LogStoreClientOptions;

type Clients = ClientsBySettings<LogStoreSettings, LogStoreClient>;

export class LogStoreBackends {
  private constructor(
    private readonly sources: ReadonlyMap<string, LogSource>,
    private readonly clients: Clients,
  ) {}

  static fromConfig(config: GatewayConfig, options: LogStoreBackendsOptions = {}): LogStoreBackends {
    // indices and clusterField are not in the key: they are the source's, not the client's.
    const clients: Clients = new ClientsBySettings(
      (s) => connectionKey(s, s.flavor, s.apiKey ?? null),
      (settings) => new LogStoreClient(settings, options),
    );
    return LogStoreBackends.build(config, clients);
  }

  /**
   * The backends of a reloaded config: unchanged clients carry over (breaker and sockets with
   * them), the others are closed once no request can still be using them.
   */
  reload(config: GatewayConfig): LogStoreBackends {
    const next = LogStoreBackends.build(config, this.clients.successor());
    this.clients.handOver(next.clients);
    return next;
  }

  /** Undefined when no store is configured for `cluster` (or no such cluster is configured). */
  forCluster(cluster: string): LogSource | undefined {
    return this.sources.get(cluster);
  }

  get configured(): boolean {
    return this.clients.size > 0;
  }

  /** Requests sent so far, over every distinct client. */
  get requests(): number {
    let sum = 0;
    for (const client of this.clients.values()) sum += client.requests;
    return sum;
  }

  close(): Promise<void> {
    return this.clients.close();
  }

  private static build(config: GatewayConfig, clients: Clients): LogStoreBackends {
    const shared = config.logs?.elasticsearch;
    if (shared !== undefined) clients.clientFor(shared);
    const sources = new Map<string, LogSource>();
    for (const cluster of config.clusters) {
      const own = cluster.logStore;
      const settings = own ?? shared;
      if (settings === undefined) continue;
      const field =
        own !== undefined ? own.clusterField : (shared?.clusterField ?? DEFAULT_LOG_STORE.clusterField);
      sources.set(cluster.name, {
        cluster: cluster.name,
        client: clients.clientFor(settings),
        indices: settings.indices,
        ...(field !== undefined ? { clusterField: field } : {}),
      });
    }
    return new LogStoreBackends(pinShared(sources), clients);
  }
}

/**
 * A store that answers for several clusters must be told which cluster a search is for, or one
 * cluster's readers would see the others' documents: two clusters naming the same store as their
 * own, without `clusterField`, are pinned by the default field (fail closed: documents without it
 * match nothing).
 */
function pinShared(sources: Map<string, LogSource>): Map<string, LogSource> {
  const clustersOf = new Map<string, number>();
  const keyOf = (s: LogSource) => `${s.client.backend}\u0000${JSON.stringify(s.indices)}`;
  for (const source of sources.values())
    clustersOf.set(keyOf(source), (clustersOf.get(keyOf(source)) ?? 0) + 1);
  for (const [cluster, source] of sources)
    if (source.clusterField === undefined && (clustersOf.get(keyOf(source)) ?? 0) > 1)
      sources.set(cluster, { ...source, clusterField: DEFAULT_LOG_STORE.clusterField });
  return sources;
}
