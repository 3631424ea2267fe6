/**
 * One watch of pods on one API server (one namespace, or all), held for one subscriber by the
 * pass-through subscriptions peer, with what a careful client does around client-node's Watch:
 * start from the current resourceVersion (a one-item list), so the subscriber gets changes and not
 * every existing pod; reopen from the last version seen when the stream ends (client-node ends an
 * idle stream after 30 s); list again on 410 Expired; back off after a failure.
 */
import type { ClusterClients } from "./fleet-clients.js";

/** The peer's figures, over all its watches. */
export interface WatchCounters {
  /** Streams up now. */
  open: number;
  /** Watch requests made (first opens and reopens). */
  requests: number;
  /** Streams that ended and were reopened. */
  reopened: number;
  /** Versions that had expired (410): listed again, changes in between lost. */
  expired: number;
  /** Failed requests, by cause. */
  failures: Record<string, number>;
}

export type PodEventType = "ADDED" | "MODIFIED" | "DELETED";
type PodObject = Record<string, unknown> & { metadata?: { resourceVersion?: string } };

const MAX_BACKOFF_MS = 30_000;

export function newCounters(): WatchCounters {
  return { open: 0, requests: 0, reopened: 0, expired: 0, failures: {} };
}

export class UpstreamWatch {
  private version: string | undefined;
  private closed = false;
  private controller: AbortController | undefined;
  private retry: NodeJS.Timeout | undefined;
  private failuresInARow = 0;

  constructor(
    private readonly client: ClusterClients,
    private readonly namespace: string | undefined,
    private readonly counters: WatchCounters,
    private readonly onEvent: (type: PodEventType, pod: PodObject) => void,
  ) {}

  start(): void {
    void this.open();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.controller?.abort();
  }

  private async open(): Promise<void> {
    if (this.closed) return;
    // done() may come before watch() resolves (a failed request): the stream's own state says.
    const stream = { up: false, ended: false };
    try {
      this.version ??= await this.currentVersion();
      if (this.closed) return;
      this.counters.requests++;
      const path = this.namespace
        ? `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`
        : "/api/v1/pods";
      const controller = await this.client.watch.watch(
        path,
        { resourceVersion: this.version, allowWatchBookmarks: true },
        (type, object) => this.event(type, object as PodObject),
        (error) => {
          stream.ended = true;
          if (stream.up) {
            stream.up = false;
            this.counters.open--;
          }
          this.ended(error);
        },
      );
      this.controller = controller;
      if (this.closed) controller.abort();
      else if (!stream.ended) {
        stream.up = true;
        this.counters.open++;
        this.failuresInARow = 0;
      }
    } catch (error) {
      // The one-item list failed (the watch reports its failures through done()).
      this.ended(error);
    }
  }

  private event(type: string, object: PodObject): void {
    if (type === "ERROR") {
      // 410 Expired: the version is gone from the server's history.
      this.counters.expired++;
      this.version = undefined;
      return;
    }
    this.version = object.metadata?.resourceVersion ?? this.version;
    if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") this.onEvent(type, object);
  }

  private ended(error: unknown): void {
    if (this.closed) return;
    const cause = failureOf(error);
    if (cause === undefined) {
      this.counters.reopened++;
      void this.open();
      return;
    }
    this.counters.failures[cause] = (this.counters.failures[cause] ?? 0) + 1;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.failuresInARow++);
    this.retry = setTimeout(() => void this.open(), delay);
  }

  private async currentVersion(): Promise<string | undefined> {
    const core = this.client.core;
    const list = this.namespace
      ? await core.listNamespacedPod({ namespace: this.namespace, limit: 1 })
      : await core.listPodForAllNamespaces({ limit: 1 });
    return list.metadata?.resourceVersion;
  }
}

/** Undefined for an ordinary end (the server closed, client-node's idle timeout); else a cause. */
function failureOf(error: unknown): string | undefined {
  if (error === null || error === undefined) return undefined;
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return undefined;
  return e.cause?.code ?? e.code ?? e.message ?? "unknown failure";
}
