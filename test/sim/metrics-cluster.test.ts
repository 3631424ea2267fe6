import { afterEach, describe, expect, it } from "vitest";
import { restartContainer, startControllers, type Controllers } from "../../sim/controllers/index.js";
import { ClusterMetrics } from "../../sim/metrics/cluster-metrics.js";
import type { ClusterStore } from "../../sim/store/cluster-store.js";
import { K, newCluster, podsOf, template } from "./controllers-fixtures.js";
import { parseScrape, series, sum } from "./metrics-scrape.js";

let controllers: Controllers | undefined;
afterEach(() => controllers?.stop());

/** A cluster with one Deployment `api` whose container requests 500m CPU and 256Mi. */
function cluster(replicas: number): { store: ClusterStore; metrics: ClusterMetrics; clock: { ms: number } } {
  const store = newCluster();
  // The fixture's nodes are bare; generated ones carry capacity, which node-exporter reports.
  for (const n of store.all(K.node))
    store.update(K.node, {
      ...n,
      status: {
        ...(n.status as object),
        capacity: { cpu: "4", memory: "16Gi", "ephemeral-storage": "100Gi", pods: "110" },
        allocatable: { cpu: "3920m", memory: "15Gi", "ephemeral-storage": "90Gi", pods: "110" },
      },
    });
  store.create(K.ns, { metadata: { name: "payments", labels: { "kubesphere.io/workspace": "retail" } } });
  store.create(K.deploy, {
    metadata: { name: "api", namespace: "shop" },
    spec: {
      replicas,
      selector: { matchLabels: { app: "api" } },
      template: {
        metadata: { labels: { app: "api" } },
        spec: {
          containers: [
            {
              name: "api",
              image: "ghcr.io/acme/api:1.0",
              resources: {
                requests: { cpu: "500m", memory: "256Mi" },
                limits: { cpu: "1", memory: "512Mi" },
              },
            },
          ],
        },
      },
    },
  });
  controllers = startControllers(store);
  controllers.runUntilIdle();
  // Pods start now (wall clock); scrapes happen a minute later, and later still when moved.
  const clock = { ms: Date.now() + 60_000 };
  const metrics = new ClusterMetrics({ store, seed: "metrics-test", now: () => clock.ms });
  return { store, metrics, clock };
}

function scale(store: ClusterStore, replicas: number): void {
  const d = store.get(K.deploy, "shop", "api")!;
  store.update(K.deploy, { ...d, spec: { ...(d.spec as object), replicas } });
  controllers!.runUntilIdle();
}

