/**
 * The change feed: a bounded history per cluster that answers "what changed since" only as far
 * back as it is complete, listeners indexed by kind and namespace, and one listener's bug kept
 * from the others.
 */
import { describe, expect, it } from "vitest";
import type { CacheChange } from "../../src/cache/change.js";
import { ChangeFeed } from "../../src/cache/change-feed.js";
import { entry } from "./query-fixtures.js";

function change(
  resourceVersion: number,
  fields: { cluster?: string; kind?: string; namespace?: string; name?: string } = {},
): CacheChange {
  const name = fields.name ?? `obj-${resourceVersion}`;
  return {
    type: "MODIFIED",
    cluster: fields.cluster ?? "c1",
    kind: fields.kind ?? "Pod",
    entry: entry({
      name,
      uid: `uid-${name}`,
      namespace: fields.namespace ?? "default",
      kind: fields.kind ?? "Pod",
      resourceVersion: String(resourceVersion),
    }),
    previous: undefined,
    resourceVersion: String(resourceVersion),
  };
}

const versions = (changes: readonly CacheChange[] | undefined) => changes?.map((c) => c.resourceVersion);

describe("ChangeFeed history", () => {
  it("replays what changed after a version, oldest first, for the kind asked", () => {
    const feed = new ChangeFeed({ historyPerCluster: 10 });
    feed.listed("c1", "Pod", "10");
    feed.listed("c1", "Deployment", "10");
    feed.publish(change(11));
    feed.publish(change(12, { kind: "Deployment" }));
    feed.publish(change(13));
    expect(versions(feed.since("c1", "Pod", "10"))).toEqual(["11", "13"]);
    expect(versions(feed.since("c1", "Pod", "11"))).toEqual(["13"]);
    expect(versions(feed.since("c1", "Pod", "13"))).toEqual([]);
    expect(versions(feed.since("c1", "Deployment", "10"))).toEqual(["12"]);
  });

  it("keeps at most historyPerCluster changes and answers undefined past the evicted part", () => {
    const feed = new ChangeFeed({ historyPerCluster: 3 });
    feed.listed("c1", "Pod", "100");
    for (let rv = 101; rv <= 105; rv++) feed.publish(change(rv));
    // 101 and 102 were evicted: the history is complete only after 102.
    expect(feed.since("c1", "Pod", "100")).toBeUndefined();
    expect(feed.since("c1", "Pod", "101")).toBeUndefined();
    expect(versions(feed.since("c1", "Pod", "102"))).toEqual(["103", "104", "105"]);
    expect(versions(feed.since("c1", "Pod", "104"))).toEqual(["105"]);
  });

  it("bounds each cluster on its own, all kinds of a cluster sharing its bound", () => {
    const feed = new ChangeFeed({ historyPerCluster: 2 });
    for (const cluster of ["c1", "c2"]) {
      feed.listed(cluster, "Pod", "1");
      feed.listed(cluster, "Deployment", "1");
    }
    feed.publish(change(2, { cluster: "c1" }));
    feed.publish(change(3, { cluster: "c1", kind: "Deployment" }));
    feed.publish(change(4, { cluster: "c1", kind: "Deployment" }));
    feed.publish(change(2, { cluster: "c2" }));
    // c1's pod change was pushed out by its deployments; c2's is still held.
    expect(feed.since("c1", "Pod", "1")).toBeUndefined();
    expect(versions(feed.since("c1", "Deployment", "1"))).toEqual(["3", "4"]);
    expect(versions(feed.since("c2", "Pod", "1"))).toEqual(["2"]);
  });

  it("answers undefined for a kind never listed, a cluster unknown or dropped, and a version it cannot order", () => {
    const feed = new ChangeFeed({ historyPerCluster: 5 });
    feed.listed("c1", "Pod", "10");
    feed.publish(change(11));
    expect(feed.since("c1", "Deployment", "10")).toBeUndefined();
    expect(feed.since("c9", "Pod", "10")).toBeUndefined();
    expect(feed.since("c1", "Pod", "9")).toBeUndefined(); // before the first list
    expect(feed.since("c1", "Pod", "not-a-version")).toBeUndefined();
    feed.dropCluster("c1");
    expect(feed.since("c1", "Pod", "10")).toBeUndefined();
  });
});

