/**
 * kube-state-metrics' series for pods, Deployments, nodes and namespaces, under its names and
 * labels (docs/metrics/workload/pod-metrics.md and friends in kubernetes/kube-state-metrics):
 * one gauge per fact, read from the store at scrape time, so they follow the fleet exactly.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { findResource, type ResourceKind } from "../kinds.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { labelsFromKeys, MetricFamily } from "./exposition.js";
import { amount, containersOf } from "./usage.js";

function kindOf(group: string, plural: string): ResourceKind {
  const k = findResource(group, plural);
  if (!k) throw new Error(`no kind ${plural}.${group}`);
  return k;
}

export const KINDS = {
  pod: kindOf("", "pods"),
  node: kindOf("", "nodes"),
  namespace: kindOf("", "namespaces"),
  deployment: kindOf("apps", "deployments"),
};

const PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;

/** kube-state-metrics' unit label for a resource name (core, byte, integer). */
function unitOf(resource: string): string {
  if (resource === "cpu") return "core";
  if (resource === "memory" || resource === "ephemeral-storage" || resource.startsWith("hugepages-"))
    return "byte";
  return "integer";
}

/** Resource names become label values with `-` and `.` as `_` (ephemeral_storage, hugepages_2Mi). */
function resourceLabel(resource: string): string {
  return resource.replace(/[-./]/g, "_");
}

interface PodStatus {
  phase?: string;
  hostIP?: string;
  podIP?: string;
  containerStatuses?: { name: string; restartCount?: number }[];
}

interface PodSpec {
  nodeName?: string;
  priorityClassName?: string;
  hostNetwork?: boolean;
}

function podFamilies(pods: readonly KubeObject[]): MetricFamily[] {
  const info = new MetricFamily("kube_pod_info", "gauge", "Information about pod.");
  const owner = new MetricFamily("kube_pod_owner", "gauge", "Information about the Pod's owner.");
  const phase = new MetricFamily("kube_pod_status_phase", "gauge", "The pods current phase.");
  const restarts = new MetricFamily(
    "kube_pod_container_status_restarts_total",
    "counter",
    "The number of container restarts per container.",
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
    for (const cs of status.containerStatuses ?? [])
      restarts.add({ ...id, container: cs.name }, cs.restartCount ?? 0);
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
  return [info, owner, phase, restarts, requests, limits];
}

function deploymentFamilies(deployments: readonly KubeObject[]): MetricFamily[] {
  const statusReplicas = new MetricFamily(
    "kube_deployment_status_replicas",
    "gauge",
    "The number of replicas per deployment.",
  );
  const available = new MetricFamily(
    "kube_deployment_status_replicas_available",
    "gauge",
    "The number of available replicas per deployment.",
  );
  const specReplicas = new MetricFamily(
    "kube_deployment_spec_replicas",
    "gauge",
    "Number of desired pods for a deployment.",
  );
  for (const d of deployments) {
    const labels = { namespace: d.metadata.namespace ?? "", deployment: d.metadata.name ?? "" };
    const spec = (d.spec ?? {}) as { replicas?: number };
    const status = (d.status ?? {}) as { replicas?: number; availableReplicas?: number };
    statusReplicas.add(labels, status.replicas ?? 0);
    available.add(labels, status.availableReplicas ?? 0);
    // The API server defaults spec.replicas to 1; kube-state-metrics reports what is stored.
    specReplicas.add(labels, spec.replicas ?? 1);
  }
  return [statusReplicas, available, specReplicas];
}

interface NodeStatus {
  allocatable?: Record<string, string>;
  addresses?: { type: string; address: string }[];
  nodeInfo?: Record<string, string>;
}

function nodeFamilies(nodes: readonly KubeObject[]): MetricFamily[] {
  const info = new MetricFamily("kube_node_info", "gauge", "Information about a cluster node.");
  const allocatable = new MetricFamily(
    "kube_node_status_allocatable",
    "gauge",
    "The allocatable for different resources of a node that are available for scheduling.",
  );
  for (const n of nodes) {
    const node = n.metadata.name ?? "";
    const status = (n.status ?? {}) as NodeStatus;
    const spec = (n.spec ?? {}) as { providerID?: string; podCIDR?: string };
    const ni = status.nodeInfo ?? {};
    info.add(
      {
        node,
        kernel_version: ni.kernelVersion ?? "",
        os_image: ni.osImage ?? "",
        container_runtime_version: ni.containerRuntimeVersion ?? "",
        kubelet_version: ni.kubeletVersion ?? "",
        kubeproxy_version: ni.kubeProxyVersion ?? "",
        provider_id: spec.providerID ?? "",
        pod_cidr: spec.podCIDR ?? "",
        system_uuid: ni.systemUUID ?? "",
        internal_ip: status.addresses?.find((a) => a.type === "InternalIP")?.address ?? "",
      },
      1,
    );
    for (const resource of Object.keys(status.allocatable ?? {})) {
      const value = amount(status.allocatable, resource);
      if (value !== undefined)
        allocatable.add({ node, resource: resourceLabel(resource), unit: unitOf(resource) }, value);
    }
  }
  return [info, allocatable];
}

/**
 * kube_namespace_labels carries every label of the namespace, as kube-state-metrics does when
 * started with `--metric-labels-allowlist=namespaces=[*]` (by default it exposes none): the
 * workspace label `kubesphere.io/workspace` is what a per-workspace query joins on.
 */
function namespaceFamilies(namespaces: readonly KubeObject[]): MetricFamily[] {
  const labels = new MetricFamily(
    "kube_namespace_labels",
    "gauge",
    "Kubernetes labels converted to Prometheus labels.",
  );
  for (const ns of namespaces) {
    labels.add({ namespace: ns.metadata.name ?? "", ...labelsFromKeys(ns.metadata.labels ?? {}) }, 1);
  }
  return [labels];
}

export function kubeStateFamilies(store: ClusterStore): MetricFamily[] {
  return [
    ...podFamilies(store.all(KINDS.pod)),
    ...deploymentFamilies(store.all(KINDS.deployment)),
    ...nodeFamilies(store.all(KINDS.node)),
    ...namespaceFamilies(store.all(KINDS.namespace)),
  ];
}
