/**
 * Pods of an autoscaled workload use what their HorizontalPodAutoscaler measured: its status's
 * current CPU utilization (of requests), give or take 15 % per pod, so Prometheus and
 * `kubectl get hpa` tell the same story. Other pods keep their hashed share (usage.ts).
 */
import type { KubeObject } from "../../src/kube/object.js";
import { findResource, type ResourceKind } from "../kinds.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { fraction } from "./usage.js";

const AUTOSCALERS = findResource("autoscaling", "horizontalpodautoscalers")!;
const TARGETS: Readonly<Record<string, ResourceKind>> = {
  Deployment: findResource("apps", "deployments")!,
  StatefulSet: findResource("apps", "statefulsets")!,
};

interface AutoscalerView {
  spec?: { scaleTargetRef?: { kind?: string; name?: string } };
  status?: {
    currentMetrics?: {
      type?: string;
      resource?: { name?: string; current?: { averageUtilization?: number } };
    }[];
  };
}

const POD_RESOURCE = "/pods"; // the store's resource key: "<group>/<plural>"
const REPLICASET_RESOURCE = "apps/replicasets";

/** Pods a workload runs: directly, or through the ReplicaSets a Deployment owns. */
function podsOf(store: ClusterStore, workload: KubeObject): KubeObject[] {
  const pods: KubeObject[] = [];
  for (const { resource, object } of store.ownedBy(workload.metadata.uid ?? "")) {
    if (resource === POD_RESOURCE) pods.push(object);
    else if (resource === REPLICASET_RESOURCE)
      for (const owned of store.ownedBy(object.metadata.uid ?? ""))
        if (owned.resource === POD_RESOURCE) pods.push(owned.object);
  }
  return pods;
}

/** CPU utilization (a share of the request, 1 = 100 %) for each autoscaled pod, by uid. */
export function autoscaledCpuShares(store: ClusterStore, seed: string): Map<string, number> {
  const shares = new Map<string, number>();
  for (const hpa of store.all(AUTOSCALERS)) {
    const view = hpa as AutoscalerView;
    const cpu = view.status?.currentMetrics?.find((m) => m.type === "Resource" && m.resource?.name === "cpu");
    const utilization = cpu?.resource?.current?.averageUtilization;
    const ref = view.spec?.scaleTargetRef;
    const kind = ref?.kind ? TARGETS[ref.kind] : undefined;
    if (utilization === undefined || !kind || !ref?.name) continue;
    const workload = store.get(kind, hpa.metadata.namespace, ref.name);
    if (!workload) continue;
    for (const pod of podsOf(store, workload)) {
      const uid = pod.metadata.uid ?? "";
      // 0.85–1.15 around the average, so the pods' mean stays near what the autoscaler reports.
      shares.set(uid, (utilization / 100) * (0.85 + 0.3 * fraction(seed, uid, "hpa-spread")));
    }
  }
  return shares;
}
