/**
 * The clusters the gateway serves, changeable while it runs: a config reload adds, removes and
 * reconnects clusters here, and listeners (the fleet cache, subscriptions) follow the events.
 * Each member has one ClusterConnection and one HealthProbe.
 */
import { EventEmitter } from "node:events";
import { isDeepStrictEqual } from "node:util";
import type { Logger } from "pino";
import { diffClusters, type ClusterConfig, type ClusterDiff } from "../config/index.js";
import { ClusterConnection, type ClusterConnectionOptions } from "./cluster-connection.js";
import { logBreakerTransitions, logHealthChange } from "./fleet-log.js";
import { HealthProbe, type ClusterHealth, type HealthProbeOptions } from "./health.js";

export interface FleetRegistryOptions {
  connection?: ClusterConnectionOptions;
  /** Health probe settings; `false` runs no probes (unit tests of other parts). */
  health?: Omit<HealthProbeOptions, "onChange"> | false;
  /** Where breaker and health transitions are logged (fleet-log.ts). Default: not logged. */
  logger?: Logger;
}

interface RegistryEvents {
  /** A new connection (a new cluster, or a cluster reconnected after its settings changed). */
  added: [connection: ClusterConnection];
  /** A connection that was closed; a reconnected cluster emits `removed` then `added`. */
  removed: [connection: ClusterConnection];
  /** Only the description changed (display name, labels): same connection. */
  updated: [connection: ClusterConnection];
  health: [cluster: string, health: ClusterHealth, previous: ClusterHealth];
}

interface Member {
  config: ClusterConfig;
  connection: ClusterConnection;
  probe: HealthProbe | undefined;
}

export class FleetRegistry extends EventEmitter<RegistryEvents> {
  private readonly members = new Map<string, Member>();
  private closed = false;

  constructor(
    clusters: readonly ClusterConfig[] = [],
    private readonly options: FleetRegistryOptions = {},
  ) {
    super();
    for (const config of clusters) this.add(config);
  }

  get size(): number {
    return this.members.size;
  }

  /** Adds a cluster and opens its connection; a duplicate name is an error. */
  add(config: ClusterConfig): ClusterConnection {
    if (this.closed) throw new Error("fleet registry is closed");
    if (this.members.has(config.name)) throw new Error(`cluster ${config.name} is already registered`);
    const connection = new ClusterConnection(config, this.options.connection);
    const logger = this.options.logger;
    if (logger) logBreakerTransitions(connection, logger);
    const health = this.options.health;
    const probe =
      health === false
        ? undefined
        : new HealthProbe(connection, {
            ...health,
            onChange: (now, previous) => {
              if (logger) logHealthChange(logger, config.name, now, previous);
              this.emit("health", config.name, now, previous);
            },
          });
    this.members.set(config.name, { config, connection, probe });
    probe?.start();
    this.emit("added", connection);
    return connection;
  }

  /** Closes and forgets a cluster; false when it was not registered. */
  remove(name: string): boolean {
    const member = this.members.get(name);
    if (!member) return false;
    this.members.delete(name);
    member.probe?.stop();
    // Listeners stop their users of the connection (watches) before it closes under them.
    this.emit("removed", member.connection);
    member.connection.close();
    return true;
  }

  /**
   * Makes the fleet equal to `clusters` (a config reload). Clusters whose connection settings
   * changed are reconnected; a change of display name or labels keeps the connection.
   */
  replace(clusters: readonly ClusterConfig[]): ClusterDiff {
    const diff = diffClusters(
      [...this.members.values()].map((m) => m.config),
      clusters,
    );
    for (const config of diff.removed) this.remove(config.name);
    for (const config of diff.changed) {
      const member = this.members.get(config.name)!;
      if (sameConnection(member.config, config)) {
        member.config = config;
        member.connection.describe(config);
        this.emit("updated", member.connection);
      } else {
        this.remove(config.name);
        this.add(config);
      }
    }
    for (const config of diff.added) this.add(config);
    return diff;
  }

  get(name: string): ClusterConnection | undefined {
    return this.members.get(name)?.connection;
  }

  /** Every connection, in the order the clusters were added. */
  list(): ClusterConnection[] {
    return [...this.members.values()].map((m) => m.connection);
  }

  names(): string[] {
    return [...this.members.keys()];
  }

  config(name: string): ClusterConfig | undefined {
    return this.members.get(name)?.config;
  }

  clusterLabels(name: string): Readonly<Record<string, string>> | undefined {
    return this.members.get(name)?.config.labels;
  }

  health(name: string): Readonly<ClusterHealth> | undefined {
    return this.members.get(name)?.probe?.health;
  }

  /** Probes a cluster now (e.g. for a `cluster(name)` query that wants fresh health). */
  probe(name: string): Promise<ClusterHealth> | undefined {
    return this.members.get(name)?.probe?.probe();
  }

  /** Removes every cluster (emitting `removed`) and refuses further additions. */
  close(): void {
    for (const name of [...this.members.keys()]) this.remove(name);
    this.closed = true;
  }
}

/** Whether two versions of a cluster's settings can share one connection. */
function sameConnection(a: ClusterConfig, b: ClusterConfig): boolean {
  return (
    a.server === b.server &&
    a.requestTimeoutMs === b.requestTimeoutMs &&
    a.maxConcurrentRequests === b.maxConcurrentRequests &&
    isDeepStrictEqual(a.tls, b.tls) &&
    isDeepStrictEqual(a.auth, b.auth)
  );
}
