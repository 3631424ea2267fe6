/** The shared store inside one process: what Redis does, with a Map and timestamps. */
import { checkTtl, StoreUnavailableError, type SharedStore, type Unsubscribe } from "./shared-store.js";

interface Held {
  value: string;
  /** Epoch milliseconds; undefined: never expires. */
  expiresAt: number | undefined;
}

interface Log {
  scores: Map<string, number>;
  expiresAt: number | undefined;
}

const SWEEP_EVERY_WRITES = 1_000;

/** Highest score first; ties as Redis's ZREVRANGE orders them (members in reverse byte order). */
function newestFirst(scores: ReadonlyMap<string, number>): string[] {
  return [...scores.keys()].sort((a, b) => scores.get(b)! - scores.get(a)! || (a < b ? 1 : a > b ? -1 : 0));
}

export class MemoryStore implements SharedStore {
  /** In one process no message is ever missed. */
  readonly subscriptionEpoch = 0;
  /** Never called: in one process subscriptions are never lost. */
  onResubscribed(): () => void {
    return () => undefined;
  }
  private readonly entries = new Map<string, Held>();
  private readonly sets = new Map<string, Set<string>>();
  private readonly logs = new Map<string, Log>();
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
    return this.run("delete", () => {
      this.entries.delete(key);
      this.sets.delete(key);
      this.logs.delete(key);
    });
  }

  addToSet(key: string, members: readonly string[]): Promise<void> {
    return this.run("addToSet", () => {
      const set = this.sets.get(key) ?? new Set();
      for (const m of members) set.add(m);
      if (set.size > 0) this.sets.set(key, set);
    });
  }

  removeFromSet(key: string, members: readonly string[]): Promise<void> {
    return this.run("removeFromSet", () => {
      const set = this.sets.get(key);
      for (const m of members) set?.delete(m);
      if (set?.size === 0) this.sets.delete(key);
    });
  }

  setMembers(key: string): Promise<string[]> {
    return this.run("setMembers", () => [...(this.sets.get(key) ?? [])]);
  }

  addToLog(
    key: string,
    entries: readonly { member: string; score: number }[],
    keep: number,
    ttlMs?: number,
  ): Promise<void> {
    return this.run("addToLog", () => {
      checkTtl(ttlMs);
      if (entries.length === 0) return;
      const log = this.liveLog(key) ?? { scores: new Map<string, number>(), expiresAt: undefined };
      for (const { member, score } of entries) if (!log.scores.has(member)) log.scores.set(member, score);
      const kept = newestFirst(log.scores).slice(0, keep);
      log.scores = new Map(kept.map((m) => [m, log.scores.get(m)!]));
      if (ttlMs !== undefined) log.expiresAt = Date.now() + ttlMs;
      this.logs.set(key, log);
    });
  }

  newestInLog(key: string, count: number): Promise<string[]> {
    return this.run("newestInLog", () => {
      const log = this.liveLog(key);
      return log ? newestFirst(log.scores).slice(0, count) : [];
    });
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
    this.sets.clear();
    this.logs.clear();
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

  private liveLog(key: string): Log | undefined {
    const log = this.logs.get(key);
    if (log?.expiresAt !== undefined && log.expiresAt <= Date.now()) {
      this.logs.delete(key);
      return undefined;
    }
    return log;
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
