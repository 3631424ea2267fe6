import { afterEach, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/kube/object.js";
import { startControllers, type Controllers } from "../../sim/controllers/index.js";
import type { ClusterStore } from "../../sim/store/cluster-store.js";
import {
  K,
  deployment,
  eventsFor,
  newCluster,
  phase,
  podsOf,
  status,
  until,
} from "./controllers-fixtures.js";

let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

function start(store: ClusterStore, podStartDelayMs = 20): Controllers {
  controllers = startControllers(store, { podStartDelayMs });
  return controllers;
}

function replicaSets(store: ClusterStore, deploy: string): KubeObject[] {
  return store.all(K.rs, "shop").filter((rs) => rs.metadata.ownerReferences?.[0]?.name === deploy);
}

describe("Deployment -> ReplicaSet -> Pods", () => {
  it("creates an owned ReplicaSet and running pods, and reports status and events", () => {
    const store = newCluster();
    const c = start(store);
    const d = store.create(K.deploy, deployment("web", 3));
    c.runUntilIdle();

    const [rs, ...others] = replicaSets(store, "web");
    expect(others).toHaveLength(0);
    const hash = rs!.metadata.labels!["pod-template-hash"]!;
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.metadata.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "web",
        uid: d.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(rs!.metadata.annotations!["deployment.kubernetes.io/revision"]).toBe("1");
    expect(status(rs)).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      fullyLabeledReplicas: 3,
      observedGeneration: 1,
    });

    const pods = podsOf(store, "shop", "web");
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
      expect(pod.metadata.labels!["pod-template-hash"]).toBe(hash);
      expect(pod.metadata.ownerReferences![0]).toMatchObject({
        kind: "ReplicaSet",
        name: rs!.metadata.name,
        uid: rs!.metadata.uid,
        controller: true,
      });
      expect(phase(pod)).toBe("Running");
      const s = status(pod) as {
        podIP: string;
        hostIP: string;
        startTime: string;
        conditions: { type: string; status: string }[];
        containerStatuses: Record<string, unknown>[];
      };
      expect(s.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
      expect(s.hostIP).toMatch(/^192\.168\.0\.\d+$/);
      expect(s.startTime).toBeTruthy();
      for (const type of ["Initialized", "Ready", "ContainersReady", "PodScheduled"]) {
        expect(s.conditions.find((c) => c.type === type)?.status).toBe("True");
      }
      expect(s.containerStatuses[0]).toMatchObject({
        name: "web",
        image: "docker.io/library/nginx:1.25",
        ready: true,
        started: true,
        restartCount: 0,
      });
      expect(s.containerStatuses[0]!.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
      expect(s.containerStatuses[0]!.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
      expect(
        (s.containerStatuses[0]!.state as { running: { startedAt: string } }).running.startedAt,
      ).toBeTruthy();
    }
    // Spread over the three nodes, one each.
    expect(new Set(pods.map((p) => (p.spec as { nodeName: string }).nodeName)).size).toBe(3);

    const deploy = store.get(K.deploy, "shop", "web")!;
    expect(deploy.metadata.annotations!["deployment.kubernetes.io/revision"]).toBe("1");
    const ds = status(deploy) as {
      conditions: { type: string; status: string; reason: string; message: string }[];
    };
    expect(ds).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
    expect(ds).not.toHaveProperty("unavailableReplicas");
    expect(ds.conditions.find((c) => c.type === "Available")).toMatchObject({
      status: "True",
      reason: "MinimumReplicasAvailable",
    });
    expect(ds.conditions.find((c) => c.type === "Progressing")).toMatchObject({
      status: "True",
      reason: "NewReplicaSetAvailable",
      message: `ReplicaSet "${rs!.metadata.name}" has successfully progressed.`,
    });

    expect(eventsFor(store, "web").map((e) => e.message)).toContain(
      `Scaled up replica set ${rs!.metadata.name} to 3`,
    );
    const rsEvents = eventsFor(store, rs!.metadata.name!);
    expect(
      rsEvents
        .filter((e) => e.reason === "SuccessfulCreate")
        .map((e) => e.message)
        .sort(),
    ).toEqual(pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
    const podEvents = eventsFor(store, pods[0]!.metadata.name!);
    expect(podEvents.map((e) => e.reason)).toEqual(["Scheduled", "Pulled", "Created", "Started"]);
    const started = podEvents.find((e) => e.reason === "Started")!;
    expect(started).toMatchObject({
      type: "Normal",
      message: "Started container web",
      source: { component: "kubelet", host: (pods[0]!.spec as { nodeName: string }).nodeName },
      involvedObject: {
        kind: "Pod",
        apiVersion: "v1",
        namespace: "shop",
        name: pods[0]!.metadata.name,
        uid: pods[0]!.metadata.uid,
        fieldPath: "spec.containers{web}",
      },
      count: 1,
    });
    expect(started.metadata.name).toMatch(new RegExp(`^${pods[0]!.metadata.name}\\.[0-9a-f]+$`));
  });

  it("works without runUntilIdle: pods go Pending -> Running after the start delay", async () => {
    const store = newCluster();
    start(store, 100);
    store.create(K.deploy, deployment("api", 2));
    await until(() => podsOf(store, "shop", "api").length === 2);
    expect(podsOf(store, "shop", "api").map(phase)).toEqual(["Pending", "Pending"]);
    await until(() => podsOf(store, "shop", "api").every((p) => phase(p) === "Running"));
    await until(() => status(store.get(K.deploy, "shop", "api")).availableReplicas === 2);
  });

  it("scales up and down, deleting surplus pods with events", () => {
    const store = newCluster();
    const c = start(store);
    store.create(K.deploy, deployment("web", 2));
    c.runUntilIdle();
    store.mutate(K.deploy, "shop", "web", (d) => {
      (d.spec as { replicas: number }).replicas = 5;
    });
    c.runUntilIdle();
    expect(podsOf(store, "shop", "web").filter((p) => phase(p) === "Running")).toHaveLength(5);
    const rsName = replicaSets(store, "web")[0]!.metadata.name!;
    expect(eventsFor(store, "web").map((e) => e.message)).toContain(
      `Scaled up replica set ${rsName} to 5 from 2`,
    );

    const before = podsOf(store, "shop", "web").map((p) => p.metadata.name!);
    store.mutate(K.deploy, "shop", "web", (d) => {
      (d.spec as { replicas: number }).replicas = 1;
    });
    c.runUntilIdle();
    const after = podsOf(store, "shop", "web");
    expect(after).toHaveLength(1);
    expect(status(store.get(K.deploy, "shop", "web"))).toMatchObject({
      replicas: 1,
      availableReplicas: 1,
      observedGeneration: 3,
    });
    expect(eventsFor(store, "web").map((e) => e.message)).toContain(
      `Scaled down replica set ${rsName} to 1 from 5`,
    );
    const deleted = before.filter((n) => n !== after[0]!.metadata.name);
    expect(
      eventsFor(store, rsName)
        .filter((e) => e.reason === "SuccessfulDelete")
        .map((e) => e.message)
        .sort(),
    ).toEqual(deleted.map((n) => `Deleted pod: ${n}`).sort());
    expect(eventsFor(store, deleted[0]!).map((e) => `${String(e.reason)}: ${String(e.message)}`)).toContain(
      "Killing: Stopping container web",
    );
  });

  it("rolls out a template change: all pods replaced, old ReplicaSet kept at 0, history limit honoured", () => {
    const store = newCluster();
    const c = start(store);
    const spec = deployment("web", 4);
    (spec.spec as { revisionHistoryLimit: number }).revisionHistoryLimit = 1;
    store.create(K.deploy, spec);
    c.runUntilIdle();
    const oldPods = new Set(podsOf(store, "shop", "web").map((p) => p.metadata.uid));
    const oldRs = replicaSets(store, "web")[0]!;

    const restart = (at: string): void => {
      store.mutate(K.deploy, "shop", "web", (d) => {
        const tpl = (d.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template;
        tpl.metadata.annotations = { "kubectl.kubernetes.io/restartedAt": at };
      });
      c.runUntilIdle();
    };
    restart("2026-01-01T00:00:00Z");
    const sets = replicaSets(store, "web");
    expect(sets).toHaveLength(2);
    const newRs = sets.find((rs) => rs.metadata.uid !== oldRs.metadata.uid)!;
    expect(newRs.metadata.annotations!["deployment.kubernetes.io/revision"]).toBe("2");
    expect((store.get(K.rs, "shop", oldRs.metadata.name!)!.spec as { replicas: number }).replicas).toBe(0);
    const pods = podsOf(store, "shop", "web");
    expect(pods).toHaveLength(4);
    for (const p of pods) {
      expect(oldPods.has(p.metadata.uid)).toBe(false);
      expect(phase(p)).toBe("Running");
      expect(p.metadata.labels!["pod-template-hash"]).toBe(newRs.metadata.labels!["pod-template-hash"]);
      expect(p.metadata.annotations!["kubectl.kubernetes.io/restartedAt"]).toBe("2026-01-01T00:00:00Z");
    }
    const deploy = store.get(K.deploy, "shop", "web")!;
    expect(status(deploy)).toMatchObject({
      replicas: 4,
      updatedReplicas: 4,
      availableReplicas: 4,
      observedGeneration: 2,
    });
    expect(deploy.metadata.annotations!["deployment.kubernetes.io/revision"]).toBe("2");
    const messages = eventsFor(store, "web").map((e) => e.message);
    expect(messages).toContain(`Scaled up replica set ${newRs.metadata.name} to 1`);
    expect(messages).toContain(`Scaled down replica set ${oldRs.metadata.name} to 0 from 1`);

    restart("2026-01-02T00:00:00Z");
    restart("2026-01-03T00:00:00Z");
    // revisionHistoryLimit 1: the current ReplicaSet plus one old one.
    const remaining = replicaSets(store, "web");
    expect(remaining).toHaveLength(2);
    expect(
      remaining.map((rs) => rs.metadata.annotations!["deployment.kubernetes.io/revision"]).sort(),
    ).toEqual(["3", "4"]);
  });

  it("rolls out asynchronously with the surge budget respected", async () => {
    const store = newCluster();
    start(store, 30);
    store.create(K.deploy, deployment("api", 4));
    await until(() => status(store.get(K.deploy, "shop", "api")).availableReplicas === 4);
    let maxPods = 0;
    const off = store.onChange(() => (maxPods = Math.max(maxPods, podsOf(store, "shop", "api").length)));
    store.mutate(K.deploy, "shop", "api", (d) => {
      (
        d.spec as { template: { spec: { containers: { image: string }[] } } }
      ).template.spec.containers[0]!.image = "nginx:1.27";
    });
    await until(() => {
      const s = status(store.get(K.deploy, "shop", "api"));
      return (
        s.observedGeneration === 2 && s.updatedReplicas === 4 && s.replicas === 4 && s.availableReplicas === 4
      );
    });
    off();
    expect(maxPods).toBeLessThanOrEqual(5); // 4 + 25% surge
    expect(
      podsOf(store, "shop", "api").map(
        (p) => (p.spec as { containers: { image: string }[] }).containers[0]!.image,
      ),
    ).toEqual(Array(4).fill("nginx:1.27"));
  });
});
