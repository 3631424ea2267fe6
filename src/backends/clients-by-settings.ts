/**
 * One client per distinct connection settings, as the backend registries keep them (Prometheus,
 * log stores). Entries of the config with the same settings share one client, so one breaker and
 * one concurrency limit stand for one backend; on a reload a client whose settings did not change
 * carries over (its breaker state and sockets with it) and the others are closed.
 */
import type { ClusterAuth, ClusterTls } from "../config/index.js";

/** What every backend client is built from; a kind of backend may add settings of its own. */
export interface ConnectionSettings {
  url: string;
  tls: ClusterTls;
  auth: ClusterAuth;
  timeoutMs: number;
  maxConcurrentRequests: number;
}

export interface Closable {
  close(): void | Promise<void>;
}

/**
 * The key of everything a client is built from: the connection settings and `extra`, what the
 * kind of backend adds (a store's flavor and API key). What a registry keeps per cluster (a
 * cluster label, indices) is not in it: two clusters pinned in one backend share its client.
 */
export function connectionKey(settings: ConnectionSettings, ...extra: unknown[]): string {
  const { url, tls, auth, timeoutMs, maxConcurrentRequests } = settings;
  return JSON.stringify([
    url,
    tls.caData ?? null,
    tls.certData ?? null,
    tls.keyData ?? null,
    tls.insecureSkipVerify,
    auth.token ?? null,
    auth.tokenFile ?? null,
    timeoutMs,
    maxConcurrentRequests,
    ...extra,
  ]);
}

export class ClientsBySettings<S, C extends Closable> {
  private clients = new Map<string, C>();
  /** The set of the config before a reload, until it has handed over. */
  private previous: ReadonlyMap<string, C> | undefined;

  constructor(
    private readonly keyOf: (settings: S) => string,
    private readonly create: (settings: S) => C,
  ) {}

  /** The client for `settings`: the one made for the same settings, taken over, or a new one. */
  clientFor(settings: S): C {
    const key = this.keyOf(settings);
    let client = this.clients.get(key);
    if (client === undefined) {
      client = this.previous?.get(key) ?? this.create(settings);
      this.clients.set(key, client);
    }
    return client;
  }

  /** An empty set for a reloaded config that takes over this set's clients of unchanged settings. */
  successor(): ClientsBySettings<S, C> {
    const next = new ClientsBySettings(this.keyOf, this.create);
    next.previous = this.clients;
    return next;
  }

  /**
   * Closes the clients `next` (filled by now) did not take over. This set holds none afterwards:
   * queries under way keep the clients they hold, and its close() no longer closes anything.
   */
  handOver(next: ClientsBySettings<S, C>): void {
    const kept = new Set(next.clients.values());
    for (const client of this.clients.values()) if (!kept.has(client)) void client.close();
    this.clients = new Map();
    next.previous = undefined;
  }

  get size(): number {
    return this.clients.size;
  }

  values(): IterableIterator<C> {
    return this.clients.values();
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => Promise.resolve(c.close())));
  }
}
