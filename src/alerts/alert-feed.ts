/**
 * THE alert change stream of the gateway (`alertChanges`): what each cluster's alerts were, and
 * what changed. Fed through `report` (AlertUpdates) by one poll loop over every cluster — started
 * when the first subscriber arrives, stopped with the last, shared by all; a round asks a backend
 * shared by several clusters once — and by the Alertmanager webhook receiver, whose notifications
 * arrive without a poll. Nobody listening, reports are dropped and nothing is kept: without the
 * poller nothing would ever remove what they add. Each change is told once to every listener; the
 * subscriptions apply their filter and Scope (alert-changes.ts).
 */
import type { Logger } from "pino";
import type { Alert, AlertUpdates, ClusterAlertReport } from "./alert.js";
import { sharedAlertReads } from "./shared-reads.js";
import { readClusterAlerts, type AlertSources } from "./sources.js";

/** FIRED: new, or firing again; SILENCED: now silenced or inhibited; RESOLVED: no longer active. */
export type AlertChangeType = "FIRED" | "RESOLVED" | "SILENCED";

export interface AlertChange {
  readonly type: AlertChangeType;
  /** On RESOLVED: the alert as last known, `endsAt` set: when the source says it ended, else
   * when the gateway saw it gone. */
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
  private readonly now: () => number;
  private poller: FleetPoller | undefined;

  constructor(private readonly options: AlertFeedOptions) {
    this.now = options.now ?? Date.now;
  }

  /** "These alerts of cluster X changed": from a poll (complete) or a webhook notification. */
  report(report: ClusterAlertReport): void {
    // Unwatched, nothing would ever remove what a push adds: the first poll starts afresh.
    if (this.listeners.size === 0) return;
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
    // A complete poll's missing alert ended when it was seen gone: the endsAt it carried at the
    // last poll is Alertmanager's projection (a resend interval ahead), not when it ended.
    const resolved = report.complete
      ? [...known.values()].filter((a) => !seen.has(a.fingerprint)).map((a) => ({ ...a, endsAt: at }))
      : report.resolved.filter((a) => known.has(a.fingerprint));
    for (const alert of resolved) {
      const last = known.get(alert.fingerprint) ?? alert;
      known.delete(alert.fingerprint);
      changes.push({ type: "RESOLVED", alert: { ...last, endsAt: alert.endsAt ?? at }, at });
    }
    for (const change of changes) for (const listener of this.listeners) listener(change);
  }

  /** The active alerts known now (a new subscriber's snapshot: after `ready()`). */
  current(): Alert[] {
    return [...this.known.values()].flatMap((byFingerprint) => [...byFingerprint.values()]);
  }

  /** Settles once the current poll loop's first round has reported (at once when none runs). */
  ready(): Promise<void> {
    return this.poller?.firstRound ?? Promise.resolve();
  }

  /** Listens to every change; the first listener starts the poll loop, the last one's end stops it. */
  listen(listener: AlertChangeListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.startPolling();
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /**
   * The fleet changed (a reload): the alerts of clusters gone are forgotten; the next round polls
   * the clusters of the new config.
   */
  clustersChanged(): void {
    const clusters = new Set(this.options.clusters());
    for (const cluster of [...this.known.keys()]) if (!clusters.has(cluster)) this.known.delete(cluster);
  }

  /** Polls every cluster now (tests; a reload). */
  async pollNow(): Promise<void> {
    await this.poller?.round();
  }

  stop(): void {
    this.listeners.clear();
    this.stopPolling();
  }

  private startPolling(): void {
    this.poller = new FleetPoller(this, this.options);
    this.poller.start();
  }

  private stopPolling(): void {
    this.poller?.stop();
    this.poller = undefined;
    // Unwatched, the state goes stale: the next first subscriber starts from the sources again.
    this.known.clear();
  }
}

function changeOf(before: Alert | undefined, now: Alert): AlertChangeType | undefined {
  if (now.state === "SUPPRESSED") return before?.state === "SUPPRESSED" ? undefined : "SILENCED";
  if (now.state === "FIRING") return before?.state === "FIRING" ? undefined : "FIRED";
  return undefined;
}

/**
 * The poll loop: one round at a time, every cluster of the config in force read in it through
 * one sharedAlertReads (a shared backend asked once per round), the next round one interval after
 * the last ended.
 */
class FleetPoller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly failing = new Set<string>();
  firstRound: Promise<void> | undefined;

  constructor(
    private readonly feed: AlertFeed,
    private readonly options: AlertFeedOptions,
  ) {}

  start(): void {
    this.firstRound = this.loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  round(): Promise<void> {
    return (this.running ??= this.roundOnce().finally(() => (this.running = undefined)));
  }

  /** Settles after the first round; the later ones are timers. */
  private async loop(): Promise<void> {
    await this.round().catch((err: unknown) => this.options.logger?.warn({ err }, "alert poll failed"));
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.loop(), this.options.pollIntervalMs());
    this.timer.unref();
  }

  private async roundOnce(): Promise<void> {
    const sources = sharedAlertReads(this.options.sources());
    await Promise.all(this.options.clusters().map((cluster) => this.poll(cluster, sources)));
  }

  private async poll(cluster: string, shared: AlertSources): Promise<void> {
    const sources = shared.forCluster(cluster);
    if (!sources.alertmanager && !sources.prometheus) return;
    const read = await readClusterAlerts(cluster, sources, { pending: false });
    if (this.stopped) return;
    // A failed source tells nothing: the alerts stay as they were rather than all resolving.
    if (read.failures.length > 0) {
      if (!this.failing.has(cluster))
        this.options.logger?.warn(
          { cluster, err: read.failures[0]!.error },
          `alerts of cluster ${cluster} cannot be polled`,
        );
      this.failing.add(cluster);
      return;
    }
    this.failing.delete(cluster);
    // A cluster removed by a reload while this round read it is not brought back.
    if (!this.options.clusters().includes(cluster)) return;
    this.feed.report({ cluster, active: read.alerts, resolved: [], complete: true });
  }
}
