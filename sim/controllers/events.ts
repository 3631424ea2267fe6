/**
 * The event recorder: core/v1 Events as client-go's recorder writes them — named
 * `<object>.<hex timestamp>`, aggregated (a repeat of the same reason and message on the same
 * object bumps `count` and `lastTimestamp`), and capped per cluster, oldest deleted first, the way
 * the API server's event TTL keeps the store from growing without bound.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { apiVersionOf, type ResourceKind } from "../kinds.js";
import type { ClusterStore, StoreEvent } from "../store/cluster-store.js";
import { StatusError } from "../errors.js";
import { EVENTS } from "./resources.js";
import { rfc3339 } from "./context.js";

export type EventType = "Normal" | "Warning";

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventRecord {
  kind: ResourceKind;
  object: KubeObject;
  type: EventType;
  reason: string;
  message: string;
  source: EventSource;
  /** e.g. `spec.containers{nginx}` for container events. */
  fieldPath?: string;
}

interface Draft {
  aggregate: string;
  event: KubeObject;
}

/** An event seen during runUntilIdle; built into an object only if it survives the cap. */
interface Pending {
  aggregate: string;
  record: EventRecord;
  first: string;
  last: string;
  count: number;
}

const recorders = new WeakMap<ClusterStore, EventRecorder>();

/** The recorder the cluster's controllers run, so code outside them (churn) shares its cap. */
export function recorderFor(store: ClusterStore): EventRecorder {
  return recorders.get(store) ?? new EventRecorder(store, { maxEvents: Infinity, now: () => new Date() });
}

export class EventRecorder {
  private readonly maxEvents: number;
  /** The cluster's clock (the controllers' `now`), shared with code that records through this recorder. */
  readonly now: () => Date;
  private counter = 0;
  /** Event keys in creation order; `live` says which are still stored. */
  private order: string[] = [];
  private head = 0;
  private readonly live = new Set<string>();
  /** Aggregation key -> event key, and back, for the events still stored. */
  private readonly byAggregate = new Map<string, string>();
  private readonly aggregateOf = new Map<string, string>();
  /** While runUntilIdle drains, events are kept here (newest last) and only the newest maxEvents are written. */
  private buffer: Pending[] | undefined;
  private readonly buffered = new Map<string, Pending>();

  constructor(
    private readonly store: ClusterStore,
    options: { maxEvents: number; now: () => Date },
  ) {
    this.maxEvents = options.maxEvents;
    this.now = options.now;
    for (const ev of store.all(EVENTS)) this.track(ev);
  }

  register(): void {
    recorders.set(this.store, this);
  }

  unregister(): void {
    if (recorders.get(this.store) === this) recorders.delete(this.store);
  }

  /** Follows every Event written to the store, by anyone, so the cap counts them all. */
  observe(change: StoreEvent): void {
    if (change.resource !== EVENTS) return;
    const key = eventKey(change.object);
    if (change.type === "ADDED") this.track(change.object);
    else if (change.type === "DELETED") {
      this.live.delete(key);
      const aggregate = this.aggregateOf.get(key);
      if (aggregate !== undefined) {
        this.aggregateOf.delete(key);
        if (this.byAggregate.get(aggregate) === key) this.byAggregate.delete(aggregate);
      }
    }
  }

  startBuffering(): void {
    this.buffer ??= [];
  }

  /** Writes what was buffered during runUntilIdle. */
  flush(): void {
    const pending = this.buffer;
    this.buffer = undefined;
    this.buffered.clear();
    if (!pending) return;
    const keep = Number.isFinite(this.maxEvents) ? pending.slice(-this.maxEvents) : pending;
    for (const p of keep) {
      const event = this.build(p.record, p.first);
      event.lastTimestamp = p.last;
      event.count = p.count;
      this.write({ aggregate: p.aggregate, event });
    }
    this.trim();
  }

  record(record: EventRecord): void {
    const meta = record.object.metadata;
    const aggregate = [
      meta.uid,
      record.fieldPath ?? "",
      record.type,
      record.reason,
      record.message,
      record.source.component,
    ].join("|");
    const stamp = this.timestamp();
    if (this.buffer) {
      const existing = this.buffered.get(aggregate);
      if (existing) {
        existing.count++;
        existing.last = stamp;
        return;
      }
      const entry: Pending = { aggregate, record, first: stamp, last: stamp, count: 1 };
      this.buffer.push(entry);
      this.buffered.set(aggregate, entry);
      if (this.buffer.length > 4 * this.maxEvents + 1024) {
        // Drop what can no longer make the cut, so a long catch-up stays bounded in memory.
        for (const gone of this.buffer.splice(0, this.buffer.length - this.maxEvents)) {
          if (this.buffered.get(gone.aggregate) === gone) this.buffered.delete(gone.aggregate);
        }
      }
      return;
    }
    const storedKey = this.byAggregate.get(aggregate);
    if (storedKey !== undefined && this.live.has(storedKey)) {
      const [namespace, name] = storedKey.split("/") as [string, string];
      this.store.mutate(EVENTS, namespace, name, (draft) => {
        draft.count = ((draft.count as number | undefined) ?? 1) + 1;
        draft.lastTimestamp = stamp;
      });
      return;
    }
    this.write({ aggregate, event: this.build(record, stamp) });
    this.trim();
  }

  private build(record: EventRecord, stamp: string): KubeObject {
    const meta = record.object.metadata;
    const namespace = meta.namespace ?? "default";
    // client-go names events after the object and the time in hex nanoseconds; a counter in
    // the low digits keeps names unique when several events share a millisecond.
    const nanos = BigInt(this.now().getTime()) * 1_000_000n + BigInt(this.counter++ % 1_000_000);
    return {
      metadata: { name: `${meta.name}.${nanos.toString(16)}`, namespace },
      involvedObject: {
        kind: record.kind.kind,
        namespace: meta.namespace,
        name: meta.name,
        uid: meta.uid,
        apiVersion: apiVersionOf(record.kind),
        resourceVersion: meta.resourceVersion,
        ...(record.fieldPath ? { fieldPath: record.fieldPath } : {}),
      },
      reason: record.reason,
      message: record.message,
      source: record.source.host
        ? { component: record.source.component, host: record.source.host }
        : { component: record.source.component },
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
      type: record.type,
      eventTime: null,
      reportingComponent: record.source.component,
      reportingInstance: record.source.host ?? "",
    };
  }

  private write(draft: Draft): void {
    try {
      const stored = this.store.create(EVENTS, draft.event);
      const key = eventKey(stored);
      this.byAggregate.set(draft.aggregate, key);
      this.aggregateOf.set(key, draft.aggregate);
    } catch (error) {
      // As with client-go, a failed event write (its namespace is gone or terminating) is
      // dropped: events are best-effort and never fail the controller that records them.
      if (!(error instanceof StatusError)) throw error;
    }
  }

  private track(event: KubeObject): void {
    const key = eventKey(event);
    if (this.live.has(key)) return;
    this.live.add(key);
    this.order.push(key);
  }

  private trim(): void {
    while (this.live.size > this.maxEvents && this.head < this.order.length) {
      const key = this.order[this.head++]!;
      if (!this.live.has(key)) continue;
      const [namespace, name] = key.split("/") as [string, string];
      try {
        this.store.delete(EVENTS, namespace, name);
      } catch (error) {
        if (!(error instanceof StatusError)) throw error;
      }
      this.live.delete(key);
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  private timestamp(): string {
    return rfc3339(this.now());
  }
}

function eventKey(event: KubeObject): string {
  return `${event.metadata.namespace}/${event.metadata.name}`;
}
