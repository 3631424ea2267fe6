/**
 * The guard rails a workspace puts on each of its namespaces: a ResourceQuota on pods and CPU and
 * memory requests and limits, sized at one and a half times what the namespace's workloads are
 * planned to use (rounded up to whole cores and GiB), and a LimitRange with container defaults
 * and maxima and the sizes a claim may ask for.
 */
import type { Component, NamespaceSpec } from "./catalog.js";
import type { PlannedObject } from "./workloads.js";

const HEADROOM = 1.5;

export function buildQuotas(
  ns: NamespaceSpec,
  replicasOf: (c: Component) => number,
  nodeCount: number,
): PlannedObject[] {
  if (!ns.workspace) return [];
  let pods = 0;
  let cpuMilli = 0;
  let memoryMi = 0;
  for (const c of ns.components) {
    const n = c.kind === "DaemonSet" ? nodeCount : replicasOf(c);
    pods += n;
    cpuMilli += n * c.cpuMilli;
    memoryMi += n * c.memoryMi;
  }
  const hardPods = Math.max(10, Math.ceil((pods * HEADROOM) / 10) * 10);
  const cores = Math.max(2, Math.ceil((cpuMilli * HEADROOM) / 1000));
  const gi = Math.max(2, Math.ceil((memoryMi * HEADROOM) / 1024));
  const labels = { "kubesphere.io/workspace": ns.workspace };
  return [
    {
      resource: "/resourcequotas",
      object: {
        metadata: { name: "compute-resources", namespace: ns.name, labels },
        spec: {
          // Sorted, as the server writes a Go map back.
          hard: {
            "limits.cpu": String(cores * 2),
            "limits.memory": `${gi * 2}Gi`,
            pods: String(hardPods),
            "requests.cpu": String(cores),
            "requests.memory": `${gi}Gi`,
          },
        },
      },
    },
    {
      resource: "/limitranges",
      object: {
        metadata: { name: "default-limits", namespace: ns.name, labels },
        spec: {
          limits: [
            {
              type: "Container",
              default: { cpu: "500m", memory: "512Mi" },
              defaultRequest: { cpu: "100m", memory: "128Mi" },
              max: { cpu: "4", memory: "8Gi" },
            },
            { type: "PersistentVolumeClaim", min: { storage: "1Gi" }, max: { storage: "200Gi" } },
          ],
        },
      },
    },
  ];
}
