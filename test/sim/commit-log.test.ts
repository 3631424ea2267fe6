/** The store's commit log: when each recent revision was committed, and what it changed. */
import { describe, expect, it } from "vitest";
import { findResource } from "../../sim/kinds.js";
import { ClusterStore } from "../../sim/store/cluster-store.js";
import { CommitLog } from "../../sim/store/commit-log.js";

const NS = findResource("", "namespaces")!;
const POD = findResource("", "pods")!;

describe("the commit log", () => {
  it("tells each revision's commit time, type, resource and namespace, filtered by resource", () => {
    const store = new ClusterStore({ clusterName: "c1" });
    const before = performance.timeOrigin + performance.now();
    store.create(NS, { metadata: { name: "a" } });
    store.create(POD, { metadata: { name: "p", namespace: "a" } });
    store.mutate(POD, "a", "p", (draft) => {
      draft.metadata.labels = { x: "1" };
    });
    store.delete(POD, "a", "p");
    const after = performance.timeOrigin + performance.now();

    const all = store.commitsBetween(0, store.revision);
    expect(all.map((c) => [c.revision, c.type, c.resource, c.namespace])).toEqual([
      [1, "ADDED", "namespaces", undefined],
      [2, "ADDED", "pods", "a"],
      [3, "MODIFIED", "pods", "a"],
      [4, "DELETED", "pods", "a"],
    ]);
    for (const c of all) {
      expect(c.at).toBeGreaterThanOrEqual(before);
      expect(c.at).toBeLessThanOrEqual(after);
    }
    // `from` is exclusive, `to` inclusive.
    expect(store.commitsBetween(1, 3, "pods").map((c) => c.revision)).toEqual([2, 3]);
  });

  it("leaves out revisions that made no commit (a compaction) and those overwritten", () => {
    const store = new ClusterStore({ clusterName: "c1" });
    store.create(NS, { metadata: { name: "a" } });
    store.compact();
    store.create(NS, { metadata: { name: "b" } });
    expect(store.commitsBetween(0, 10).map((c) => c.revision)).toEqual([1, 3]);

    const log = new CommitLog(4);
    for (let revision = 1; revision <= 10; revision++) log.record(revision, "MODIFIED", POD, "a");
    expect(log.between(0, 10).map((c) => c.revision)).toEqual([7, 8, 9, 10]);
    expect(log.between(8, 9).map((c) => c.revision)).toEqual([9]);
  });
});
