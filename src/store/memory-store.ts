/** The shared store inside one process: what Redis does, with a Map and timestamps. */
import { checkTtl, StoreUnavailableError, type SharedStore, type Unsubscribe } from "./shared-store.js";

interface Held {
  value: string;
  /** Epoch milliseconds; undefined: never expires. */
  expiresAt: number | undefined;
}

const SWEEP_EVERY_WRITES = 1_000;

export class MemoryStore implements SharedStore {
  /** In one process no message is ever missed. */
  readonly subscriptionEpoch = 0;
  /** Never called: in one process subscriptions are never lost. */
  onResubscribed(): () => void {
    return () => undefined;
  }
  private readonly entries = new Map<string, Held>();
  private readonly listeners = new Map<string, Set<(message: string) => void>>();
  private closed = false;
  private writesSinceSweep = 0;

  get(key: string): Promise<string | undefined> {
    return this.run("get", () => this.live(key)?.value);
  }

  set(key: string, value: string, ttlMs?: number): Promise<void> {
    return this.run("set", () => {
      checkTtl(ttlMs);
      this.write(key, value, ttlMs);
    });
  }

  take(key: string): Promise<string | undefined> {
    return this.run("take", () => {
      const held = this.live(key);
      this.entries.delete(key);
      return held?.value;
    });
  }

  compareAndSet(key: string, expected: string | undefined, next: string, ttlMs?: number): Promise<boolean> {
    return this.run("compareAndSet", () => {
      checkTtl(ttlMs);
      if (this.live(key)?.value !== expected) return false;
      this.write(key, next, ttlMs);
      return true;
    });
  }

  delete(key: string): Promise<void> {
    return this.run("delete", () => void this.entries.delete(key));
  }

  publish(channel: string, message: string): Promise<void> {
    return this.run("publish", () => {
      // Delivered on a later turn, as a message from Redis would be: a publisher never runs
      // its subscribers' code inside its own call.
      for (const listener of this.listeners.get(channel) ?? []) setImmediate(() => listener(message));
    });
  }

  subscribe(channel: string, listener: (message: string) => void): Promise<Unsubscribe> {
    return this.run("subscribe", () => {
      // A wrapper per subscription, so the same function subscribed twice is two subscriptions.
      const subscription = (message: string) => listener(message);
      const listeners = this.listeners.get(channel) ?? new Set();
      listeners.add(subscription);
      this.listeners.set(channel, listeners);
      return () => {
        listeners.delete(subscription);
        return Promise.resolve();
      };
    });
  }

  close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.entries.clear();
    return Promise.resolve();
  }

  private write(key: string, value: string, ttlMs: number | undefined): void {
    this.entries.set(key, { value, expiresAt: ttlMs === undefined ? undefined : Date.now() + ttlMs });
    // Keys nobody reads again (used refresh tokens) would otherwise stay until close.
    if (++this.writesSinceSweep >= SWEEP_EVERY_WRITES) this.sweep();
  }

  private sweep(): void {
    this.writesSinceSweep = 0;
    for (const key of [...this.entries.keys()]) this.live(key);
  }

  /** The entry unless it expired; expired entries are dropped when met, as Redis does lazily. */
  private live(key: string): Held | undefined {
    const held = this.entries.get(key);
    if (held?.expiresAt !== undefined && held.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return held;
  }

  private run<T>(operation: string, body: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreUnavailableError(operation));
    try {
      return Promise.resolve(body());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
