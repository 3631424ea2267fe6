import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Watch } from "@kubernetes/client-node";
import { POD, startFixture, type Fixture } from "./apiserver-fixture.js";
import { eventually } from "../support/eventually.js";
import type { KubeObject } from "../../src/kube/object.js";

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ bookmarkIntervalMs: 100 });
});
afterAll(() => f.close());

interface Seen {
  type: string;
  name: string | undefined;
  rv: string | undefined;
  kind: string | undefined;
  object: KubeObject;
}

/** Starts a client-node watch and records what arrives. */
async function watch(path: string, query: Record<string, string | number | boolean>, fixture = f) {
  const events: Seen[] = [];
  let done: { err: unknown } | undefined;
  const controller = await new Watch(fixture.kubeConfig()).watch(
    path,
    query,
    (type, object: KubeObject) =>
      events.push({
        type,
        name: object?.metadata?.name,
        rv: object?.metadata?.resourceVersion,
        kind: object?.kind,
        object,
      }),
    (err) => (done = { err }),
  );
  return { events, controller, done: () => done };
}

function pod(name: string, labels: Record<string, string> = {}) {
  return {
    metadata: { name, namespace: "team-a", labels },
    spec: { containers: [{ name: "main", image: "x" }] },
  };
}

describe("watch", () => {
  it("starts with ADDED for every current object, then streams live changes with kind and apiVersion", async () => {
    const w = await watch("/api/v1/namespaces/team-a/pods", {});
    await eventually(() => w.events.length === 4);
    expect(w.events.every((e) => e.type === "ADDED" && e.kind === "Pod")).toBe(true);
    f.store.create(POD, pod("live-1"));
    f.store.mutate(POD, "team-a", "live-1", (p) => void (p.metadata.labels = { touched: "yes" }));
    f.store.delete(POD, "team-a", "live-1");
    await eventually(() => w.events.length === 7);
    expect(w.events.slice(4).map((e) => `${e.type} ${e.name}`)).toEqual([
      "ADDED live-1",
      "MODIFIED live-1",
      "DELETED live-1",
    ]);
    expect(w.events[6]!.object.apiVersion).toBe("v1");
    w.controller.abort();
  });

  it("resumes from a resourceVersion by replaying history", async () => {
    const from = String(f.store.revision);
    f.store.create(POD, pod("resume-1"));
    f.store.create(POD, pod("resume-2"));
    const w = await watch("/api/v1/namespaces/team-a/pods", { resourceVersion: from });
    await eventually(() => w.events.length === 2);
    expect(w.events.map((e) => `${e.type} ${e.name}`)).toEqual(["ADDED resume-1", "ADDED resume-2"]);
    expect(Number(w.events[1]!.rv)).toBe(f.store.revision);
    w.controller.abort();
  });

  it("answers a compacted resourceVersion with HTTP 200 and one ERROR event carrying 410 Expired", async () => {
    const old = String(f.store.revision);
    f.store.create(POD, pod("after-compact"));
    f.store.compact();
    const res = await f.fetch(`/api/v1/namespaces/team-a/pods?watch=true&resourceVersion=${old}`);
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split("\n");
    expect(lines).toHaveLength(1);
    const event = JSON.parse(lines[0]!);
    expect(event.type).toBe("ERROR");
    expect(event.object).toMatchObject({ kind: "Status", code: 410, reason: "Expired" });
    expect(event.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it("sends BOOKMARK events carrying the current revision when asked", async () => {
    const w = await watch("/api/v1/namespaces/team-a/pods", {
      resourceVersion: String(f.store.revision),
      allowWatchBookmarks: true,
    });
    f.store.create(POD, pod("bookmarked"));
    await eventually(() => w.events.some((e) => e.type === "BOOKMARK" && Number(e.rv) >= f.store.revision));
    const bookmark = w.events.find((e) => e.type === "BOOKMARK")!;
    expect(bookmark.object).toEqual({
      kind: "Pod",
      apiVersion: "v1",
      metadata: { resourceVersion: bookmark.rv },
    });
    w.controller.abort();
  });

  it("ends the stream cleanly after timeoutSeconds", async () => {
    const started = Date.now();
    const w = await watch("/api/v1/namespaces/team-a/pods", {
      resourceVersion: String(f.store.revision),
      timeoutSeconds: 1,
    });
    const done = await eventually(() => w.done(), 5000);
    expect(done.err).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("sends a bookmark 2 s before timeoutSeconds, as kube-apiserver's watch cache does, so a quiet kind resumes from a current revision", async () => {
    const quiet = await startFixture({ bookmarkIntervalMs: 0 }); // no periodic bookmarks
    try {
      const started = Date.now();
      const query = { resourceVersion: String(quiet.store.revision), timeoutSeconds: 3 };
      const w = await watch("/api/v1/namespaces/team-a/pods", { ...query, allowWatchBookmarks: true }, quiet);
      const without = await watch("/api/v1/namespaces/team-a/pods", query, quiet);
      // Changes elsewhere move the revision on while this watch sees nothing of its own.
      quiet.store.create(POD, { ...pod("elsewhere"), metadata: { name: "elsewhere", namespace: "team-b" } });
      await eventually(() => w.events.length > 0, 5000);
      const at = Date.now() - started;
      expect(at).toBeGreaterThanOrEqual(900);
      expect(at).toBeLessThan(2800);
      expect(w.events).toHaveLength(1);
      expect(w.events[0]!.type).toBe("BOOKMARK");
      expect(w.events[0]!.rv).toBe(String(quiet.store.revision));
      expect(w.done()).toBeUndefined();
      const done = await eventually(() => w.done(), 5000);
      expect(done.err).toBeNull();
      await eventually(() => without.done(), 5000);
      expect(without.events).toEqual([]); // bookmarks only when asked for
    } finally {
      await quiet.close();
    }
  });

  it("applies label selectors, turning selector transitions into ADDED and DELETED", async () => {
    f.store.create(POD, pod("flip", { stage: "blue" }));
    const w = await watch("/api/v1/namespaces/team-a/pods", {
      resourceVersion: String(f.store.revision),
      labelSelector: "stage=green",
    });
    f.store.mutate(POD, "team-a", "flip", (p) => void (p.metadata.labels = { stage: "green" }));
    f.store.mutate(POD, "team-a", "flip", (p) => void (p.metadata.labels = { stage: "green", again: "1" }));
    f.store.mutate(POD, "team-a", "flip", (p) => void (p.metadata.labels = { stage: "blue" }));
    await eventually(() => w.events.length === 3);
    expect(w.events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    w.controller.abort();
  });

  it("watches a single object through fieldSelector=metadata.name", async () => {
    const w = await watch("/api/v1/namespaces/team-a/pods", { fieldSelector: "metadata.name=pod-1" });
    await eventually(() => w.events.length === 1);
    f.store.mutate(POD, "team-a", "pod-2", (p) => void (p.metadata.labels = { other: "x" }));
    f.store.mutate(POD, "team-a", "pod-1", (p) => void (p.metadata.labels = { mine: "x" }));
    await eventually(() => w.events.length === 2);
    expect(w.events.map((e) => `${e.type} ${e.name}`)).toEqual(["ADDED pod-1", "MODIFIED pod-1"]);
    w.controller.abort();
  });

  it("lets the fault switch drop every open watch", async () => {
    const a = await watch("/api/v1/namespaces/team-a/pods", { resourceVersion: String(f.store.revision) });
    const b = await watch("/api/v1/pods", { resourceVersion: String(f.store.revision) });
    await eventually(() => f.store.watcherCount() >= 2);
    expect(f.api.dropWatches()).toBeGreaterThanOrEqual(2);
    await eventually(() => a.done() && b.done());
    await eventually(() => f.store.watcherCount() === 0);
  });
});
