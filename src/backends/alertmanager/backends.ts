/**
 * Which Alertmanager answers for which cluster. A cluster's own `alertmanager` wins over the shared
 * `alerts.alertmanager`; the shared one holds every cluster's alerts, told apart by a label
 * (labelled-backends.ts: one client per distinct settings).
 */
import type { GatewayConfig } from "../../config/index.js";
import { LabelledBackends, type BackendEntries, type LabelledSource } from "../labelled-backends.js";
import { AlertmanagerClient, type AlertmanagerClientOptions } from "./client.js";

export type AlertmanagerSource = LabelledSource<AlertmanagerClient>;

const ENTRIES: BackendEntries = {
  shared: (config) => config.alerts?.alertmanager,
  own: (cluster) => cluster.alertmanager,
};

export class AlertmanagerBackends {
  private constructor(private readonly backends: LabelledBackends<AlertmanagerClient>) {}

  static fromConfig(config: GatewayConfig, options: AlertmanagerClientOptions = {}): AlertmanagerBackends {
    return new AlertmanagerBackends(
      LabelledBackends.fromConfig(config, ENTRIES, (settings) => new AlertmanagerClient(settings, options)),
    );
  }

  /** The backends of a reloaded config; unchanged clients carry over, the others are closed. */
  reload(config: GatewayConfig): AlertmanagerBackends {
    return new AlertmanagerBackends(this.backends.reload(config));
  }

  /** Undefined when no Alertmanager is configured for `cluster`. */
  forCluster(cluster: string): AlertmanagerSource | undefined {
    return this.backends.forCluster(cluster);
  }

  get configured(): boolean {
    return this.backends.configured;
  }

  /** Requests sent so far, over every distinct client. */
  get requests(): number {
    return this.backends.clientList().reduce((sum, client) => sum + client.requests, 0);
  }

  close(): void {
    this.backends.close();
  }
}
