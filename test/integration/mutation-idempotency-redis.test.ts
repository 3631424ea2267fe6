/**
 * Idempotency keys shared by two gateway replicas through a real Redis (127.0.0.1:6379): what
 * one replica ran, the other replays; a key running on one is refused on the other.
 */
import { afterAll, describe, expect, it } from "vitest";
import { NAMESPACE } from "../../src/kinds/index.js";
import { IdempotencyKeys, targetKey } from "../../src/mutations/idempotency.js";
import { cachedTarget } from "../../src/mutations/targets.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../support/redis.js";

const prefix = uniqueRedisPrefix("idempotency");
const one = new RedisStore({ url: REDIS_URL, keyPrefix: prefix });
const two = new RedisStore({ url: REDIS_URL, keyPrefix: prefix });

afterAll(async () => {
  await deleteRedisKeys(prefix);
  await one.close();
  await two.close();
});

describe("idempotency keys in Redis", () => {
  it("are seen by every replica", async () => {
    const target = { ...cachedTarget(NAMESPACE, "c1", undefined, null), name: "team-a" };
    const first = await new IdempotencyKeys(one).claim("ann", "namespace.create", "k", { name: "team-a" });
    if (!("claim" in first)) throw new Error(first.userError.message);
    const meanwhile = await new IdempotencyKeys(two).claim("ann", "namespace.create", "k", {
      name: "team-a",
    });
    expect("userError" in meanwhile && meanwhile.userError.code).toBe("CONFLICT");
    await first.claim.finish([{ target, status: "APPLIED", object: null, error: null }]);
    const retry = await new IdempotencyKeys(two).claim("ann", "namespace.create", "k", { name: "team-a" });
    if (!("claim" in retry)) throw new Error(retry.userError.message);
    expect(retry.claim.previous.get(targetKey(target))?.status).toBe("APPLIED");
    await retry.claim.release();
  });
});