describe("ChangeFeed listeners", () => {
  it("tells namespace-indexed listeners only their namespaces' changes, and the others every change of their kinds", () => {
    const feed = new ChangeFeed();
    const inA: string[] = [];
    const inAB: string[] = [];
    const any: string[] = [];
    const deployments: string[] = [];
    const seen = (into: string[]) => (c: CacheChange) => into.push(`${c.kind}/${c.entry.namespace}`);
    feed.subscribe({ kinds: ["Pod"], namespaces: new Set(["a"]) }, seen(inA));
    feed.subscribe({ kinds: ["Pod"], namespaces: new Set(["a", "b"]) }, seen(inAB));
    feed.subscribe({ kinds: ["Pod", "Deployment"] }, seen(any));
    feed.subscribe({ kinds: ["Deployment"] }, seen(deployments));
    feed.publish(change(1, { namespace: "a" }));
    feed.publish(change(2, { namespace: "b" }));
    feed.publish(change(3, { namespace: "c" }));
    feed.publish(change(4, { namespace: "a", kind: "Deployment" }));
    expect(inA).toEqual(["Pod/a"]);
    expect(inAB).toEqual(["Pod/a", "Pod/b"]);
    expect(any).toEqual(["Pod/a", "Pod/b", "Pod/c", "Deployment/a"]);
    expect(deployments).toEqual(["Deployment/a"]);
    expect(feed.registrations).toBe(1 + 2 + 2 + 1);
  });

  it("stops telling a listener once unsubscribed, and forgets its registrations", () => {
    const feed = new ChangeFeed();
    const told: string[] = [];
    const stop = feed.subscribe({ kinds: ["Pod"], namespaces: new Set(["a"]) }, (c) =>
      told.push(c.resourceVersion),
    );
    feed.publish(change(1, { namespace: "a" }));
    stop();
    feed.publish(change(2, { namespace: "a" }));
    expect(told).toEqual(["1"]);
    expect(feed.registrations).toBe(0);
  });

  it("tells the other listeners when one throws, and reports the error", () => {
    const errors: unknown[] = [];
    const feed = new ChangeFeed({ onListenerError: (e) => errors.push(e) });
    const before: string[] = [];
    const after: string[] = [];
    const inNamespace: string[] = [];
    feed.subscribe({ kinds: ["Pod"] }, (c) => before.push(c.resourceVersion));
    feed.subscribe({ kinds: ["Pod"] }, () => {
      throw new Error("a listener's bug");
    });
    feed.subscribe({ kinds: ["Pod"] }, (c) => after.push(c.resourceVersion));
    feed.subscribe({ kinds: ["Pod"], namespaces: new Set(["default"]) }, (c) =>
      inNamespace.push(c.resourceVersion),
    );
    feed.listed("c1", "Pod", "0");
    feed.publish(change(1));
    feed.publish(change(2));
    expect(before).toEqual(["1", "2"]);
    expect(after).toEqual(["1", "2"]);
    expect(inNamespace).toEqual(["1", "2"]);
    expect(errors).toHaveLength(2);
    expect((errors[0] as Error).message).toBe("a listener's bug");
    // The history is written before anyone is told: a throwing listener does not lose a change.
    expect(versions(feed.since("c1", "Pod", "0"))).toEqual(["1", "2"]);
  });
});

describe("ChangeFeed listeners by cluster and namespace", () => {
  it("tells a listener of (cluster, namespace) nothing of the namesake namespace elsewhere", () => {
    const feed = new ChangeFeed();
    const seen = {
      pair: [] as string[],
      cluster: [] as string[],
      namespace: [] as string[],
      any: [] as string[],
    };
    const record = (into: string[]) => (c: CacheChange) => into.push(`${c.cluster}/${c.entry.namespace}`);
    feed.subscribe(
      { kinds: ["Pod"], clusters: new Set(["c1"]), namespaces: new Set(["shop"]) },
      record(seen.pair),
    );
    feed.subscribe({ kinds: ["Pod"], clusters: new Set(["c1"]) }, record(seen.cluster));
    feed.subscribe({ kinds: ["Pod"], namespaces: new Set(["shop"]) }, record(seen.namespace));
    const stop = feed.subscribe({ kinds: ["Pod"] }, record(seen.any));
    feed.publish(change(1, { cluster: "c1", namespace: "shop" }));
    feed.publish(change(2, { cluster: "c2", namespace: "shop" }));
    feed.publish(change(3, { cluster: "c1", namespace: "cart" }));
    feed.publish(change(4, { cluster: "c1", namespace: "shop", kind: "Deployment" }));
    expect(seen.pair).toEqual(["c1/shop"]);
    expect(seen.cluster).toEqual(["c1/shop", "c1/cart"]);
    expect(seen.namespace).toEqual(["c1/shop", "c2/shop"]);
    expect(seen.any).toEqual(["c1/shop", "c2/shop", "c1/cart"]);
    expect(feed.registrations).toBe(4);
    stop();
    expect(feed.registrations).toBe(3);
  });
});
