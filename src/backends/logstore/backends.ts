/**
 * Which log store answers for which cluster. A cluster's own `logStore` wins over the shared
 * `logs.elasticsearch`; the shared one holds every cluster, told apart by a field. Entries with
 * the same connection settings share one client, so one breaker and one concurrency limit stand
 * for one store.
 */
import type { GatewayConfig, LogIndices, LogStoreSettings } from "../../config/index.js";
import { DEFAULT_LOG_STORE } from "../../config/index.js";
import { LogStoreClient, type LogStoreClientOptions } from "./client.js";

export interface LogSource {
  cluster: string;
  client: LogStoreClient;
  indices: LogIndices;
  /** The field pinning a shared store to this cluster; undefined when the store is the cluster's own. */
  clusterField?: string;
}

export type LogStoreBackendsOptions = LogStoreClientOptions;

type ClientsBySettings = Map<string, LogStoreClient>;

export class LogStoreBackends {
  private constructor(
    private readonly sources: ReadonlyMap<string, LogSource>,
    private clients: ClientsBySettings,
    private readonly options: LogStoreBackendsOptions,
  ) {}

  static fromConfig(config: GatewayConfig, options: LogStoreBackendsOptions = {}): LogStoreBackends {
    return LogStoreBackends.build(config, options, new Map());
  }

  /**
   * The backends of a reloaded config: unchanged clients carry over (breaker and sockets with
   * them), the others are closed once no request can still be using them.
   */
  reload(config: GatewayConfig): LogStoreBackends {
    const next = LogStoreBackends.build(config, this.options, this.clients);
    const kept = new Set(next.clients.values());
    for (const client of this.clients.values()) if (!kept.has(client)) void client.close();
    this.clients = new Map();
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

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }

  private static build(
    config: GatewayConfig,
    options: LogStoreBackendsOptions,
    previous: ClientsBySettings,
  ): LogStoreBackends {
    const clients: ClientsBySettings = new Map();
    const clientFor = (settings: LogStoreSettings): LogStoreClient => {
      const key = settingsKey(settings);
      let client = clients.get(key);
      if (client === undefined) {
        client = previous.get(key) ?? new LogStoreClient(settings, options);
        clients.set(key, client);
      }
      return client;
    };
    const shared = config.logs?.elasticsearch;
    if (shared !== undefined) clientFor(shared);
    const sources = new Map<string, LogSource>();
    for (const cluster of config.clusters) {
      const own = cluster.logStore;
      const settings = own ?? shared;
      if (settings === undefined) continue;
      const field =
        own !== undefined ? own.clusterField : (shared?.clusterField ?? DEFAULT_LOG_STORE.clusterField);
      sources.set(cluster.name, {
        cluster: cluster.name,
        client: clientFor(settings),
        indices: settings.indices,
        ...(field !== undefined ? { clusterField: field } : {}),
      });
    }
    return new LogStoreBackends(sources, clients, options);
  }
}

/** Everything a client is built from (indices and clusterField are the source's, not the client's). */
function settingsKey(s: LogStoreSettings): string {
  return JSON.stringify([
    s.url,
    s.flavor,
    s.tls.caData ?? null,
    s.tls.certData ?? null,
    s.tls.keyData ?? null,
    s.tls.insecureSkipVerify,
    s.auth.token ?? null,
    s.auth.tokenFile ?? null,
    s.apiKey ?? null,
    s.timeoutMs,
    s.maxConcurrentRequests,
  ]);
}
