/**
 * One contract, two stores: the Redis store (real Redis at 127.0.0.1:6379) and the memory store
 * must behave the same for everything identity relies on.
 */
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/store/memory-store.js";
import { RedisStore } from "../../src/store/redis-store.js";
import { StoreUnavailableError, type SharedStore } from "../../src/store/shared-store.js";
import { eventually } from "../support/eventually.js";
import { deleteRedisKeys, REDIS_URL, uniqueRedisPrefix } from "../support/redis.js";
import { startTcpProxy } from "../support/tcp-proxy.js";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StoreKind {
  name: string;
  /** Two handles on the same shared state (two replicas), and the prefix they use. */
  open(): { store: SharedStore; peer: SharedStore; prefix: string };
}

const KINDS: StoreKind[] = [
  {
    name: "RedisStore",
    open() {
      const prefix = uniqueRedisPrefix("store");
      return {
        prefix,
        store: new RedisStore({ url: REDIS_URL, keyPrefix: prefix }),
        peer: new RedisStore({ url: REDIS_URL, keyPrefix: prefix }),
      };
    },
  },
  {
    name: "MemoryStore",
    open() {
      const store = new MemoryStore();
      return { prefix: "", store, peer: store };
    },
  },
];

describe.each(KINDS)("$name", (kind) => {
  let store: SharedStore;
  let peer: SharedStore;
  let prefix: string;

  beforeEach(() => {
    ({ store, peer, prefix } = kind.open());
  });
  afterEach(async () => {
    await store.close();
    if (peer !== store) await peer.close();
    if (prefix) await deleteRedisKeys(prefix);
  });

  it("reads what was set, from another handle too, and forgets deleted keys", async () => {
    expect(await store.get("a")).toBeUndefined();
    await store.set("a", "1");
    expect(await peer.get("a")).toBe("1");
    await store.set("a", "2");
    expect(await peer.get("a")).toBe("2");
    await peer.delete("a");
    expect(await store.get("a")).toBeUndefined();
  });

  it("expires keys after their TTL, and set without a TTL keeps a key", async () => {
    await store.set("short", "x", 80);
    await store.set("long", "y", 60_000);
    await store.set("forever", "z", 80);
    await store.set("forever", "z2");
    expect(await store.get("short")).toBe("x");
    await sleep(160);
    expect(await store.get("short")).toBeUndefined();
    expect(await store.take("short")).toBeUndefined();
    expect(await store.get("long")).toBe("y");
    expect(await store.get("forever")).toBe("z2");
  });

  it("gives a taken value to exactly one of many concurrent takers", async () => {
    await store.set("once", "secret");
    const taken = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? store : peer).take("once")),
    );
    expect(taken.filter((value) => value === "secret")).toHaveLength(1);
    expect(taken.filter((value) => value === undefined)).toHaveLength(19);
    expect(await store.get("once")).toBeUndefined();
  });

  it("compares and sets: absent, present, stale expectation, and one winner among racers", async () => {
    expect(await store.compareAndSet("c", "nope", "1")).toBe(false);
    expect(await store.get("c")).toBeUndefined();
    expect(await store.compareAndSet("c", undefined, "1")).toBe(true);
    expect(await store.compareAndSet("c", undefined, "x")).toBe(false);
    expect(await store.compareAndSet("c", "1", "")).toBe(true);
    // An empty string is a value, not absence.
    expect(await store.compareAndSet("c", undefined, "x")).toBe(false);
    expect(await store.compareAndSet("c", "", "2", 80)).toBe(true);
    expect(await peer.get("c")).toBe("2");
    const wins = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? store : peer).compareAndSet("c", "2", `w${i}`)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    await store.set("ttl", "a");
    expect(await store.compareAndSet("ttl", "a", "b", 80)).toBe(true);
    await sleep(160);
    expect(await store.get("ttl")).toBeUndefined();
  });

  it("keeps sets: members added and removed without rewriting the set, seen by another handle", async () => {
    expect(await store.setMembers("s")).toEqual([]);
    await store.addToSet("s", ["a", "b"]);
    await peer.addToSet("s", ["b", "c"]);
    expect((await peer.setMembers("s")).sort()).toEqual(["a", "b", "c"]);
    await peer.removeFromSet("s", ["a", "missing"]);
    expect((await store.setMembers("s")).sort()).toEqual(["b", "c"]);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.addToSet("s", [`m${i}`])));
    expect(await peer.setMembers("s")).toHaveLength(52);
    await store.delete("s");
    expect(await store.setMembers("s")).toEqual([]);
  });

  it("keeps bounded logs: newest first, a member's first score kept, the oldest dropped, expiring", async () => {
    await store.addToLog(
      "log",
      [
        { member: "a", score: 1 },
        { member: "b", score: 2 },
      ],
      3,
      60_000,
    );
    await peer.addToLog(
      "log",
      [
        { member: "a", score: 9 },
        { member: "c", score: 3 },
        { member: "d", score: 4 },
      ],
      3,
      60_000,
    );
    expect(await peer.newestInLog("log", 10)).toEqual(["d", "c", "b"]);
    expect(await store.newestInLog("log", 2)).toEqual(["d", "c"]);
    await store.addToLog("short", [{ member: "x", score: 1 }], 10, 30);
    await sleep(60);
    expect(await store.newestInLog("short", 10)).toEqual([]);
  });

  it("refuses TTLs that are not positive whole milliseconds", async () => {
    await expect(store.set("k", "v", 0)).rejects.toThrow(RangeError);
    await expect(store.set("k", "v", 1.5)).rejects.toThrow(RangeError);
    await expect(store.compareAndSet("k", undefined, "v", -1)).rejects.toThrow(RangeError);
    expect(await store.get("k")).toBeUndefined();
  });

  it("delivers published messages to every subscriber of the channel, and none after unsubscribe", async () => {
    const first: string[] = [];
    const second: string[] = [];
    const other: string[] = [];
    const stopFirst = await store.subscribe("news", (m) => first.push(m));
    await peer.subscribe("news", (m) => second.push(m));
    await peer.subscribe("other", (m) => other.push(m));
    await store.publish("news", "one");
    await eventually(() => first.length === 1 && second.length === 1);
    await stopFirst();
    await peer.publish("news", "two");
    await eventually(() => second.length === 2);
    await sleep(50);
    expect(first).toEqual(["one"]);
    expect(second).toEqual(["one", "two"]);
    expect(other).toEqual([]);
  });

  it("fails with StoreUnavailableError once closed", async () => {
    const { store: closing, peer: closingPeer } = kind.open();
    await closing.close();
    await expect(closing.get("k")).rejects.toBeInstanceOf(StoreUnavailableError);
    if (closingPeer !== closing) await closingPeer.close();
  });
});

