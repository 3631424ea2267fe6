import { describe, expect, it } from "vitest";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { IndexedStore } from "../../src/cache/indexed-store.js";
import type { CacheEntry } from "../../src/cache/entry.js";
import { KINDS } from "../../src/kinds/index.js";
import { pod, podKind, uids, type PodData } from "./query-fixtures.js";

const owner = (uid: string) => ({ kind: "ReplicaSet", name: `rs-${uid}`, uid });
const sorted = (entries: Iterable<CacheEntry>) => uids([...entries]).sort();

function podStore() {
  return new IndexedStore<PodData>("c1", podKind);
}

describe("IndexedStore", () => {
  it("indexes by uid, name, namespace, every label, owner and node", () => {
    const store = podStore();
    const a = pod(
      { uid: "a", name: "web-1", namespace: "shop", labels: { app: "web", tier: "fe" }, owner: owner("rs1") },
      { nodeName: "n1" },
    );
    const b = pod({
      uid: "b",
      name: "web-2",
      namespace: "shop",
      labels: { app: "web" },
      owner: owner("rs1"),
    });
    const c = pod({ uid: "c", name: "db-1", namespace: "data", labels: { app: "db" } }, { nodeName: "n1" });
    [a, b, c].forEach((e) => store.upsert(e));

    expect(store.size).toBe(3);
    expect(store.get("b")).toBe(b);
    expect(store.get("zzz")).toBeUndefined();
    expect(store.getByName("shop", "web-1")).toBe(a);
    expect(store.getByName("data", "web-1")).toBeUndefined();
    expect(sorted(store.byNamespace("shop"))).toEqual(["a", "b"]);
    expect(sorted(store.byNamespace("nope"))).toEqual([]);
    expect(sorted(store.byLabel("app", "web"))).toEqual(["a", "b"]);
    expect(sorted(store.byLabel("tier", "fe"))).toEqual(["a"]);
    expect(sorted(store.byLabel("tier", "be"))).toEqual([]);
    expect(sorted(store.byOwner("rs1"))).toEqual(["a", "b"]);
    expect(sorted(store.byIndex("node", "n1"))).toEqual(["a", "c"]);
    expect(sorted(store.all())).toEqual(["a", "b", "c"]);
    expect([store.namespaceCount("shop"), store.labelCount("app", "web"), store.ownerCount("rs1")]).toEqual([
      2, 2, 2,
    ]);
    expect(store.indexCount("node", "n1")).toBe(2);
  });

  it("moves an entry between buckets when an upsert changes its labels, namespace, owner or node", () => {
    const store = podStore();
    store.upsert(
      pod(
        { uid: "a", name: "p", namespace: "ns1", labels: { app: "web", v: "1" }, owner: owner("o1") },
        { nodeName: "n1" },
      ),
    );
    const updated = pod(
      { uid: "a", name: "p", namespace: "ns2", labels: { app: "api", extra: "x" }, owner: owner("o2") },
      { nodeName: "n2" },
    );
    store.upsert(updated);

    expect(store.size).toBe(1);
    expect(store.get("a")).toBe(updated);
    expect(store.getByName("ns1", "p")).toBeUndefined();
    expect(store.getByName("ns2", "p")).toBe(updated);
    expect(sorted(store.byNamespace("ns1"))).toEqual([]);
    expect(sorted(store.byNamespace("ns2"))).toEqual(["a"]);
    expect(sorted(store.byLabel("app", "web"))).toEqual([]);
    expect(sorted(store.byLabel("v", "1"))).toEqual([]);
    expect(sorted(store.byLabel("app", "api"))).toEqual(["a"]);
    expect(sorted(store.byLabel("extra", "x"))).toEqual(["a"]);
    expect(sorted(store.byOwner("o1"))).toEqual([]);
    expect(sorted(store.byOwner("o2"))).toEqual(["a"]);
    expect(sorted(store.byIndex("node", "n1"))).toEqual([]);
    expect(sorted(store.byIndex("node", "n2"))).toEqual(["a"]);
    expect(store.namespaceCount("ns1") + store.labelCount("app", "web") + store.ownerCount("o1")).toBe(0);
    expect(store.indexCount("node", "n1")).toBe(0);
  });

  it("serves the newest object of a bucket after an update that keeps its index values", () => {
    const store = podStore();
    store.upsert(pod({ uid: "a", name: "p", labels: { app: "web" } }, { phase: "Pending", nodeName: "n1" }));
    const running = pod(
      { uid: "a", name: "p", labels: { app: "web" } },
      { phase: "Running", nodeName: "n1" },
    );
    store.upsert(running);
    for (const bucket of [
      store.byLabel("app", "web"),
      store.byNamespace("default"),
      store.byIndex("node", "n1"),
      store.all(),
    ]) {
      expect([...bucket]).toEqual([running]);
    }
  });

  it("removes an entry from every index, and ignores unknown uids", () => {
    const store = podStore();
    store.upsert(pod({ uid: "a", name: "p", labels: { app: "web" }, owner: owner("o") }, { nodeName: "n" }));
    store.remove("nope");
    expect(store.size).toBe(1);
    store.remove("a");
    expect(store.size).toBe(0);
    expect(store.get("a")).toBeUndefined();
    expect(store.getByName("default", "p")).toBeUndefined();
    for (const bucket of [
      store.byLabel("app", "web"),
      store.byNamespace("default"),
      store.byIndex("node", "n"),
      store.byOwner("o"),
    ]) {
      expect([...bucket]).toEqual([]);
    }
  });

  it("evicts an older object of the same namespace/name under another uid (delete + recreate)", () => {
    const store = podStore();
    store.upsert(pod({ uid: "old", name: "p", labels: { gen: "1" } }));
    const recreated = pod({ uid: "new", name: "p", labels: { gen: "2" } });
    store.upsert(recreated);
    expect(store.size).toBe(1);
    expect(store.get("old")).toBeUndefined();
    expect(store.getByName("default", "p")).toBe(recreated);
    expect(sorted(store.byLabel("gen", "1"))).toEqual([]);
  });

  it("replace() swaps the whole content: entries not in the list are gone from every index", () => {
    const store = podStore();
    store.upsert(
      pod(
        { uid: "gone", name: "g", namespace: "a", labels: { app: "x" }, owner: owner("o") },
        { nodeName: "n" },
      ),
    );
    store.upsert(pod({ uid: "kept", name: "k", namespace: "a", labels: { app: "x" } }));
    const kept = pod({ uid: "kept", name: "k", namespace: "b", labels: { app: "y" } });
    const added = pod({ uid: "added", name: "n", namespace: "b", labels: { app: "y" } }, { nodeName: "n" });
    store.replace([kept, added]);

    expect(store.size).toBe(2);
    expect(store.get("gone")).toBeUndefined();
    expect(store.get("kept")).toBe(kept);
    expect(sorted(store.byNamespace("a"))).toEqual([]);
    expect(sorted(store.byNamespace("b"))).toEqual(["added", "kept"]);
    expect(sorted(store.byLabel("app", "x"))).toEqual([]);
    expect(sorted(store.byLabel("app", "y"))).toEqual(["added", "kept"]);
    expect(sorted(store.byOwner("o"))).toEqual([]);
    expect(sorted(store.byIndex("node", "n"))).toEqual(["added"]);

    store.replace([]);
    expect(store.size).toBe(0);
    expect([...store.all()]).toEqual([]);
  });

  it("keeps its old content when replace() fails half-way", () => {
    const store = new IndexedStore<PodData>("c1", {
      ...podKind,
      indexes: {
        node: (e) => {
          if (e.name === "bad") throw new Error("broken projection");
          return undefined;
        },
      },
    });
    store.upsert(pod({ uid: "a", name: "a" }));
    expect(() => store.replace([pod({ uid: "b", name: "b" }), pod({ uid: "c", name: "bad" })])).toThrow(
      "broken",
    );
    expect(sorted(store.all())).toEqual(["a"]);
  });

  it("folds names to lower case only when they have upper-case letters", () => {
    const store = podStore();
    const upper = pod({ uid: "u", name: "Web-API" });
    const lower = pod({ uid: "l", name: "web-db" });
    store.upsert(lower);
    expect(store.foldedName(lower)).toBe("web-db");
    store.upsert(upper);
    expect(store.foldedName(upper)).toBe("web-api");
    store.remove("u");
    expect(store.foldedName(lower)).toBe("web-db");
  });

  it("has no named index its kind does not declare", () => {
    const store = new IndexedStore<PodData>("c1", { ...podKind, indexes: undefined });
    store.upsert(pod({ uid: "a", name: "a" }, { nodeName: "n1" }));
    expect(store.hasIndex("node")).toBe(false);
    expect([...store.byIndex("node", "n1")]).toEqual([]);
    expect(store.indexCount("node", "n1")).toBe(0);
    expect(store.indexKey("node", store.get("a")!)).toBeUndefined();

    const indexed = podStore();
    indexed.upsert(pod({ uid: "a", name: "a" }, { nodeName: "n1" }));
    expect(indexed.hasIndex("node")).toBe(true);
    expect(indexed.indexKey("node", indexed.get("a")!)).toBe("n1");
  });
});

