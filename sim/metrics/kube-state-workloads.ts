/**
 * kube-state-metrics' workload series: replica counts of Deployments, StatefulSets and
 * DaemonSets, and the owner of each ReplicaSet — the link a per-Deployment query needs, since a
 * pod's owner (kube_pod_owner) is its ReplicaSet, not the Deployment.
 */
import type { KubeObject } from "../../src/kube/object.js";
import { MetricFamily } from "./exposition.js";

type Status = Record<string, number | undefined>;

/** One gauge per (namespace, workload) read from a field of the object. */
function gauges(
  objects: readonly KubeObject[],
  label: string,
  specs: readonly [name: string, help: string, read: (spec: Status, status: Status) => number][],
): MetricFamily[] {
  const families = specs.map(([name, help]) => new MetricFamily(name, "gauge", help));
  for (const o of objects) {
    const labels = { namespace: o.metadata.namespace ?? "", [label]: o.metadata.name ?? "" };
    const spec = (o.spec ?? {}) as Status;
    const status = (o.status ?? {}) as Status;
    specs.forEach(([, , read], i) => families[i]!.add(labels, read(spec, status)));
  }
  return families;
}

function replicaSetOwners(replicaSets: readonly KubeObject[]): MetricFamily {
  const owner = new MetricFamily(
    "kube_replicaset_owner",
    "gauge",
    "Information about the ReplicaSet's owner.",
  );
  for (const rs of replicaSets) {
    const id = { namespace: rs.metadata.namespace ?? "", replicaset: rs.metadata.name ?? "" };
    const owners = rs.metadata.ownerReferences ?? [];
    if (owners.length === 0)
      owner.add({ ...id, owner_kind: "<none>", owner_name: "<none>", owner_is_controller: "<none>" }, 1);
    for (const o of owners)
      owner.add(
        { ...id, owner_kind: o.kind, owner_name: o.name, owner_is_controller: String(o.controller === true) },
        1,
      );
  }
  return owner;
}

export interface Workloads {
  deployments: readonly KubeObject[];
  replicaSets: readonly KubeObject[];
  statefulSets: readonly KubeObject[];
  daemonSets: readonly KubeObject[];
}

export function workloadFamilies(w: Workloads): MetricFamily[] {
  return [
    // The API server defaults spec.replicas to 1; the store holds what was written, so default here.
    ...gauges(w.deployments, "deployment", [
      [
        "kube_deployment_status_replicas",
        "The number of replicas per deployment.",
        (_, s) => s.replicas ?? 0,
      ],
      [
        "kube_deployment_status_replicas_available",
        "The number of available replicas per deployment.",
        (_, s) => s.availableReplicas ?? 0,
      ],
      [
        "kube_deployment_spec_replicas",
        "Number of desired pods for a deployment.",
        (spec) => spec.replicas ?? 1,
      ],
    ]),
    replicaSetOwners(w.replicaSets),
    ...gauges(w.statefulSets, "statefulset", [
      [
        "kube_statefulset_replicas",
        "Number of desired pods for a StatefulSet.",
        (spec) => spec.replicas ?? 1,
      ],
      [
        "kube_statefulset_status_replicas",
        "The number of replicas per StatefulSet.",
        (_, s) => s.replicas ?? 0,
      ],
      [
        "kube_statefulset_status_replicas_ready",
        "The number of ready replicas per StatefulSet.",
        (_, s) => s.readyReplicas ?? 0,
      ],
    ]),
    ...gauges(w.daemonSets, "daemonset", [
      [
        "kube_daemonset_status_desired_number_scheduled",
        "The number of nodes that should be running the daemon pod.",
        (_, s) => s.desiredNumberScheduled ?? 0,
      ],
      [
        "kube_daemonset_status_number_available",
        "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available",
        (_, s) => s.numberAvailable ?? 0,
      ],
      [
        "kube_daemonset_status_number_ready",
        "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.",
        (_, s) => s.numberReady ?? 0,
      ],
    ]),
  ];
}
