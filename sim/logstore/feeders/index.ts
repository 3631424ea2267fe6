/**
 * The feeders of one cluster — container logs, events, audit — ticking together: the fleet
 * calls `tick` every second (and once at start, so a fresh fleet's store already holds the
 * backfill).
 */
import type { SimCluster } from "../../cluster.js";
import type { LogStore } from "../log-store.js";
import { AuditFeeder } from "./audit.js";
import { ContainerLogFeeder, type ContainerLogOptions } from "./container-logs.js";
import { EventFeeder } from "./events.js";

export interface FeedCounts {
  logs: number;
  events: number;
  audit: number;
}

export class ClusterFeeders {
  private readonly logs: ContainerLogFeeder;
  private readonly events: EventFeeder;
  private readonly audit: AuditFeeder;
  readonly totals: FeedCounts = { logs: 0, events: 0, audit: 0 };

  constructor(cluster: SimCluster, store: LogStore, options: ContainerLogOptions = {}) {
    this.logs = new ContainerLogFeeder(cluster.name, cluster.store, store, options);
    this.events = new EventFeeder(cluster.name, cluster.store, store);
    this.audit = new AuditFeeder(cluster.name, cluster.auditLog, store);
  }

  tick(now = Date.now()): FeedCounts {
    const counts = { logs: this.logs.tick(now), events: this.events.tick(), audit: this.audit.tick() };
    this.totals.logs += counts.logs;
    this.totals.events += counts.events;
    this.totals.audit += counts.audit;
    return counts;
  }

  stop(): void {
    this.events.stop();
    this.audit.stop();
  }
}
