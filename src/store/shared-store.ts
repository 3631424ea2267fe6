/**
 * State every gateway replica shares: sessions, one-time refresh tokens, API tokens and the
 * revocations that must reach every replica at once. Two implementations with one semantics:
 * Redis for a fleet of replicas, memory for one process (tests, `--no-auth` demos).
 */

/** Stops a subscription; resolves once no more messages will be delivered to its listener. */
export type Unsubscribe = () => Promise<void>;

export interface SharedStore {
  get(key: string): Promise<string | undefined>;
  /** Stores `value`, replacing any TTL: it expires after `ttlMs`, or never when omitted. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Atomically reads and deletes: of two concurrent takers, one gets the value. */
  take(key: string): Promise<string | undefined>;
  /**
   * Atomically replaces the value when it still is `expected` (undefined: the key is absent);
   * `ttlMs` as for `set`. False when another writer came first.
   */
  compareAndSet(key: string, expected: string | undefined, next: string, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds members to the set at `key` (made when absent): one round trip however large the set. */
  addToSet(key: string, members: readonly string[]): Promise<void>;
  removeFromSet(key: string, members: readonly string[]): Promise<void>;
  setMembers(key: string): Promise<string[]>;
  /**
   * Adds each member with its score unless it is there already (it keeps its first score), then
   * keeps only the `keep` highest-scored; `ttlMs` renews the whole log's expiry.
   */
  addToLog(
    key: string,
    entries: readonly { member: string; score: number }[],
    keep: number,
    ttlMs?: number,
  ): Promise<void>;
  /** Up to `count` of the log's members, highest score first. */
  newestInLog(key: string, count: number): Promise<string[]>;
  /** Delivers `message` to every subscriber of `channel`, in every process sharing the store. */
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once subscribed: messages published after that reach `listener`. */
  subscribe(channel: string, listener: (message: string) => void): Promise<Unsubscribe>;
  /**
   * Whether subscriptions hear every message now: undefined while they may miss some (the
   * connection carrying them is lost); otherwise a number that changes each time they came back,
   * so a listener can tell that messages may have been missed in between.
   */
  readonly subscriptionEpoch: number | undefined;
  /**
   * Calls `listener` each time subscriptions hear every message again after they may have missed
   * some (subscriptionEpoch changed): what was published meanwhile must be found another way.
   */
  onResubscribed(listener: () => void): () => void;
  close(): Promise<void>;
}

/** A store that cannot answer (connection lost, closed): callers fail closed with their own error. */
export class StoreUnavailableError extends Error {
  constructor(
    readonly operation: string,
    cause?: unknown,
  ) {
    super(`shared store unavailable during ${operation}`, cause === undefined ? undefined : { cause });
    this.name = "StoreUnavailableError";
  }
}

/** Rejects TTLs that would silently mean "forever" or "already expired". */
export function checkTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined && !(Number.isInteger(ttlMs) && ttlMs > 0))
    throw new RangeError(`TTL must be a positive whole number of milliseconds, got ${ttlMs}`);
}
