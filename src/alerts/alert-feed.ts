/**
 * THE alert change stream of the gateway (`alertChanges`): what each cluster's alerts were, and
 * what changed. Fed through `report` (AlertUpdates) by one poller per cluster — started when the
 * first subscriber arrives, stopped with the last, shared by all — and by the Alertmanager webhook
 * receiver, whose notifications arrive without a poll. Each change is told once to every listener;
 * the subscriptions apply their filter and Scope (alert-changes.ts).
 */
import type { Logger } from "pino";
import type { Alert, AlertUpdates, ClusterAlertReport } from "./alert.js";
import { readClusterAlerts, type AlertSources } from "./sources.js";

/** FIRED: new, or firing again; SILENCED: now silenced or inhibited; RESOLVED: no longer active. */
export type AlertChangeType = "FIRED" | "RESOLVED" | "SILENCED";

export interface AlertChange {
  readonly type: AlertChangeType;
  /** On RESOLVED: the alert as last known, `endsAt` set. */
  readonly alert: Alert;
  /** When the gateway learned of it (ISO 8601). */
  readonly at: string;
}

export type AlertChangeListener = (change: AlertChange) => void;

export interface AlertFeedOptions {
  sources: () => AlertSources;
  clusters: () => readonly string[];
  pollIntervalMs: () => number;
  logger?: Logger;
  now?: () => number;
}

export const DEFAULT_ALERT_POLL_INTERVAL_MS = 5000;

export class AlertFeed implements AlertUpdates {
  /** Per cluster, the active alerts by fingerprint; a cluster absent has no baseline yet. */
  private readonly known = new Map<string, Map<string, Alert>>();
  private readonly listeners = new Set<AlertChangeListener>();
  private readonly pollers = new Map<string, ClusterPoller>();
  private readonly now: () => number;

  constructor(private readonly options: AlertFeedOptions) {
    this.now = options.now ?? Date.now;
  }

  /** "These alerts of cluster X changed": from a poll (complete) or a webhook notification. */
  report(report: ClusterAlertReport): void {
    const at = new Date(this.now()).toISOString();
    let known = this.known.get(report.cluster);
    if (!known) this.known.set(report.cluster, (known = new Map<string, Alert>()));
    const changes: AlertChange[] = [];
    const seen = new Set<string>();
    for (const alert of report.active) {
      seen.add(alert.fingerprint);
      const before = known.get(alert.fingerprint);
      known.set(alert.fingerprint, alert);
      const type = changeOf(before, alert);
      if (type) changes.push({ type, alert, at });
    }
    const resolved = report.complete
      ? [...known.values()].filter((a) => !seen.has(a.fingerprint))
      : report.resolved.filter((a) => known.has(a.fingerprint));
    for (const alert of resolved) {
      const last = known.get(alert.fingerprint) ?? alert;
      known.delete(alert.fingerprint);
      changes.push({ type: "RESOLVED", alert: { ...last, endsAt: alert.endsAt ?? at }, at });
    }
    for (const change of changes) for (const listener of this.listeners) listener(change);
  }

  /** The active alerts known now (a new subscriber's snapshot). */
  current(): Alert[] {
    return [...this.known.values()].flatMap((byFingerprint) => [...byFingerprint.values()]);
  }

  /** Listens to every change; the first listener starts the pollers, the last one's end stops them. */
  listen(listener: AlertChangeListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.startPollers();
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) this.stopPollers();
    };
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /**
   * The fleet changed (a reload): pollers start for new clusters and stop for those gone (whose
   * alerts are forgotten), while anyone subscribes.
   */
  clustersChanged(): void {
    if (this.listeners.size === 0) return;
    const clusters = new Set(this.options.clusters());
    for (const [cluster, poller] of this.pollers)
      if (!clusters.has(cluster)) {
        poller.stop();
        this.pollers.delete(cluster);
        this.known.delete(cluster);
      }
    for (const cluster of clusters) if (!this.pollers.has(cluster)) this.startPoller(cluster);
  }

  /** Polls every cluster now (tests; a reload). */
  async pollNow(): Promise<void> {
    await Promise.all([...this.pollers.values()].map((p) => p.poll()));
  }

  stop(): void {
    this.listeners.clear();
    this.stopPollers();
  }

  private startPollers(): void {
    for (const cluster of this.options.clusters()) this.startPoller(cluster);
  }

  private startPoller(cluster: string): void {
    const poller = new ClusterPoller(cluster, this, this.options);
    this.pollers.set(cluster, poller);
    poller.start();
  }

  private stopPollers(): void {
    for (const poller of this.pollers.values()) poller.stop();
    this.pollers.clear();
    // Unwatched, the state goes stale: the next first subscriber starts from the sources again.
    this.known.clear();
  }
}

function changeOf(before: Alert | undefined, now: Alert): AlertChangeType | undefined {
  if (now.state === "SUPPRESSED") return before?.state === "SUPPRESSED" ? undefined : "SILENCED";
  if (now.state === "FIRING") return before?.state === "FIRING" ? undefined : "FIRED";
  return undefined;
}

/** One cluster's poll loop: one request at a time, the next one interval after the last ended. */
class ClusterPoller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly cluster: string,
    private readonly feed: AlertFeed,
    private readonly options: AlertFeedOptions,
  ) {}

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  poll(): Promise<void> {
    return (this.running ??= this.pollOnce().finally(() => (this.running = undefined)));
  }

  private async loop(): Promise<void> {
    await this.poll();
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.loop(), this.options.pollIntervalMs());
    this.timer.unref();
  }

  private async pollOnce(): Promise<void> {
    const sources = this.options.sources().forCluster(this.cluster);
    if (!sources.alertmanager && !sources.prometheus) return;
    const read = await readClusterAlerts(this.cluster, sources, { pending: false });
    if (this.stopped) return;
    // A failed source tells nothing: the alerts stay as they were rather than all resolving.
    if (read.failures.length > 0) {
      if (!this.failing)
        this.options.logger?.warn(
          { cluster: this.cluster, err: read.failures[0]!.error },
          `alerts of cluster ${this.cluster} cannot be polled`,
        );
      this.failing = true;
      return;
    }
    this.failing = false;
    this.feed.report({ cluster: this.cluster, active: read.alerts, resolved: [], complete: true });
  }
}
