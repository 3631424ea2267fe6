/** Shared set-up for the controller tests: a store with namespaces and Ready nodes, and workload builders. */
import type { KubeObject } from "../../src/kube/object.js";
import { findResource, type ResourceKind } from "../../sim/kinds.js";
import { ClusterStore } from "../../sim/store/cluster-store.js";
import { namespaceDefaults } from "../../sim/controllers/index.js";

export function kind(group: string, plural: string): ResourceKind {
  const k = findResource(group, plural);
  if (!k) throw new Error(`no kind ${plural}.${group}`);
  return k;
}

export const K = {
  ns: kind("", "namespaces"),
  node: kind("", "nodes"),
  pod: kind("", "pods"),
  event: kind("", "events"),
  deploy: kind("apps", "deployments"),
  rs: kind("apps", "replicasets"),
  sts: kind("apps", "statefulsets"),
  ds: kind("apps", "daemonsets"),
  job: kind("batch", "jobs"),
  cm: kind("", "configmaps"),
};

export function node(
  name: string,
  options: { ready?: boolean; taints?: unknown[]; unschedulable?: boolean } = {},
): KubeObject {
  return {
    metadata: { name, labels: { "kubernetes.io/hostname": name } },
    spec: {
      podCIDR: `10.244.${name.length}.0/24`,
      ...(options.taints ? { taints: options.taints } : {}),
      ...(options.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      conditions: [{ type: "Ready", status: options.ready === false ? "False" : "True" }],
      addresses: [{ type: "InternalIP", address: `192.168.0.${name.length + 10}` }],
    },
  };
}

export function newCluster(
  nodes = ["node-a", "node-b", "node-c"],
  namespaces = ["default", "shop"],
): ClusterStore {
  const store = new ClusterStore({ clusterName: "test" });
  for (const ns of namespaces) store.create(K.ns, namespaceDefaults({ metadata: { name: ns } }));
  for (const n of nodes) store.create(K.node, node(n));
  return store;
}

export function template(
  app: string,
  image = "nginx:1.25",
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    metadata: { labels: { app } },
    spec: { containers: [{ name: app, image }], ...extra },
  };
}

export function deployment(
  name: string,
  replicas: number,
  image = "nginx:1.25",
  namespace = "shop",
): KubeObject {
  return {
    metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name, image) },
  };
}

export function podsOf(store: ClusterStore, namespace: string, labelApp: string): KubeObject[] {
  return store.all(K.pod, namespace).filter((p) => p.metadata.labels?.app === labelApp);
}

export function eventsFor(store: ClusterStore, name: string): KubeObject[] {
  return store.all(K.event).filter((e) => (e.involvedObject as { name?: string }).name === name);
}

export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const phase = (pod: KubeObject): string | undefined => (pod.status as { phase?: string }).phase;
export const status = (obj: KubeObject | undefined): Record<string, unknown> =>
  (obj?.status ?? {}) as Record<string, unknown>;
