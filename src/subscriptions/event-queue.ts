/**
 * One subscriber's queue, bounded. A subscriber that keeps up reads every event in order. One
 * that falls `maxQueued` behind is switched to coalescing: what it has not read collapses to the
 * latest event per object (in order of first appearance), and once it has caught up it is told
 * so with the `caughtUp` event (SYNCED). One that falls behind by more than `maxQueued`
 * distinct objects even then is failed with SubscriberTooSlowError. Either way the queue never
 * holds more than `maxQueued` events.
 */
/** The close code of a socket whose subscriber fell too far behind (docs/subscriptions.md). */
export const CLOSE_SUBSCRIBER_TOO_SLOW = 4420;

export class SubscriberTooSlowError extends Error {
  readonly code = "SUBSCRIBER_TOO_SLOW";
  constructor(readonly maxQueued: number) {
    super(
      `the subscriber fell more than ${maxQueued} objects behind and was closed: read events faster, ` +
        "narrow the subscription's filter, or resubscribe with the last event's cursor",
    );
    this.name = "SubscriberTooSlowError";
  }
}

export interface EventQueueOptions<T> {
  maxQueued: number;
  /** The object an event is about; undefined for markers (each kept as its own entry). */
  keyOf(event: T): string | undefined;
  /** Two unread events of one object as one; undefined when they cancel out (added, then deleted). */
  merge(older: T, newer: T): T | undefined;
  /** The event that ends a coalesced stretch (none when undefined). */
  caughtUp?(): T;
  /** Called as each event is handed to the reader (`coalesced`: it came out of a coalesced stretch). */
  delivered?(event: T, coalesced: boolean): void;
  /** Called once, when the reader stops reading or the queue fails. */
  onEnd?(): void;
  /** Called when the queue fails, whether or not a reader is waiting (a stalled one is not). */
  onFail?(error: unknown): void;
}

export class EventQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private coalesced: Map<string, T> | undefined;
  private markers = 0;
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private failWaiting: ((error: unknown) => void) | undefined;
  private ended = false;
  private failure: unknown;

  constructor(private readonly options: EventQueueOptions<T>) {}

  /** Events not yet read. */
  get length(): number {
    return this.coalesced ? this.coalesced.size : this.items.length - this.head;
  }

  /** A reader is waiting: the next event goes to it at once, never into the queue. */
  get hasReader(): boolean {
    return this.waiting !== undefined;
  }

  get isCoalescing(): boolean {
    return this.coalesced !== undefined;
  }

  push(event: T): void {
    if (this.ended) return;
    if (this.waiting && this.length === 0) {
      const resolve = this.waiting;
      this.clearWaiting();
      this.options.delivered?.(event, false);
      resolve({ value: event, done: false });
      return;
    }
    if (this.coalesced) {
      this.coalesce(event);
    } else if (this.length < this.options.maxQueued) {
      this.items.push(event);
    } else {
      this.coalesced = new Map();
      for (let i = this.head; i < this.items.length; i++) this.coalesce(this.items[i]!);
      this.items = [];
      this.head = 0;
      this.coalesce(event);
    }
    if (this.coalesced && this.coalesced.size > this.options.maxQueued) {
      this.fail(new SubscriberTooSlowError(this.options.maxQueued));
    }
  }

  /** Ends the stream with `error` (the reader's next read rejects with it). */
  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = error;
    this.finish();
    this.options.onFail?.(error);
    const reject = this.failWaiting;
    this.clearWaiting();
    reject?.(error);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.failure !== undefined) {
      const error = this.failure;
      this.failure = undefined;
      return Promise.reject(asError(error));
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    const event = this.take();
    if (event !== undefined) return Promise.resolve({ value: event, done: false });
    return new Promise<IteratorResult<T>>((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    const resolve = this.waiting;
    this.clearWaiting();
    resolve?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.reject(asError(error));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private take(): T | undefined {
    if (this.coalesced) {
      const first = this.coalesced.entries().next();
      if (first.done) {
        this.coalesced = undefined;
        if (!this.options.caughtUp) return this.take();
        const event = this.options.caughtUp();
        this.options.delivered?.(event, false);
        return event;
      }
      this.coalesced.delete(first.value[0]);
      this.options.delivered?.(first.value[1], true);
      return first.value[1];
    }
    if (this.head >= this.items.length) return undefined;
    const event = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    this.options.delivered?.(event, false);
    return event;
  }

  private coalesce(event: T): void {
    const map = this.coalesced!;
    const key = this.options.keyOf(event) ?? `\u0000marker:${this.markers++}`;
    const older = map.get(key);
    if (older === undefined) {
      map.set(key, event);
      return;
    }
    const merged = this.options.merge(older, event);
    if (merged === undefined) map.delete(key);
    else map.set(key, merged);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.items = [];
    this.coalesced = undefined;
    this.options.onEnd?.();
  }

  private clearWaiting(): void {
    this.waiting = undefined;
    this.failWaiting = undefined;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error("the subscription failed", { cause: error });
}
