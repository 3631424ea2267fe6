/** API tokens over real Redis: shown once, stored hashed, listed without secrets, revocable. */
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { ApiTokenError, ApiTokens } from "../../auth/identity/api-tokens.js";
import { AuthenticationError } from "../../auth/identity/contracts.js";
import type { Subject } from "../../auth/subject.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../support/redis.js";

const prefix = uniqueRedisPrefix("api-tokens");
const store = new RedisStore({ url: REDIS_URL, keyPrefix: prefix });
const tokens = new ApiTokens(store);
const alice: Subject = { user: "alice", groups: ["dev", "ops"], source: "oidc" };
const bob: Subject = { user: "bob", groups: [], source: "session" };

afterAll(async () => {
  await store.close();
  await deleteRedisKeys(prefix);
});

describe("ApiTokens", () => {
  it("creates a token whose secret authenticates as its owner, narrowed to its roles", async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const roles = [{ role: "namespace-viewer", cluster: "eu-1", namespace: "shop" }];
    const { secret, token } = await tokens.create(alice, { name: "ci", expiresAt, roles });
    expect(secret).toMatch(/^fgt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice(4), "base64url")).toHaveLength(32);
    expect(token).toMatchObject({
      name: "ci",
      owner: { user: "alice", groups: ["dev", "ops"] },
      expiresAt,
      roles,
    });
    expect(await tokens.authenticate(secret)).toEqual({
      user: "alice",
      groups: ["dev", "ops"],
      source: "api-token",
      tokenId: token.id,
      expiresAt,
      restrictedTo: roles,
    });
    const unrestricted = await tokens.create(alice, { name: "full" });
    expect((await tokens.authenticate(unrestricted.secret)).restrictedTo).toBeUndefined();
  });

  it("stores only the secret's hash, and expires the record with the token", async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 600;
    const { secret } = await tokens.create(bob, { name: "hashed", expiresAt });
    const raw = new Redis(REDIS_URL);
    try {
      const keys = await raw.keys(`${prefix}*`);
      const values = await Promise.all(keys.map((key) => raw.get(key)));
      expect(keys.join(" ") + values.join(" ")).not.toContain(secret.slice(4));
      const ttls = await Promise.all(
        keys.filter((k) => !k.includes("api-tokens-of:")).map((key) => raw.pttl(key)),
      );
      expect(ttls.some((ttl) => ttl > 590_000 && ttl <= 600_000)).toBe(true);
    } finally {
      await raw.quit();
    }
  });

  it("lists an owner's tokens without secrets, and only theirs", async () => {
    const carol: Subject = { user: "carol", groups: [], source: "oidc" };
    const first = await tokens.create(carol, { name: "one" });
    const second = await tokens.create(carol, { name: "two" });
    await tokens.create(bob, { name: "not-carols" });
    const listed = await tokens.list(carol);
    expect(listed.map((t) => t.id).sort()).toEqual([first.token.id, second.token.id].sort());
    expect(JSON.stringify(listed)).not.toContain("fgt_");
  });

  it("revokes a token: it no longer authenticates nor lists, and revoking again finds nothing", async () => {
    const dave: Subject = { user: "dave", groups: [], source: "oidc" };
    const { secret, token } = await tokens.create(dave, { name: "doomed" });
    const kept = await tokens.create(dave, { name: "kept" });
    expect((await tokens.revoke(token.id))?.name).toBe("doomed");
    await expect(tokens.authenticate(secret)).rejects.toMatchObject({ reason: "unknown-token" });
    expect((await tokens.list(dave)).map((t) => t.id)).toEqual([kept.token.id]);
    expect(await tokens.revoke(token.id)).toBeUndefined();
  });

  it("refuses an expired token, and a request for one that is already expired", async () => {
    const erin: Subject = { user: "erin", groups: [], source: "oidc" };
    const { secret } = await tokens.create(erin, {
      name: "brief",
      expiresAt: Math.floor(Date.now() / 1000) + 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const error = await tokens.authenticate(secret).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(await tokens.list(erin)).toEqual([]);
    await expect(tokens.create(erin, { name: "past", expiresAt: 1 })).rejects.toBeInstanceOf(ApiTokenError);
  });

  it("keeps every token when one owner creates many at once (the index is edited atomically)", async () => {
    const frank: Subject = { user: "frank", groups: [], source: "oidc" };
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) => tokens.create(frank, { name: `t${i}` })),
    );
    expect((await tokens.list(frank)).map((t) => t.id).sort()).toEqual(created.map((c) => c.token.id).sort());
  });
});
