import { describe, expect, it } from "vitest";
import { ClusterStore, type StoreEvent } from "../../sim/store/cluster-store.js";
import { findResource } from "../../sim/kinds.js";
import { StatusError } from "../../sim/errors.js";
import type { KubeObject } from "../../src/kube/object.js";

const NS = findResource("", "namespaces")!;
const POD = findResource("", "pods")!;
const DEPLOY = findResource("apps", "deployments")!;

function seeded(pods = 10): ClusterStore {
  const store = new ClusterStore({ clusterName: "c1", historySize: 100 });
  store.create(NS, { metadata: { name: "a" } });
  store.create(NS, { metadata: { name: "b" } });
  for (let i = 0; i < pods; i++) {
    store.create(POD, {
      metadata: {
        name: `p${String(i).padStart(2, "0")}`,
        namespace: i % 2 ? "a" : "b",
        labels: { i: String(i) },
      },
    });
  }
  return store;
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error("expected a StatusError");
}

describe("ClusterStore", () => {
  it("stamps metadata from one revision counter", () => {
    const store = seeded(2);
    const pod = store.get(POD, "b", "p00")!;
    expect(pod.metadata.resourceVersion).toBe("3");
    expect(pod.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.revision).toBe(4);
    expect(pod.kind).toBeUndefined();
  });

  it("rejects duplicates, missing namespaces, bad names and stale updates with real Status reasons", () => {
    const store = seeded(1);
    expect(statusOf(() => store.create(POD, { metadata: { name: "p00", namespace: "b" } })).reason).toBe(
      "AlreadyExists",
    );
    expect(statusOf(() => store.create(POD, { metadata: { name: "x", namespace: "zz" } })).code).toBe(404);
    expect(statusOf(() => store.create(POD, { metadata: { name: "Bad_Name", namespace: "a" } })).code).toBe(
      422,
    );
    const stale = { ...store.get(POD, "b", "p00")! };
    store.mutate(POD, "b", "p00", (d) => void (d.metadata.labels = { x: "1" }));
    const conflict = statusOf(() => store.update(POD, stale, { checkVersion: true }));
    expect(conflict.reason).toBe("Conflict");
    expect(conflict.message).toContain("the object has been modified");
  });

  it("generates names and bumps generation only on spec changes", () => {
    const store = seeded(0);
    const d = store.create(DEPLOY, {
      metadata: { generateName: "web-", namespace: "a" },
      spec: { replicas: 1 },
    });
    expect(d.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(d.metadata.generation).toBe(1);
    const relabelled = store.mutate(
      DEPLOY,
      "a",
      d.metadata.name!,
      (o) => void (o.metadata.labels = { a: "b" }),
    )!;
    expect(relabelled.metadata.generation).toBe(1);
    const scaled = store.mutate(
      DEPLOY,
      "a",
      d.metadata.name!,
      (o) => void ((o.spec as { replicas: number }).replicas = 3),
    )!;
    expect(scaled.metadata.generation).toBe(2);
  });

  it("pages through a consistent snapshot even while objects change", () => {
    const store = seeded(10);
    const first = store.list(POD, { limit: 4 });
    expect(first.items.map((p) => p.metadata.name)).toEqual(["p01", "p03", "p05", "p07"]);
    expect(first.remainingItemCount).toBe(6);
    store.delete(POD, "b", "p00");
    store.create(POD, { metadata: { name: "p99", namespace: "a" } });
    store.mutate(POD, "b", "p08", (p) => void (p.metadata.labels = { changed: "yes" }));
    const names: string[] = first.items.map((p) => p.metadata.name!);
    let token = first.continueToken;
    while (token) {
      const page = store.list(POD, { limit: 4, continueToken: token });
      expect(page.revision).toBe(first.revision);
      names.push(...page.items.map((p) => p.metadata.name!));
      const p08 = page.items.find((p) => p.metadata.name === "p08");
      if (p08) expect(p08.metadata.labels).toEqual({ i: "8" });
      token = page.continueToken;
    }
    expect(names.sort()).toEqual(["p00", "p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09"]);
  });

  it("answers an expired continue token with 410 and a malformed one with 400", () => {
    const store = seeded(6);
    const first = store.list(POD, { limit: 2 });
    store.compact();
    store.create(POD, { metadata: { name: "late", namespace: "a" } });
    const expired = statusOf(() => store.list(POD, { limit: 2, continueToken: first.continueToken! }));
    expect([expired.code, expired.reason]).toEqual([410, "Expired"]);
    expect(statusOf(() => store.list(POD, { continueToken: "%%%not-a-token" })).code).toBe(400);
  });

  it("replays history to a watch and turns selector transitions into ADDED/DELETED", () => {
    const store = seeded(2);
    const from = store.revision;
    store.mutate(POD, "b", "p00", (p) => void (p.metadata.labels = { i: "0", sel: "yes" }));
    const events: StoreEvent[] = [];
    const stop = store.watch(
      POD,
      { fromRevision: from, predicate: (o: KubeObject) => o.metadata.labels?.sel === "yes" },
      (e) => events.push(e),
    );
    store.mutate(POD, "b", "p00", (p) => void (p.metadata.labels = { i: "0" }));
    store.mutate(POD, "a", "p01", (p) => void (p.metadata.labels = { sel: "yes" }));
    store.delete(POD, "a", "p01");
    stop();
    store.create(POD, { metadata: { name: "after-stop", namespace: "a", labels: { sel: "yes" } } });
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      "ADDED p00",
      "DELETED p00",
      "ADDED p01",
      "DELETED p01",
    ]);
    expect(Number(events[3]!.object.metadata.resourceVersion)).toBe(store.revision - 1);
  });

  it("refuses a watch from a revision older than its history with 410 Expired", () => {
    const store = new ClusterStore({ clusterName: "c1", historySize: 3 });
    store.create(NS, { metadata: { name: "a" } });
    for (let i = 0; i < 5; i++) store.create(POD, { metadata: { name: `p${i}`, namespace: "a" } });
    const err = statusOf(() => store.watch(POD, { fromRevision: 1 }, () => undefined));
    expect(err.code).toBe(410);
    expect(err.message).toMatch(/too old resource version: 1/);
    expect(() => store.watch(POD, { fromRevision: store.revision - 2 }, () => undefined)).not.toThrow();
  });

  it("keeps objects with finalizers until they are removed, and indexes owners", () => {
    const store = seeded(0);
    const owner = store.create(DEPLOY, { metadata: { name: "d", namespace: "a" }, spec: {} });
    store.create(POD, {
      metadata: {
        name: "child",
        namespace: "a",
        finalizers: ["example.com/hold"],
        ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "d", uid: owner.metadata.uid! }],
      },
    });
    expect(store.ownedBy(owner.metadata.uid!).map((o) => o.object.metadata.name)).toEqual(["child"]);
    const marked = store.delete(POD, "a", "child");
    expect(marked.removed).toBe(false);
    expect(store.get(POD, "a", "child")!.metadata.deletionTimestamp).toBeDefined();
    store.mutate(POD, "a", "child", (p) => void (p.metadata.finalizers = []));
    expect(store.get(POD, "a", "child")).toBeUndefined();
    expect(store.ownedBy(owner.metadata.uid!)).toEqual([]);
  });

  it("marks a namespace Terminating and refuses new content in it", () => {
    const store = new ClusterStore({ clusterName: "c1" });
    store.create(NS, {
      metadata: { name: "gone" },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
    const { object, removed } = store.delete(NS, undefined, "gone");
    expect(removed).toBe(false);
    expect((object.status as { phase: string }).phase).toBe("Terminating");
    const err = statusOf(() => store.create(POD, { metadata: { name: "x", namespace: "gone" } }));
    expect(err.code).toBe(403);
    expect(err.message).toContain("because it is being terminated");
  });
});
