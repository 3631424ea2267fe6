import { afterEach, describe, expect, it } from "vitest";
import { startControllers, type Controllers } from "../../sim/controllers/index.js";
import type { ClusterStore } from "../../sim/store/cluster-store.js";
import {
  K,
  eventsFor,
  newCluster,
  node,
  phase,
  podsOf,
  status,
  template,
  until,
} from "./controllers-fixtures.js";

let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

function start(store: ClusterStore, podStartDelayMs = 20): Controllers {
  controllers = startControllers(store, { podStartDelayMs });
  return controllers;
}

describe("StatefulSet, DaemonSet, Job", () => {
  it("creates StatefulSet pods by ordinal, in order, and removes the highest first", () => {
    const store = newCluster();
    const c = start(store);
    store.create(K.sts, {
      metadata: { name: "db", namespace: "shop" },
      spec: {
        replicas: 3,
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: template("db", "postgres:16"),
      },
    });
    c.runUntilIdle();
    const pods = podsOf(store, "shop", "db");
    expect(pods.map((p) => p.metadata.name)).toEqual(["db-0", "db-1", "db-2"]);
    const sts = store.get(K.sts, "shop", "db")!;
    const revision = status(sts).updateRevision as string;
    expect(revision).toMatch(/^db-[a-z0-9]+$/);
    for (const [i, p] of pods.entries()) {
      expect(p.metadata.labels).toMatchObject({
        "statefulset.kubernetes.io/pod-name": `db-${i}`,
        "controller-revision-hash": revision,
        "apps.kubernetes.io/pod-index": String(i),
      });
      expect(p.spec).toMatchObject({ hostname: `db-${i}`, subdomain: "db" });
      expect(phase(p)).toBe("Running");
    }
    expect(status(sts)).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: revision,
    });
    expect(eventsFor(store, "db").map((e) => e.message)).toContain(
      "create Pod db-0 in StatefulSet db successful",
    );

    store.mutate(K.sts, "shop", "db", (s) => {
      (s.spec as { replicas: number }).replicas = 1;
    });
    c.runUntilIdle();
    expect(podsOf(store, "shop", "db").map((p) => p.metadata.name)).toEqual(["db-0"]);
    expect(eventsFor(store, "db").map((e) => e.message)).toEqual(
      expect.arrayContaining([
        "delete Pod db-2 in StatefulSet db successful",
        "delete Pod db-1 in StatefulSet db successful",
      ]),
    );
  });

  it("OrderedReady waits for each pod before creating the next", async () => {
    const store = newCluster();
    start(store, 80);
    store.create(K.sts, {
      metadata: { name: "kv", namespace: "shop" },
      spec: { replicas: 2, selector: { matchLabels: { app: "kv" } }, template: template("kv", "redis:7") },
    });
    await until(() => podsOf(store, "shop", "kv").length === 1);
    await new Promise((r) => setTimeout(r, 40));
    expect(podsOf(store, "shop", "kv").map((p) => p.metadata.name)).toEqual(["kv-0"]);
    await until(
      () =>
        podsOf(store, "shop", "kv").length === 2 &&
        podsOf(store, "shop", "kv").every((p) => phase(p) === "Running"),
    );
  });

  it("runs one DaemonSet pod per fitting node, including nodes added later", () => {
    const store = newCluster(["node-a", "node-b"]);
    store.create(
      K.node,
      node("node-master", {
        taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
      }),
    );
    const c = start(store);
    store.create(K.ds, {
      metadata: { name: "agent", namespace: "shop" },
      spec: {
        selector: { matchLabels: { app: "agent" } },
        template: template("agent", "fluent/fluent-bit:3.0"),
      },
    });
    c.runUntilIdle();
    const nodesOf = (): string[] =>
      podsOf(store, "shop", "agent")
        .map((p) => (p.spec as { nodeName: string }).nodeName)
        .sort();
    expect(nodesOf()).toEqual(["node-a", "node-b"]);
    expect(status(store.get(K.ds, "shop", "agent"))).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 2,
      numberAvailable: 2,
      numberMisscheduled: 0,
    });

    store.create(K.node, node("node-c"));
    c.runUntilIdle();
    expect(nodesOf()).toEqual(["node-a", "node-b", "node-c"]);
    expect(status(store.get(K.ds, "shop", "agent"))).toMatchObject({
      desiredNumberScheduled: 3,
      numberReady: 3,
    });

    store.delete(K.node, undefined, "node-b");
    c.runUntilIdle();
    expect(nodesOf()).toEqual(["node-a", "node-c"]);
  });

  it("runs a Job's pods to completion", () => {
    const store = newCluster();
    const c = start(store);
    store.create(K.job, {
      metadata: { name: "migrate", namespace: "shop" },
      spec: {
        completions: 3,
        parallelism: 2,
        template: template("migrate", "busybox:1.36", { restartPolicy: "Never" }),
      },
    });
    c.runUntilIdle();
    const job = store.get(K.job, "shop", "migrate")!;
    const s = status(job) as {
      succeeded: number;
      completionTime: string;
      startTime: string;
      conditions: { type: string; status: string }[];
    };
    expect(s.succeeded).toBe(3);
    expect(s.completionTime).toBeTruthy();
    expect(s).not.toHaveProperty("active");
    expect(s.conditions.find((c) => c.type === "Complete")?.status).toBe("True");
    const pods = podsOf(store, "shop", "migrate");
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(phase(p)).toBe("Succeeded");
      expect(p.metadata.labels).toMatchObject({
        "job-name": "migrate",
        "batch.kubernetes.io/job-name": "migrate",
        "controller-uid": job.metadata.uid,
      });
      const cs = (
        status(p).containerStatuses as { state: { terminated?: { exitCode: number; reason: string } } }[]
      )[0]!;
      expect(cs.state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    }
    expect(eventsFor(store, "migrate").map((e) => e.reason)).toContain("Completed");
  });
});
