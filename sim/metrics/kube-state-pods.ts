/**
 * kube-state-metrics' pod series (docs/metrics/workload/pod-metrics.md): info, owner, phase,
 * restarts, waiting reasons, readiness, and each container's requests and limits.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { MetricFamily } from "./exposition.js";
import { resourceLabel, unitOf } from "./resource-labels.js";
import { amount, containersOf } from "./usage.js";

const PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;

interface PodStatus {
  phase?: string;
  hostIP?: string;
  podIP?: string;
  containerStatuses?: {
    name: string;
    restartCount?: number;
    ready?: boolean;
    state?: { waiting?: { reason?: string } };
  }[];
}

interface PodSpec {
  nodeName?: string;
  priorityClassName?: string;
  hostNetwork?: boolean;
}

export function podFamilies(pods: readonly KubeObject[]): MetricFamily[] {
  const info = new MetricFamily("kube_pod_info", "gauge", "Information about pod.");
  const owner = new MetricFamily("kube_pod_owner", "gauge", "Information about the Pod's owner.");
  const phase = new MetricFamily("kube_pod_status_phase", "gauge", "The pods current phase.");
  const restarts = new MetricFamily(
    "kube_pod_container_status_restarts_total",
    "counter",
    "The number of container restarts per container.",
  );
  const waiting = new MetricFamily(
    "kube_pod_container_status_waiting_reason",
    "gauge",
    "Describes the reason the container is currently in waiting state.",
  );
  const ready = new MetricFamily(
    "kube_pod_container_status_ready",
    "gauge",
    "Describes whether the containers readiness check succeeded.",
  );
  const requests = new MetricFamily(
    "kube_pod_container_resource_requests",
    "gauge",
    "The number of requested request resource by a container. It is recommended to use the kube_pod_resource_requests metric exposed by kube-scheduler instead, as it is more precise.",
  );
  const limits = new MetricFamily(
    "kube_pod_container_resource_limits",
    "gauge",
    "The number of requested limit resource by a container. It is recommended to use the kube_pod_resource_limits metric exposed by kube-scheduler instead, as it is more precise.",
  );
  for (const pod of pods) {
    const m = pod.metadata;
    const id = { namespace: m.namespace ?? "", pod: m.name ?? "", uid: m.uid ?? "" };
    const spec = (pod.spec ?? {}) as PodSpec;
    const status = (pod.status ?? {}) as PodStatus;
    const controller = m.ownerReferences?.find((o) => o.controller) ?? m.ownerReferences?.[0];
    info.add(
      {
        ...id,
        host_ip: status.hostIP ?? "",
        pod_ip: status.podIP ?? "",
        node: spec.nodeName ?? "",
        created_by_kind: controller?.kind ?? "",
        created_by_name: controller?.name ?? "",
        priority_class: spec.priorityClassName ?? "",
        host_network: String(spec.hostNetwork === true),
      },
      1,
    );
    // A pod without owners still gets one series, with "<none>", as kube-state-metrics writes it.
    const owners = m.ownerReferences?.length ? m.ownerReferences : undefined;
    if (owners) {
      for (const o of owners)
        owner.add(
          {
            ...id,
            owner_kind: o.kind,
            owner_name: o.name,
            owner_is_controller: String(o.controller === true),
          },
          1,
        );
    } else {
      owner.add({ ...id, owner_kind: "<none>", owner_name: "<none>", owner_is_controller: "<none>" }, 1);
    }
    for (const p of PHASES) phase.add({ ...id, phase: p }, status.phase === p ? 1 : 0);
    for (const cs of status.containerStatuses ?? []) {
      restarts.add({ ...id, container: cs.name }, cs.restartCount ?? 0);
      ready.add({ ...id, container: cs.name }, cs.ready === true ? 1 : 0);
      // Only a waiting container has a series, as kube-state-metrics writes it.
      const reason = cs.state?.waiting?.reason;
      if (reason) waiting.add({ ...id, container: cs.name, reason }, 1);
    }
    for (const c of containersOf(pod)) {
      for (const [family, list] of [
        [requests, c.resources?.requests],
        [limits, c.resources?.limits],
      ] as const) {
        for (const resource of Object.keys(list ?? {})) {
          const value = amount(list, resource);
          if (value === undefined) continue;
          family.add(
            {
              ...id,
              container: c.name,
              node: spec.nodeName ?? "",
              resource: resourceLabel(resource),
              unit: unitOf(resource),
            },
            value,
          );
        }
      }
    }
  }
  return [info, owner, phase, restarts, waiting, ready, requests, limits];
}
