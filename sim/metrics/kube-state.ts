/**
 * kube-state-metrics' series, under its names and labels (docs/metrics in
 * kubernetes/kube-state-metrics): pods (kube-state-pods.ts), workloads (kube-state-workloads.ts),
 * nodes and namespaces here. One gauge per fact, read from the store at scrape time, so they
 * follow the fleet exactly.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { findResource, type ResourceKind } from "../kinds.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { labelsFromKeys, MetricFamily } from "./exposition.js";
import { podFamilies } from "./kube-state-pods.js";
import { workloadFamilies } from "./kube-state-workloads.js";
import { resourceLabel, unitOf } from "./resource-labels.js";
import { amount } from "./usage.js";

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
  replicaSet: kindOf("apps", "replicasets"),
  statefulSet: kindOf("apps", "statefulsets"),
  daemonSet: kindOf("apps", "daemonsets"),
};

interface NodeStatus {
  allocatable?: Record<string, string>;
  addresses?: { type: string; address: string }[];
  nodeInfo?: Record<string, string>;
  conditions?: { type: string; status: string }[];
}

const CONDITION_STATUSES = ["true", "false", "unknown"] as const;

function nodeFamilies(nodes: readonly KubeObject[]): MetricFamily[] {
  const info = new MetricFamily("kube_node_info", "gauge", "Information about a cluster node.");
  const allocatable = new MetricFamily(
    "kube_node_status_allocatable",
    "gauge",
    "The allocatable for different resources of a node that are available for scheduling.",
  );
  const condition = new MetricFamily(
    "kube_node_status_condition",
    "gauge",
    "The condition of a cluster node.",
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
    // One series per status, the one that holds at 1, as kube-state-metrics writes them.
    for (const c of status.conditions ?? [])
      for (const s of CONDITION_STATUSES)
        condition.add({ node, condition: c.type, status: s }, c.status.toLowerCase() === s ? 1 : 0);
    for (const resource of Object.keys(status.allocatable ?? {})) {
      const value = amount(status.allocatable, resource);
      if (value !== undefined)
        allocatable.add({ node, resource: resourceLabel(resource), unit: unitOf(resource) }, value);
    }
  }
  return [info, allocatable, condition];
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
    ...workloadFamilies({
      deployments: store.all(KINDS.deployment),
      replicaSets: store.all(KINDS.replicaSet),
      statefulSets: store.all(KINDS.statefulSet),
      daemonSets: store.all(KINDS.daemonSet),
    }),
    ...nodeFamilies(store.all(KINDS.node)),
    ...namespaceFamilies(store.all(KINDS.namespace)),
  ];
}
