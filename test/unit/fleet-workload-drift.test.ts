/** Pod template drift, a fleet workload's aggregate status and the rollout fields they read, as plain functions (no GraphQL, no engine). */
import { describe, expect, it } from "vitest";
import type { CacheEntry } from "../../src/cache/entry.js";
import { workloadData, type TemplateContainer, type WorkloadData } from "../../src/kinds/workloads.js";
import { groupStatus } from "../../src/query-service/fleet-workloads/group-status.js";
import { templateDrift } from "../../src/query-service/fleet-workloads/template-drift.js";

const container = (
  image: string,
  requests: Record<string, string> = {},
  limits: Record<string, string> = {},
  name = "app",
): TemplateContainer => ({ name, image, resources: { requests, limits } });

describe("templateDrift", () => {
  it("reports the instance whose image differs from the majority, with both values", () => {
    const drift = templateDrift([
      { cluster: "a", containers: [container("shop:2")] },
      { cluster: "b", containers: [container("shop:1")] },
      { cluster: "c", containers: [container("shop:2")] },
    ]);
    expect(drift).toEqual([
      { cluster: "b", container: "app", field: "image", value: "shop:1", majorityValue: "shop:2" },
    ]);
  });

  it("compares requests and limits by amount, and reports one set where most set none", () => {
    const drift = templateDrift([
      { cluster: "a", containers: [container("x", { cpu: "500m", memory: "1Gi" })] },
      { cluster: "b", containers: [container("x", { cpu: "0.5", memory: "1024Mi" })] },
      { cluster: "c", containers: [container("x", { cpu: "250m", memory: "1Gi" }, { cpu: "1" })] },
    ]);
    expect(drift).toEqual([
      {
        cluster: "c",
        container: "app",
        field: "resources.requests.cpu",
        value: "250m",
        majorityValue: "500m",
      },
      { cluster: "c", container: "app", field: "resources.limits.cpu", value: "1", majorityValue: null },
    ]);
  });

  it("compares quantities exactly: the same amount written two ways is no drift", () => {
    const drift = templateDrift([
      { cluster: "a", containers: [container("x", { memory: "1.07G", cpu: "0.1" })] },
      { cluster: "b", containers: [container("x", { memory: "1070M", cpu: "100m" })] },
      { cluster: "c", containers: [container("x", { memory: "1070000001", cpu: "100000000n" })] },
    ]);
    expect(drift).toEqual([
      {
        cluster: "c",
        container: "app",
        field: "resources.requests.memory",
        value: "1070000001",
        majorityValue: "1.07G",
      },
    ]);
  });

  it("tells a container absent from one instance once, not once per field", () => {
    const sidecar = container("proxy:1", { cpu: "10m" }, {}, "proxy");
    const drift = templateDrift([
      { cluster: "a", containers: [container("x"), sidecar] },
      { cluster: "b", containers: [container("x"), sidecar] },
      { cluster: "c", containers: [container("x")] },
    ]);
    expect(drift).toEqual([
      { cluster: "c", container: "proxy", field: "container", value: "absent", majorityValue: "present" },
    ]);
  });

  it("finds nothing for one instance or identical templates, and breaks a tie by value order", () => {
    expect(templateDrift([{ cluster: "a", containers: [container("x:1")] }])).toEqual([]);
    expect(
      templateDrift([
        { cluster: "a", containers: [container("x:1")] },
        { cluster: "b", containers: [container("x:1")] },
      ]),
    ).toEqual([]);
    const tie = templateDrift([
      { cluster: "a", containers: [container("x:2")] },
      { cluster: "b", containers: [container("x:1")] },
    ]);
    expect(tie).toEqual([
      { cluster: "a", container: "app", field: "image", value: "x:2", majorityValue: "x:1" },
    ]);
  });
});

function instance(
  cluster: string,
  data: Partial<WorkloadData>,
  kind = "Deployment",
): CacheEntry<WorkloadData> {
  return {
    cluster,
    kind: kind,
    uid: `${cluster}-uid`,
    namespace: "shop",
    name: "web",
    created: 0,
    resourceVersion: "1",
    labels: {},
    owner: undefined,
    data: {
      desired: 3,
      ready: 3,
      available: 3,
      updated: 3,
      selector: "app=web",
      generation: 2,
      observedGeneration: 2,
      conditions: [],
      containers: [container("web:2")],
      ...data,
    },
  };
}

