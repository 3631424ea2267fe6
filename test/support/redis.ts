/** Real Redis for tests: a unique key prefix per test, and its keys removed afterwards. */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

export const REDIS_URL = "redis://127.0.0.1:6379";

export function uniqueRedisPrefix(purpose: string): string {
  return `test:${purpose}:${randomUUID()}:`;
}

/** Deletes every key under `prefix` (never anything else: other engineers share this Redis). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    await redis.quit();
  }
}
