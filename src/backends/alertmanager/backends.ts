/**
 * Which Alertmanager answers for which cluster. A cluster's own `alertmanager` wins over the shared
 * `alerts.alertmanager`; the shared one holds every cluster's alerts, told apart by a label. Entries
 * with the same connection settings share one client (one breaker, one concurrency limit).
 */
import type { GatewayConfig, PrometheusSettings } from "../../config/index.js";
import { DEFAULT_PROMETHEUS } from "../../config/index.js";
import { ClientsBySettings, connectionKey } from "../clients-by-settings.js";
import { AlertmanagerClient, type AlertmanagerClientOptions } from "./client.js";

export interface AlertmanagerSource {
  cluster: string;
  client: AlertmanagerClient;
  /** The label telling this cluster's alerts apart in a shared Alertmanager; undefined when it is the cluster's own. */
  clusterLabel?: { name: string; value: string };
}

type Clients = ClientsBySettings<PrometheusSettings, AlertmanagerClient>;

export class AlertmanagerBackends {
  private constructor(
    private readonly sources: ReadonlyMap<string, AlertmanagerSource>,
    private readonly clients: Clients,
  ) {}

  static fromConfig(config: GatewayConfig, options: AlertmanagerClientOptions = {}): AlertmanagerBackends {
    const clients: Clients = new ClientsBySettings(
      (settings) => connectionKey(settings),
      (settings) => new AlertmanagerClient(settings, options),
    );
    return AlertmanagerBackends.build(config, clients);
  }

  /** The backends of a reloaded config; unchanged clients carry over, the others are closed. */
  reload(config: GatewayConfig): AlertmanagerBackends {
    const next = AlertmanagerBackends.build(config, this.clients.successor());
    this.clients.handOver(next.clients);
    return next;
  }

  /** Undefined when no Alertmanager is configured for `cluster`. */
  forCluster(cluster: string): AlertmanagerSource | undefined {
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

  close(): void {
    void this.clients.close();
  }

  private static build(config: GatewayConfig, clients: Clients): AlertmanagerBackends {
    const shared = config.alerts?.alertmanager;
    if (shared !== undefined) clients.clientFor(shared);
    const sources = new Map<string, AlertmanagerSource>();
    for (const cluster of config.clusters) {
      const own = cluster.alertmanager;
      const settings = own ?? shared;
      if (settings === undefined) continue;
      const labelName =
        own !== undefined ? own.clusterLabel : (shared?.clusterLabel ?? DEFAULT_PROMETHEUS.clusterLabel);
      sources.set(cluster.name, {
        cluster: cluster.name,
        client: clients.clientFor(settings),
        ...(labelName !== undefined ? { clusterLabel: { name: labelName, value: cluster.name } } : {}),
      });
    }
    return new AlertmanagerBackends(sources, clients);
  }
}
