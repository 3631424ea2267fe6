/**
 * Per-caller request rates (rate-limiter-flexible): a fixed window of `points` operations per
 * `durationSeconds`, counted in Redis so every replica spends one budget, with an in-memory
 * limiter as insurance: while Redis cannot answer, each replica counts on its own (the limit then
 * holds per replica, not fleet-wide; docs/security.md). Without Redis, per replica from the start.
 */
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";

export interface CallerRateLimitOptions {
  points: number;
  durationSeconds: number;
  /** Once over, refuse the caller for this long (default: until the window ends). */
  blockSeconds?: number | undefined;
  /** The shared store; none: counted per replica. */
  redis?: { url: string; keyPrefix: string } | undefined;
  /** Told when Redis fails (the insurance limiter then answers). */
  onStoreError?: (error: Error) => void;
}

/** An operation over the caller's rate: when it may try again. */
export interface RateRefusal {
  retryAfterSeconds: number;
}

export class CallerRateLimit {
  private readonly limiter: RateLimiterAbstract;
  private readonly redis: Redis | undefined;

  constructor(options: CallerRateLimitOptions) {
    const window = {
      points: options.points,
      duration: options.durationSeconds,
      ...(options.blockSeconds !== undefined ? { blockDuration: options.blockSeconds } : {}),
    };
    const memory = new RateLimiterMemory({ ...window, keyPrefix: "rate" });
    if (!options.redis) {
      this.limiter = memory;
      return;
    }
    this.redis = new Redis(options.redis.url, {
      // Fail at once while disconnected, so the insurance answers instead of a queue waiting.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // A Redis that is connected but does not answer fails the command too (as the shared store's).
      commandTimeout: 2000,
      lazyConnect: false,
    });
    this.redis.on("error", (error: Error) => options.onStoreError?.(error));
    this.limiter = new RateLimiterRedis({
      ...window,
      storeClient: this.redis,
      keyPrefix: `${options.redis.keyPrefix}rate`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  }

  /** Spends one point of `caller`'s window; a refusal says when to retry, undefined admits. */
  async consume(caller: string): Promise<RateRefusal | undefined> {
    try {
      await this.limiter.consume(keyOf(caller));
      return undefined;
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) throw outcome;
      return { retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) };
    }
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

/** Callers are keyed by a digest: user names and addresses do not appear in Redis. */
function keyOf(caller: string): string {
  return createHash("sha256").update(caller).digest("base64url").slice(0, 22);
}