describe("RedisStore's key prefix", () => {
  const raw = new Redis(REDIS_URL);
  afterAll(async () => {
    await raw.quit();
  });

  it("keeps every key and channel under its prefix, so stores with other prefixes never meet", async () => {
    const a = uniqueRedisPrefix("store");
    const b = uniqueRedisPrefix("store");
    const storeA = new RedisStore({ url: REDIS_URL, keyPrefix: a });
    const storeB = new RedisStore({ url: REDIS_URL, keyPrefix: b });
    try {
      await storeA.set("k", "from-a", 60_000);
      expect(await storeB.get("k")).toBeUndefined();
      expect(await raw.get(`${a}k`)).toBe("from-a");
      expect(await raw.pttl(`${a}k`)).toBeGreaterThan(59_000);
      const heardByB: string[] = [];
      await storeB.subscribe("ch", (m) => heardByB.push(m));
      const heardRaw: string[] = [];
      const rawSubscriber = new Redis(REDIS_URL);
      rawSubscriber.on("message", (_channel: string, m: string) => heardRaw.push(m));
      await rawSubscriber.subscribe(`${a}ch`);
      await storeA.publish("ch", "hello");
      await eventually(() => heardRaw.length === 1);
      expect(heardByB).toEqual([]);
      await rawSubscriber.quit();
    } finally {
      await storeA.close();
      await storeB.close();
      await deleteRedisKeys(a);
    }
  });
});

describe("RedisStore after its connection came back", () => {
  it("counts the subscriptions as back only once Redis confirmed them: a message published then is heard", async () => {
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(REDIS_URL).port) }, "redis");
    const prefix = uniqueRedisPrefix("store-resubscribe");
    const store = new RedisStore({ url: proxy.url, keyPrefix: prefix });
    const peer = new RedisStore({ url: REDIS_URL, keyPrefix: prefix });
    const heard: string[] = [];
    let told = 0;
    store.onResubscribed(() => told++);
    try {
      await store.subscribe("news", (m) => heard.push(m));
      const before = store.subscriptionEpoch;
      expect(before).not.toBeUndefined();
      await proxy.cut();
      await eventually(() => store.subscriptionEpoch === undefined, 5_000);
      await proxy.restore();
      // Published the moment the epoch says the channel is heard again, from another connection.
      await new Promise<void>((resolve) => {
        const poll = (): void => {
          if (store.subscriptionEpoch === undefined) return void setImmediate(poll);
          void peer.publish("news", "right after").then(() => resolve());
        };
        poll();
      });
      await eventually(() => heard.length === 1, 2_000);
      expect(heard).toEqual(["right after"]);
      expect(store.subscriptionEpoch).not.toBe(before);
      expect(told).toBeGreaterThanOrEqual(1);
    } finally {
      await store.close();
      await peer.close();
      await proxy.close();
      await deleteRedisKeys(prefix);
    }
  });
});
