/**
 * The kubelet's cAdvisor series (`/metrics/cadvisor`) for running containers, labelled as a
 * containerd node labels them: `container`, `id` (the cgroup path), `image`, `name` (the
 * container id), `namespace`, `pod`. Network counters belong to the pod's sandbox (the pause
 * container, `container=""`) on `eth0`, which is why queries sum them by pod.
 *
 * Only container-level series are written, not the pod- and node-level cgroup aggregates a real
 * kubelet adds (`container=""`, `id="/kubepods…"`): queries that filter `container!=""` read
 * the same answers either way, and sums over everything do not double-count.
 */
import { createHash } from "node:crypto";
import type { KubeObject } from "../../src/kube/object.js";
import type { CpuCounters } from "./cpu-counters.js";
import { MetricFamily } from "./exposition.js";
import { containersOf, containerUsage, isRunning, podNetworkRates, podRunSeconds } from "./usage.js";

const PAUSE_IMAGE = "registry.k8s.io/pause:3.10";

interface ContainerStatus {
  name: string;
  image?: string;
  containerID?: string;
}

/** The pod's cgroup under the systemd driver, by QoS class (kubelet's cgroup manager naming). */
function podCgroup(pod: KubeObject): string {
  const uid = (pod.metadata.uid ?? "").replace(/-/g, "_");
  const qos = ((pod.status as { qosClass?: string } | undefined)?.qosClass ?? "BestEffort").toLowerCase();
  return qos === "guaranteed"
    ? `/kubepods.slice/kubepods-pod${uid}.slice`
    : `/kubepods.slice/kubepods-${qos}.slice/kubepods-${qos}-pod${uid}.slice`;
}

/** The sandbox's id: not in the pod object, so derived from its uid (stable for the pod's life). */
function sandboxId(pod: KubeObject): string {
  return createHash("sha256")
    .update(`sandbox/${pod.metadata.uid ?? ""}`)
    .digest("hex");
}

export interface CadvisorInputs {
  seed: string;
  pods: readonly KubeObject[];
  nowMs: number;
  /** Autoscaled pods' CPU share of their requests, by uid. */
  autoscaled: ReadonlyMap<string, number>;
  counters: CpuCounters;
}

export function cadvisorFamilies({
  seed,
  pods,
  nowMs,
  autoscaled,
  counters,
}: CadvisorInputs): MetricFamily[] {
  const cpu = new MetricFamily(
    "container_cpu_usage_seconds_total",
    "counter",
    "Cumulative cpu time consumed in seconds.",
  );
  const memory = new MetricFamily(
    "container_memory_working_set_bytes",
    "gauge",
    "Current working set in bytes.",
  );
  const receive = new MetricFamily(
    "container_network_receive_bytes_total",
    "counter",
    "Cumulative count of bytes received",
  );
  const transmit = new MetricFamily(
    "container_network_transmit_bytes_total",
    "counter",
    "Cumulative count of bytes transmitted",
  );
  for (const pod of pods) {
    if (!isRunning(pod)) continue;
    const uid = pod.metadata.uid ?? "";
    const where = { namespace: pod.metadata.namespace ?? "", pod: pod.metadata.name ?? "" };
    const cgroup = podCgroup(pod);
    const elapsed = podRunSeconds(pod, nowMs);
    const statuses = (pod.status as { containerStatuses?: ContainerStatus[] }).containerStatuses ?? [];
    for (const c of containersOf(pod)) {
      const status = statuses.find((s) => s.name === c.name);
      const id = (status?.containerID ?? "").replace(/^[a-z]+:\/\//, "");
      const labels = {
        container: c.name,
        id: `${cgroup}/cri-containerd-${id}.scope`,
        image: status?.image ?? c.image ?? "",
        name: id,
        ...where,
      };
      const usage = containerUsage(seed, uid, c, nowMs, autoscaled.get(uid));
      cpu.add({ ...labels, cpu: "total" }, counters.read(`${uid}/${c.name}`, usage.cpuCores, elapsed, nowMs));
      memory.add(labels, usage.memoryBytes);
    }
    const sandbox = sandboxId(pod);
    const sandboxLabels = {
      container: "",
      id: `${cgroup}/cri-containerd-${sandbox}.scope`,
      image: PAUSE_IMAGE,
      interface: "eth0",
      name: sandbox,
      ...where,
    };
    const rates = podNetworkRates(seed, uid);
    receive.add(sandboxLabels, Math.floor(rates.receive * elapsed));
    transmit.add(sandboxLabels, Math.floor(rates.transmit * elapsed));
  }
  return [cpu, memory, receive, transmit];
}
