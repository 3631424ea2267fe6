/**
 * When each of a store's recent revisions was committed, and what it changed: the benchmark
 * harness measures how long a change takes to reach a subscriber from this moment (the change
 * is in the store; every watcher is told in the same tick). A ring of fixed size, kept apart from
 * the watch history, which the fleet shrinks as it grows.
 *
 * Times are epoch milliseconds with sub-millisecond precision (`performance.timeOrigin +
 * performance.now()`), so another process on the same machine can subtract its own reading.
 */
import type { ResourceKind } from "../kinds.js";
import type { WatchEventType } from "./types.js";

export interface Commit {
  revision: number;
  /** Epoch ms. */
  at: number;
  type: WatchEventType;
  group: string;
  resource: string;
  namespace: string | undefined;
}

/** Revisions remembered per cluster: minutes of a busy cluster's changes. */
export const COMMIT_LOG_SIZE = 8192;

export const wallClockMs = (): number => performance.timeOrigin + performance.now();

export class CommitLog {
  private readonly revisions: Float64Array;
  private readonly times: Float64Array;
  private readonly types: WatchEventType[];
  private readonly kinds: (ResourceKind | undefined)[];
  private readonly namespaces: (string | undefined)[];
  private newest = 0;

  constructor(private readonly capacity = COMMIT_LOG_SIZE) {
    this.revisions = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.types = new Array<WatchEventType>(capacity);
    this.kinds = new Array<ResourceKind | undefined>(capacity);
    this.namespaces = new Array<string | undefined>(capacity);
  }

  record(revision: number, type: WatchEventType, kind: ResourceKind, namespace: string | undefined): void {
    const slot = revision % this.capacity;
    this.revisions[slot] = revision;
    this.times[slot] = wallClockMs();
    this.types[slot] = type;
    this.kinds[slot] = kind;
    this.namespaces[slot] = namespace;
    this.newest = Math.max(this.newest, revision);
  }

  /**
   * Commits after `from` up to and including `to`, oldest first, of `resource` (a plural) when
   * given. Revisions that made no commit (a compaction) or that the ring has overwritten are
   * left out.
   */
  between(from: number, to: number, resource?: string): Commit[] {
    const out: Commit[] = [];
    const first = Math.max(from + 1, this.newest - this.capacity + 1, 1);
    const last = Math.min(to, this.newest);
    for (let revision = first; revision <= last; revision++) {
      const slot = revision % this.capacity;
      const kind = this.kinds[slot];
      if (this.revisions[slot] !== revision || !kind) continue;
      if (resource !== undefined && kind.plural !== resource) continue;
      out.push({
        revision,
        at: this.times[slot]!,
        type: this.types[slot]!,
        group: kind.group,
        resource: kind.plural,
        namespace: this.namespaces[slot],
      });
    }
    return out;
  }
}
