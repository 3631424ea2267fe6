import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import { StatusError } from "../../sim/errors.js";
import { restartContainer, startControllers, type Controllers } from "../../sim/controllers/index.js";
import type { ClusterStore } from "../../sim/store/cluster-store.js";
import {
  K,
  deployment,
  eventsFor,
  newCluster,
  node,
  phase,
  podsOf,
  status,
  until,
} from "./controllers-fixtures.js";

let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

function start(
  store: ClusterStore,
  options: { maxEvents?: number; podStartDelayMs?: number } = {},
): Controllers {
  controllers = startControllers(store, { podStartDelayMs: 20, ...options });
  return controllers;
}

const bare = (name: string): KubeObject => ({
  metadata: { name, namespace: "shop", labels: { app: name } },
  spec: { containers: [{ name: "main", image: "ghcr.io/acme/worker:2.1" }] },
});

describe("scheduler", () => {
  it("binds to the node with the fewest pods and records Scheduled", () => {
    const store = newCluster(["node-a", "node-b"]);
    const c = start(store);
    store.create(K.deploy, deployment("web", 3)); // leaves node-a with 2, node-b with 1
    c.runUntilIdle();
    const pod = store.create(K.pod, bare("solo"));
    c.runUntilIdle();
    const bound = store.get(K.pod, "shop", pod.metadata.name!)!;
    expect((bound.spec as { nodeName: string }).nodeName).toBe("node-b");
    const scheduled = eventsFor(store, "solo").find((e) => e.reason === "Scheduled")!;
    expect(scheduled).toMatchObject({
      type: "Normal",
      message: "Successfully assigned shop/solo to node-b",
      source: { component: "default-scheduler" },
      reportingComponent: "default-scheduler",
    });
  });

  it("leaves a pod Pending with FailedScheduling when no node fits, and binds it once one is ready", () => {
    const store = newCluster([]);
    store.create(K.node, node("node-x", { ready: false }));
    store.create(K.node, node("node-y", { unschedulable: true }));
    const c = start(store);
    store.create(K.pod, bare("waiting"));
    c.runUntilIdle();
    let pod = store.get(K.pod, "shop", "waiting")!;
    expect(phase(pod)).toBe("Pending");
    const message =
      "0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
    expect((status(pod).conditions as unknown[])[0]).toMatchObject({
      type: "PodScheduled",
      status: "False",
      reason: "Unschedulable",
      message,
    });
    expect(eventsFor(store, "waiting").find((e) => e.reason === "FailedScheduling")).toMatchObject({
      type: "Warning",
      message,
    });

    store.mutate(K.node, undefined, "node-x", (n) => {
      (n.status as { conditions: { status: string }[] }).conditions[0]!.status = "True";
    });
    c.runUntilIdle();
    pod = store.get(K.pod, "shop", "waiting")!;
    expect((pod.spec as { nodeName: string }).nodeName).toBe("node-x");
    expect(phase(pod)).toBe("Running");
  });
});

describe("namespace lifecycle and garbage collection", () => {
  it("deletes a namespace's contents, then the namespace", async () => {
    const store = newCluster();
    start(store);
    store.create(K.ns, { metadata: { name: "temp" } });
    // Created without defaults: the controller adds the finalizer and phase.
    await until(() => (status(store.get(K.ns, undefined, "temp")).phase as string) === "Active");
    expect(store.get(K.ns, undefined, "temp")!.spec).toEqual({ finalizers: ["kubernetes"] });
    store.create(K.deploy, deployment("web", 2, "nginx:1.25", "temp"));
    store.create(K.cm, { metadata: { name: "settings", namespace: "temp" }, data: { a: "1" } });
    await until(() => podsOf(store, "temp", "web").filter((p) => phase(p) === "Running").length === 2);

    const { object, removed } = store.delete(K.ns, undefined, "temp");
    expect(removed).toBe(false);
    expect(status(object).phase).toBe("Terminating");
    await until(() => store.get(K.ns, undefined, "temp") === undefined);
    for (const k of [K.pod, K.rs, K.deploy, K.cm, K.event]) expect(store.all(k, "temp")).toEqual([]);
    expect(store.get(K.ns, undefined, "shop")).toBeDefined();
  });

  it("deletes a Deployment's ReplicaSets and pods when the Deployment goes", () => {
    const store = newCluster();
    const c = start(store);
    store.create(K.deploy, deployment("web", 3));
    store.create(K.deploy, deployment("api", 1));
    c.runUntilIdle();
    expect(store.count(K.pod)).toBe(4);
    store.delete(K.deploy, "shop", "web");
    c.runUntilIdle();
    expect(store.all(K.rs, "shop").map((rs) => rs.metadata.ownerReferences![0]!.name)).toEqual(["api"]);
    expect(podsOf(store, "shop", "web")).toEqual([]);
    expect(podsOf(store, "shop", "api")).toHaveLength(1);
  });

  it("releases rather than deletes a dependent that another live owner still holds", () => {
    const store = newCluster();
    const c = start(store);
    const a = store.create(K.cm, { metadata: { name: "owner-a", namespace: "shop" } });
    const b = store.create(K.cm, { metadata: { name: "owner-b", namespace: "shop" } });
    const ref = (o: typeof a) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      name: o.metadata.name!,
      uid: o.metadata.uid!,
    });
    store.create(K.cm, {
      metadata: { name: "shared", namespace: "shop", ownerReferences: [ref(a), ref(b)] },
    });
    store.delete(K.cm, "shop", "owner-a");
    c.runUntilIdle();
    expect(store.get(K.cm, "shop", "shared")!.metadata.ownerReferences).toEqual([ref(b)]);
    store.delete(K.cm, "shop", "owner-b");
    c.runUntilIdle();
    expect(store.get(K.cm, "shop", "shared")).toBeUndefined();
  });

  it("deletes pods bound to a node that no longer exists", () => {
    const store = newCluster(["node-a", "node-b"]);
    const c = start(store);
    store.create(K.pod, bare("lonely"));
    c.runUntilIdle();
    const nodeName = (store.get(K.pod, "shop", "lonely")!.spec as { nodeName: string }).nodeName;
    store.delete(K.node, undefined, nodeName);
    c.runUntilIdle();
    expect(store.get(K.pod, "shop", "lonely")).toBeUndefined();
  });
});