describe("groupStatus", () => {
  it("sums replicas and names the missing, degraded, rolling-out and drifted clusters", () => {
    const status = groupStatus(
      [
        instance("a", {}),
        instance("b", { ready: 1 }), // settled on its template, short of ready replicas
        instance("c", { generation: 3, observedGeneration: 2, ready: 2, updated: 1 }),
        instance("d", { containers: [container("web:1")] }),
      ],
      ["e"],
    );
    expect(status).toMatchObject({
      desiredReplicas: 12,
      readyReplicas: 9,
      clusters: ["a", "b", "c", "d"],
      missingClusters: ["e"],
      degradedClusters: ["b"],
      rollingOutClusters: ["c"],
      driftedClusters: ["d"],
    });
    expect(status.drift).toEqual([
      { cluster: "d", container: "app", field: "image", value: "web:1", majorityValue: "web:2" },
    ]);
  });

  it("does not call a paused Deployment degraded or rolling out, nor a failed one healthy", () => {
    const paused = groupStatus([instance("a", { paused: true, ready: 0, updated: 0 })], []);
    expect(paused.degradedClusters).toEqual([]);
    expect(paused.rollingOutClusters).toEqual([]);
    const failed = groupStatus(
      [instance("a", { conditions: [{ type: "Progressing", status: "False" } as never], ready: 3 })],
      [],
    );
    expect(failed.degradedClusters).toEqual(["a"]);
  });

  it("follows kubectl rollout status: a Deployment mid-rollout is rolling out, not degraded", () => {
    // replicas 5, 3 updated, 1 available, old pods still running: kubectl waits on it.
    const midRollout = { desired: 5, replicas: 6, updated: 3, available: 1, ready: 1 };
    const status = groupStatus(
      [
        instance("a", midRollout),
        instance("b", { desired: 5, replicas: 5, updated: 5, available: 3, ready: 3 }),
        instance("c", {
          desired: 5,
          replicas: 5,
          updated: 5,
          available: 3,
          ready: 3,
          conditions: [progressing("True", "NewReplicaSetAvailable")],
        }),
        instance("d", { desired: 5, replicas: 7, updated: 5, available: 5, ready: 5 }),
      ],
      [],
    );
    expect(status.rollingOutClusters).toEqual(["a", "b", "d"]);
    // c's rollout was recorded complete; its shortfall is a failure of running pods.
    expect(status.degradedClusters).toEqual(["c"]);
  });

  it("does not call a partitioned or OnDelete StatefulSet rolling out for ever", () => {
    const sts = (cluster: string, data: Partial<WorkloadData>) => instance(cluster, data, "StatefulSet");
    const status = groupStatus(
      [
        // 5 replicas, partition 2: 3 updated is the whole rollout.
        sts("a", { desired: 5, updated: 3, ready: 5, partition: 2, revisionPending: true }),
        sts("b", { desired: 5, updated: 2, ready: 5, partition: 2, revisionPending: true }),
        sts("c", { desired: 5, updated: 0, ready: 5, onDelete: true, revisionPending: true }),
        // All updated and ready once, so the revision is recorded; a pod failing since is degraded.
        sts("d", { desired: 5, updated: 5, ready: 4 }),
        sts("e", { desired: 5, updated: 5, ready: 4, revisionPending: true }),
      ],
      [],
    );
    expect(status.rollingOutClusters).toEqual(["b", "e"]);
    expect(status.degradedClusters).toEqual(["d"]);
  });

  it("waits on a DaemonSet's updated and available pods, unless it updates OnDelete", () => {
    const ds = (cluster: string, data: Partial<WorkloadData>) => instance(cluster, data, "DaemonSet");
    const status = groupStatus(
      [
        ds("a", { desired: 4, updated: 2, available: 4, ready: 4 }),
        ds("b", { desired: 4, updated: 4, available: 3, ready: 3 }),
        ds("c", { desired: 4, updated: 1, available: 4, ready: 4, onDelete: true }),
        ds("d", {}),
      ],
      [],
    );
    expect(status.rollingOutClusters).toEqual(["a", "b"]);
    expect(status.degradedClusters).toEqual([]);
  });

  it("counts a Job by completions: a complete Job is fully ready, a running one by its successes", () => {
    const complete = instance(
      "a",
      { desired: 3, ready: 0, succeeded: 3, conditions: [{ type: "Complete", status: "True" } as never] },
      "Job",
    );
    const running = instance("b", { desired: 4, ready: 2, succeeded: 1, active: 2 }, "Job");
    const status = groupStatus([complete, running], []);
    expect(status).toMatchObject({ desiredReplicas: 7, readyReplicas: 4, degradedClusters: [] });
  });
});

describe("the rollout fields of the workload projection", () => {
  const object = (kind: string, spec: Record<string, unknown>, status: Record<string, unknown>) => ({
    apiVersion: "apps/v1",
    kind,
    metadata: { name: "db", namespace: "shop", uid: "u", generation: 2 },
    spec: { replicas: 5, template: { spec: { containers: [] } }, ...spec },
    status: { observedGeneration: 2, ...status },
  });

  it("keeps small numbers and flags: partition, OnDelete, a pending revision, a Deployment's pods", () => {
    const partitioned = workloadData(
      "StatefulSet",
      object(
        "StatefulSet",
        { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } },
        { updatedReplicas: 3, currentRevision: "db-6d4f", updateRevision: "db-7c9b" },
      ),
    );
    expect(partitioned).toMatchObject({ partition: 2, revisionPending: true, updated: 3 });
    const settled = workloadData(
      "StatefulSet",
      object("StatefulSet", {}, { currentRevision: "db-7c9b", updateRevision: "db-7c9b" }),
    );
    expect(settled).not.toHaveProperty("revisionPending");
    expect(settled).not.toHaveProperty("partition");
    expect(
      workloadData("StatefulSet", object("StatefulSet", { updateStrategy: { type: "OnDelete" } }, {})),
    ).toMatchObject({ onDelete: true });
    expect(
      workloadData("DaemonSet", object("DaemonSet", { updateStrategy: { type: "OnDelete" } }, {})),
    ).toMatchObject({ onDelete: true });
    expect(
      workloadData("Deployment", object("Deployment", {}, { replicas: 7, updatedReplicas: 5 })),
    ).toMatchObject({ replicas: 7, updated: 5 });
  });
});

function progressing(status: string, reason: string) {
  return { type: "Progressing", status, reason, message: undefined, lastTransitionTime: undefined };
}
