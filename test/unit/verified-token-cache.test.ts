/** The authenticator's cache of verified tokens: bounded LRU, expiry, revocation by kind and id. */
import { describe, expect, it } from "vitest";
import { VerifiedTokenCache } from "../../auth/identity/verified-token-cache.js";
import type { Subject } from "../../auth/subject.js";

const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;
const subject = (user: string, extra: Partial<Subject> = {}): Subject => ({
  user,
  groups: [],
  source: "session",
  expiresAt: inSeconds(300),
  ...extra,
});

describe("VerifiedTokenCache", () => {
  it("drops the least recently used entry when full", () => {
    const cache = new VerifiedTokenCache(3, 60_000);
    cache.put("a", subject("a"));
    cache.put("b", subject("b"));
    cache.put("c", subject("c"));
    expect(cache.get("a")?.user).toBe("a");
    cache.put("d", subject("d"));
    expect(cache.get("b")).toBeUndefined();
    expect(["a", "c", "d"].map((h) => cache.get(h)?.user)).toEqual(["a", "c", "d"]);
    expect(cache.size).toBe(3);
  });

  it("never serves a token past its expiry, nor longer than the maximum age", async () => {
    const cache = new VerifiedTokenCache(10, 50);
    cache.put("expired", subject("x", { expiresAt: inSeconds(-1) }));
    expect(cache.get("expired")).toBeUndefined();
    cache.put("forever", subject("api", { source: "api-token", expiresAt: undefined }));
    expect(cache.get("forever")?.user).toBe("api");
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(cache.get("forever")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("drops every token of a revoked session, and only of that kind and id", () => {
    const cache = new VerifiedTokenCache(10, 60_000);
    cache.put("s1-old", subject("u", { tokenId: "s1" }));
    cache.put("s1-new", subject("u", { tokenId: "s1" }));
    cache.put("s2", subject("u", { tokenId: "s2" }));
    cache.put("api-s1", subject("u", { tokenId: "s1", source: "api-token" }));
    cache.drop({ kind: "session", id: "s1" });
    expect(["s1-old", "s1-new", "s2", "api-s1"].map((h) => cache.get(h) !== undefined)).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
});