describe("FleetIndex", () => {
  it("creates a store per (cluster, kind) on first use and finds it again", () => {
    const index = new FleetIndex(KINDS);
    expect(index.find("c1", "Pod")).toBeUndefined();
    const pods = index.store("c1", "Pod");
    expect(index.store("c1", "Pod")).toBe(pods);
    expect(index.find("c1", "Pod")).toBe(pods);
    expect(index.store("c1", "Node")).not.toBe(pods);
    pods.upsert(pod({ uid: "a", name: "a" }, { nodeName: "n1" }));
    expect(uids([...pods.byIndex("node", "n1")])).toEqual(["a"]);

    index.store("c2", "Pod");
    expect(index.clusters().sort()).toEqual(["c1", "c2"]);
    expect(
      index
        .stores("Pod")
        .map((s) => s.cluster)
        .sort(),
    ).toEqual(["c1", "c2"]);
    expect(index.stores("Node").map((s) => s.cluster)).toEqual(["c1"]);
    expect(index.stores("Event")).toEqual([]);
    // The kinds are data: a store's scope comes from its kind's API path, and an uncached kind has none.
    expect(index.clusterScoped("Node")).toBe(true);
    expect(index.clusterScoped("Pod")).toBe(false);
    expect(index.store("c1", "Node").clusterScoped).toBe(true);
    expect(() => index.store("c1", "Widget")).toThrow(TypeError);

    index.dropCluster("c1");
    expect(index.clusters()).toEqual(["c2"]);
    expect(index.find("c1", "Pod")).toBeUndefined();
    expect(index.stores("Node")).toEqual([]);
  });
});