describe("events", () => {
  it("caps core Events per cluster, deleting the oldest, during bootstrap and at run time", () => {
    const store = newCluster();
    const c = start(store, { maxEvents: 25 });
    for (let i = 0; i < 10; i++) store.create(K.deploy, deployment(`app-${i}`, 3));
    c.runUntilIdle();
    expect(store.count(K.pod)).toBe(30);
    expect(store.count(K.event)).toBe(25);
    // The newest survive: the last pods' Started events are there.
    expect(store.all(K.event).some((e) => e.reason === "Started")).toBe(true);

    store.mutate(K.deploy, "shop", "app-0", (d) => {
      (d.spec as { replicas: number }).replicas = 6;
    });
    c.runUntilIdle();
    expect(store.count(K.event)).toBe(25);
    const names = store.all(K.event).map((e) => e.metadata.name);
    expect(new Set(names).size).toBe(25);
  });

  it("aggregates a repeated event into one object with a count", () => {
    const store = newCluster();
    const c = start(store);
    store.create(K.pod, bare("crashy"));
    c.runUntilIdle();
    restartContainer(store, "shop", "crashy");
    restartContainer(store, "shop", "crashy");
    const backoff = eventsFor(store, "crashy").filter((e) => e.reason === "BackOff");
    expect(backoff).toHaveLength(1);
    expect(backoff[0]).toMatchObject({ count: 2, type: "Warning" });
    expect(eventsFor(store, "crashy").find((e) => e.reason === "Started")!.count).toBe(3);
  });
});

describe("restartContainer", () => {
  it("bumps restartCount, records the last state and starts a new instance", () => {
    const store = newCluster();
    const c = start(store);
    store.create(K.pod, bare("worker"));
    c.runUntilIdle();
    const before = (
      status(store.get(K.pod, "shop", "worker")).containerStatuses as Record<string, unknown>[]
    )[0]!;
    const updated = restartContainer(store, "shop", "worker", "main")!;
    const after = (status(updated).containerStatuses as Record<string, unknown>[])[0]!;
    expect(after.restartCount).toBe(1);
    expect(after.containerID).not.toBe(before.containerID);
    expect(after.lastState).toMatchObject({
      terminated: { exitCode: 1, reason: "Error", containerID: before.containerID },
    });
    expect(after.state).toHaveProperty("running.startedAt");
    expect(phase(updated)).toBe("Running");
    expect(eventsFor(store, "worker").find((e) => e.reason === "BackOff")!.message).toBe(
      `Back-off restarting failed container main in pod worker_shop(${updated.metadata.uid})`,
    );
    const second = restartContainer(store, "shop", "worker")!;
    expect(
      (
        status(second).containerStatuses as {
          restartCount: number;
          lastState: { terminated: { reason: string; exitCode: number } };
        }[]
      )[0],
    ).toMatchObject({
      restartCount: 2,
      lastState: { terminated: { reason: "OOMKilled", exitCode: 137 } },
    });
    expect(() => restartContainer(store, "shop", "missing")).toThrow(StatusError);
    expect(() => restartContainer(store, "shop", "worker", "nope")).toThrow(
      /container nope is not valid for pod worker/,
    );
  });
});