describe("a cluster's metrics follow its store", () => {
  it("writes kube-state-metrics series with their real labels", () => {
    const { store, metrics } = cluster(2);
    const scrape = parseScrape(metrics.scrape());
    const pods = podsOf(store, "shop", "api");
    expect(series(scrape, "kube_pod_info", { namespace: "shop" })).toHaveLength(2);
    const info = series(scrape, "kube_pod_info", { pod: pods[0]!.metadata.name! })[0]!;
    expect(Object.keys(info.labels).sort()).toEqual(
      [
        "created_by_kind",
        "created_by_name",
        "host_ip",
        "host_network",
        "namespace",
        "node",
        "pod",
        "pod_ip",
        "priority_class",
        "uid",
      ].sort(),
    );
    expect(info.labels.created_by_kind).toBe("ReplicaSet");
    expect(series(scrape, "kube_pod_owner", { owner_kind: "ReplicaSet", namespace: "shop" })).toHaveLength(2);
    expect(sum(series(scrape, "kube_pod_status_phase", { namespace: "shop", phase: "Running" }))).toBe(2);
    expect(series(scrape, "kube_pod_status_phase", { pod: info.labels.pod! })).toHaveLength(5);
    expect(
      series(scrape, "kube_pod_container_resource_requests", { pod: info.labels.pod!, resource: "cpu" })[0],
    ).toMatchObject({ value: 0.5, labels: { unit: "core", container: "api" } });
    expect(
      series(scrape, "kube_pod_container_resource_limits", { pod: info.labels.pod!, resource: "memory" })[0],
    ).toMatchObject({ value: 512 * 1024 * 1024, labels: { unit: "byte" } });
    expect(series(scrape, "kube_deployment_spec_replicas", { deployment: "api" })[0]!.value).toBe(2);
    expect(series(scrape, "kube_deployment_status_replicas_available", { deployment: "api" })[0]!.value).toBe(
      2,
    );
    expect(series(scrape, "kube_node_info")).toHaveLength(3);
    expect(series(scrape, "kube_namespace_labels", { namespace: "payments" })[0]!.labels).toEqual({
      namespace: "payments",
      label_kubesphere_io_workspace: "retail",
    });
    expect(series(scrape, "kube_node_status_allocatable", { resource: "cpu" })[0]).toMatchObject({
      value: 3.92,
      labels: { unit: "core" },
    });
    expect(
      series(scrape, "kube_node_status_allocatable", { resource: "ephemeral_storage" })[0],
    ).toMatchObject({
      value: 90 * 1024 ** 3,
      labels: { unit: "byte" },
    });
    expect(scrape.types.get("kube_pod_container_status_restarts_total")).toBe("counter");
    expect(scrape.types.get("container_memory_working_set_bytes")).toBe("gauge");
    for (const name of new Set(scrape.samples.map((s) => s.name))) expect(scrape.help.has(name)).toBe(true);
  });

  it("writes workload series, and each ReplicaSet's owner for joining pods to Deployments", () => {
    const { store, metrics } = cluster(2);
    store.create(K.sts, {
      metadata: { name: "db", namespace: "shop" },
      spec: {
        replicas: 2,
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: template("db"),
      },
    });
    store.create(K.ds, {
      metadata: { name: "agent", namespace: "shop" },
      spec: { selector: { matchLabels: { app: "agent" } }, template: template("agent") },
    });
    controllers!.runUntilIdle();
    const scrape = parseScrape(metrics.scrape());
    const rs = store.all(K.rs, "shop")[0]!.metadata.name!;
    expect(series(scrape, "kube_replicaset_owner", { replicaset: rs })).toEqual([
      {
        name: "kube_replicaset_owner",
        labels: {
          namespace: "shop",
          replicaset: rs,
          owner_kind: "Deployment",
          owner_name: "api",
          owner_is_controller: "true",
        },
        value: 1,
      },
    ]);
    const one = (name: string, labels: Record<string, string>) => series(scrape, name, labels)[0]?.value;
    expect(one("kube_statefulset_replicas", { statefulset: "db" })).toBe(2);
    expect(one("kube_statefulset_status_replicas_ready", { statefulset: "db" })).toBe(2);
    expect(one("kube_daemonset_status_desired_number_scheduled", { daemonset: "agent" })).toBe(3);
    expect(one("kube_daemonset_status_number_available", { daemonset: "agent" })).toBe(3);
  });

  it("writes cAdvisor and node-exporter series with their real labels", () => {
    const { metrics } = cluster(1);
    const scrape = parseScrape(metrics.scrape());
    const cpu = series(scrape, "container_cpu_usage_seconds_total", { namespace: "shop" })[0]!;
    expect(Object.keys(cpu.labels).sort()).toEqual([
      "container",
      "cpu",
      "id",
      "image",
      "name",
      "namespace",
      "pod",
    ]);
    expect(cpu.labels.cpu).toBe("total");
    expect(cpu.labels.id).toMatch(/^\/kubepods\.slice\/.*cri-containerd-[0-9a-f]+\.scope$/);
    const rx = series(scrape, "container_network_receive_bytes_total", { namespace: "shop" })[0]!;
    expect(rx.labels).toMatchObject({ container: "", interface: "eth0" });
    const node = series(scrape, "node_cpu_seconds_total")[0]!.labels.node!;
    const modes = new Set(
      series(scrape, "node_cpu_seconds_total", { node, cpu: "0" }).map((s) => s.labels.mode),
    );
    expect(modes).toEqual(new Set(["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"]));
    const total = series(scrape, "node_memory_MemTotal_bytes", { node })[0]!.value;
    const available = series(scrape, "node_memory_MemAvailable_bytes", { node })[0]!.value;
    expect(available).toBeGreaterThan(0);
    expect(available).toBeLessThan(total);
    expect(series(scrape, "node_load1")).toHaveLength(3);
    const fs = { node, mountpoint: "/" };
    expect(series(scrape, "node_filesystem_avail_bytes", fs)[0]!.value).toBeLessThan(
      series(scrape, "node_filesystem_size_bytes", fs)[0]!.value,
    );
  });

  it("grows counters between two scrapes, usage being rate × time since the pod started", () => {
    const { metrics, clock } = cluster(2);
    const first = parseScrape(metrics.scrape());
    clock.ms += 30_000;
    const second = parseScrape(metrics.scrape());
    for (const name of [
      "container_cpu_usage_seconds_total",
      "container_network_receive_bytes_total",
      "container_network_transmit_bytes_total",
      "node_cpu_seconds_total",
    ]) {
      for (const before of series(first, name)) {
        const after = series(second, name, before.labels)[0]!;
        expect(after.value, `${name} ${JSON.stringify(before.labels)}`).toBeGreaterThanOrEqual(before.value);
      }
      expect(sum(series(second, name))).toBeGreaterThan(sum(series(first, name)));
    }
    // 30 s at between 15 % and 85 % of a 500m request
    const grown =
      sum(series(second, "container_cpu_usage_seconds_total")) -
      sum(series(first, "container_cpu_usage_seconds_total"));
    expect(grown).toBeGreaterThanOrEqual(2 * 30 * 0.075 - 1e-9);
    expect(grown).toBeLessThanOrEqual(2 * 30 * 0.425 + 1e-9);
  });

  it("is deterministic from the seed and the pod's uid", () => {
    const { store, clock } = cluster(2);
    const a = new ClusterMetrics({ store, seed: "metrics-test", now: () => clock.ms });
    const b = new ClusterMetrics({ store, seed: "metrics-test", now: () => clock.ms });
    const other = new ClusterMetrics({ store, seed: "another-seed", now: () => clock.ms });
    const cpu = (m: ClusterMetrics) => series(parseScrape(m.scrape()), "container_cpu_usage_seconds_total");
    expect(cpu(a)).toEqual(cpu(b));
    expect(cpu(a)).not.toEqual(cpu(other));
  });

  it("counts a container's restarts as the kubelet reports them", () => {
    const { store, metrics } = cluster(1);
    const pod = podsOf(store, "shop", "api")[0]!;
    const restarts = () =>
      series(parseScrape(metrics.scrape()), "kube_pod_container_status_restarts_total", {
        pod: pod.metadata.name!,
        container: "api",
      })[0]!.value;
    expect(restarts()).toBe(0);
    restartContainer(store, "shop", pod.metadata.name!, "api");
    restartContainer(store, "shop", pod.metadata.name!, "api");
    expect(restarts()).toBe(2);
  });

  it("drops a deleted pod's series", () => {
    const { store, metrics } = cluster(2);
    const victim = podsOf(store, "shop", "api")[0]!;
    const name = victim.metadata.name!;
    expect(
      series(parseScrape(metrics.scrape()), "container_cpu_usage_seconds_total", { pod: name }),
    ).toHaveLength(1);
    store.delete(K.pod, "shop", name);
    controllers!.runUntilIdle();
    const after = parseScrape(metrics.scrape());
    expect(after.samples.filter((s) => s.labels.pod === name)).toEqual([]);
    expect(after.samples.filter((s) => s.labels.uid === victim.metadata.uid)).toEqual([]);
    // the ReplicaSet's replacement has series of its own
    expect(series(after, "kube_pod_info", { namespace: "shop" })).toHaveLength(2);
  });

  it("shows a scaled-up workload's new pods, and their usage", () => {
    const { store, metrics } = cluster(2);
    const before = parseScrape(metrics.scrape());
    scale(store, 6);
    const after = parseScrape(metrics.scrape());
    expect(series(after, "kube_pod_info", { namespace: "shop", created_by_kind: "ReplicaSet" })).toHaveLength(
      6,
    );
    expect(series(after, "container_memory_working_set_bytes", { namespace: "shop" })).toHaveLength(6);
    expect(series(after, "kube_deployment_spec_replicas", { deployment: "api" })[0]!.value).toBe(6);
    expect(sum(series(after, "container_memory_working_set_bytes"))).toBeGreaterThan(
      sum(series(before, "container_memory_working_set_bytes")),
    );
    const nodeBusy = (s: ReturnType<typeof parseScrape>) => sum(series(s, "node_load1"));
    expect(nodeBusy(after)).toBeGreaterThan(nodeBusy(before));
  });
});
