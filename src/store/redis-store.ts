/**
 * The shared store in Redis. Keys and channels carry a configurable prefix, so several gateways
 * (or tests) share one Redis without meeting. Subscriptions use a second connection: a Redis
 * connection in subscribe mode accepts no other command.
 */
import { Redis, type RedisOptions } from "ioredis";
import { checkTtl, StoreUnavailableError, type SharedStore, type Unsubscribe } from "./shared-store.js";

export interface RedisStoreOptions {
  /** redis://host:port/db (credentials may be in the URL). */
  url: string;
  /** Prepended to every key and channel, e.g. "fleetgraph:". */
  keyPrefix: string;
  /** Further ioredis options (TLS, timeouts); the prefix is applied here, not by ioredis. */
  redis?: RedisOptions;
  /** Told of connection errors; ioredis reconnects by itself and failed commands reject. */
  onConnectionError?: (error: Error) => void;
}

/** Absent and present-with-a-value must be told apart, so the expectation travels as a flag. */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if current ~= false then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
if ARGV[4] == '0' then
  redis.call('SET', KEYS[1], ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
end
return 1
`;

export class RedisStore implements SharedStore {
  private readonly commands: Redis;
  private subscriber: Redis | undefined;
  /** Counts the subscriber connection's confirmed (re)subscriptions; see subscriptionEpoch. */
  private subscriberReadies = 0;
  /** Whether Redis confirmed every channel since the subscriber connection was last (re)made. */
  private resubscribed = true;
  private readonly resubscribedListeners = new Set<() => void>();
  private readonly listeners = new Map<string, Set<(message: string) => void>>();
  /** Per channel, Redis's confirmation: a second subscriber to a new channel waits for it too. */
  private readonly confirmations = new Map<string, Promise<unknown>>();

  constructor(private readonly options: RedisStoreOptions) {
    this.commands = this.connect();
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.call("get", () => this.commands.get(this.key(key)))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    checkTtl(ttlMs);
    await this.call("set", () =>
      ttlMs === undefined
        ? this.commands.set(this.key(key), value)
        : this.commands.set(this.key(key), value, "PX", ttlMs),
    );
  }

  async take(key: string): Promise<string | undefined> {
    return (await this.call("take", () => this.commands.getdel(this.key(key)))) ?? undefined;
  }

  async compareAndSet(
    key: string,
    expected: string | undefined,
    next: string,
    ttlMs?: number,
  ): Promise<boolean> {
    checkTtl(ttlMs);
    const args = [expected === undefined ? "0" : "1", expected ?? "", next, String(ttlMs ?? 0)];
    const replaced = await this.call("compareAndSet", () =>
      this.commands.eval(COMPARE_AND_SET, 1, this.key(key), ...args),
    );
    return replaced === 1;
  }

  async delete(key: string): Promise<void> {
    await this.call("delete", () => this.commands.del(this.key(key)));
  }

  async addToSet(key: string, members: readonly string[]): Promise<void> {
    if (members.length > 0) await this.call("addToSet", () => this.commands.sadd(this.key(key), ...members));
  }

  async removeFromSet(key: string, members: readonly string[]): Promise<void> {
    if (members.length > 0)
      await this.call("removeFromSet", () => this.commands.srem(this.key(key), ...members));
  }

  setMembers(key: string): Promise<string[]> {
    return this.call("setMembers", () => this.commands.smembers(this.key(key)));
  }

  async addToLog(
    key: string,
    entries: readonly { member: string; score: number }[],
    keep: number,
    ttlMs?: number,
  ): Promise<void> {
    checkTtl(ttlMs);
    if (entries.length === 0) return;
    const k = this.key(key);
    const scored = entries.flatMap((e) => [e.score, e.member]);
    await this.call("addToLog", async () => {
      // One transaction: no reader sees the log over its length.
      const multi = this.commands
        .multi()
        .zadd(k, "NX", ...scored)
        .zremrangebyrank(k, 0, -(keep + 1));
      if (ttlMs !== undefined) multi.pexpire(k, ttlMs);
      const replies = await multi.exec();
      const failed = replies?.find(([error]) => error !== null)?.[0];
      if (failed) throw failed;
    });
  }

  newestInLog(key: string, count: number): Promise<string[]> {
    return this.call("newestInLog", () => this.commands.zrevrange(this.key(key), 0, count - 1));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.call("publish", () => this.commands.publish(this.key(channel), message));
  }

  async subscribe(channel: string, listener: (message: string) => void): Promise<Unsubscribe> {
    const subscriber = this.subscriberConnection();
    const subscription = (message: string) => listener(message);
    let listeners = this.listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(channel, listeners);
      this.confirmations.set(
        channel,
        this.call("subscribe", () => subscriber.subscribe(this.key(channel))),
      );
    }
    listeners.add(subscription);
    await this.confirmations.get(channel);
    return async () => {
      listeners.delete(subscription);
      if (listeners.size > 0 || this.listeners.get(channel) !== listeners) return;
      this.listeners.delete(channel);
      this.confirmations.delete(channel);
      await this.call("unsubscribe", () => subscriber.unsubscribe(this.key(channel)));
    };
  }

  get subscriptionEpoch(): number | undefined {
    if (!this.subscriber) return 0;
    return this.subscriber.status === "ready" && this.resubscribed ? this.subscriberReadies : undefined;
  }

  onResubscribed(listener: () => void): () => void {
    this.resubscribedListeners.add(listener);
    return () => this.resubscribedListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.confirmations.clear();
    await Promise.all([this.commands.quit(), this.subscriber?.quit()]);
  }

  private subscriberConnection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.connect();
    subscriber.on("message", (prefixedChannel: string, message: string) => {
      const channel = prefixedChannel.slice(this.options.keyPrefix.length);
      for (const listener of this.listeners.get(channel) ?? []) listener(message);
    });
    // ioredis subscribes again after a reconnection; what was published meanwhile is lost.
    // 'ready' comes before that SUBSCRIBE is even sent, so the channels count as heard again
    // only once Redis has confirmed a SUBSCRIBE of them all (sent here; Redis takes it twice).
    subscriber.on("ready", () => {
      this.resubscribed = false;
      const channels = [...this.listeners.keys()].map((channel) => this.key(channel));
      const confirmed = channels.length > 0 ? subscriber.subscribe(...channels) : Promise.resolve();
      confirmed.then(
        () => this.confirmResubscription(),
        (error: unknown) =>
          this.options.onConnectionError?.(error instanceof Error ? error : new Error(String(error))),
      );
    });
    this.subscriber = subscriber;
    return subscriber;
  }

  private confirmResubscription(): void {
    this.resubscribed = true;
    this.subscriberReadies++;
    for (const listener of this.resubscribedListeners) listener();
  }

  private connect(): Redis {
    // While Redis is away, a command fails after one reconnection attempt, and a Redis that
    // stopped answering fails it after 2 s: callers fail closed quickly instead of queueing
    // behind ioredis's default of 20 attempts (about 10 s).
    const redis = new Redis(this.options.url, {
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
      ...this.options.redis,
      keyPrefix: undefined,
    });
    // Without a listener ioredis reports connection errors as unhandled; commands fail on their own.
    redis.on("error", (error: Error) => this.options.onConnectionError?.(error));
    return redis;
  }

  private key(key: string): string {
    return this.options.keyPrefix + key;
  }

  private async call<T>(operation: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new StoreUnavailableError(operation, error);
    }
  }
}
