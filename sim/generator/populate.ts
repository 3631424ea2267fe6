/**
 * Fills one cluster's store with its generated contents, through the same store API the REST
 * layer uses, then lets the controllers run so Deployments have ReplicaSets and Running pods,
 * StatefulSets their bound volumes, autoscalers and quotas their status, before anyone connects.
 * Finally compacts the history, as etcd would after a busy start, so 50 clusters do not each
 * keep thousands of start-up revisions in memory.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { findResource, type ResourceKind } from "../kinds.js";
import { NAMESPACES, type Component, type Provider } from "./catalog.js";
import { buildAutoscaler } from "./autoscalers.js";
import { buildIngresses } from "./ingresses.js";
import { buildNodes } from "./nodes.js";
import { buildQuotas } from "./quotas.js";
import type { SeededRandom } from "./random.js";
import { buildStorageClasses } from "./storage-classes.js";
import { componentKey, planReplicas, sizeNodes, type ClusterPlan } from "./plan.js";
import { buildRbac, type FleetUser } from "./users.js";
import { buildWorkloads, type PlannedObject } from "./workloads.js";

export interface PopulateOptions {
  plan: ClusterPlan;
  users: FleetUser[];
  /** Runs the controllers until nothing is left to do. */
  settle: () => void;
  now?: Date;
}

function resourceKind(resource: string): ResourceKind {
  const slash = resource.indexOf("/");
  const kind = findResource(resource.slice(0, slash), resource.slice(slash + 1));
  if (!kind) throw new Error(`unknown resource ${resource}`);
  return kind;
}

const NAMESPACE = resourceKind("/namespaces");
const NODE = resourceKind("/nodes");
const SERVICE = resourceKind("/services");
const JOB = resourceKind("batch/jobs");

/** A public address in one of the provider's ranges, for the cluster's load balancer. */
function publicAddress(provider: Provider, random: SeededRandom): string {
  const first = { aws: 52, gcp: 34, azure: 20 }[provider];
  return `${first}.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
}

/** Creates unless something (a controller) already made it. */
function ensure(store: ClusterStore, kind: ResourceKind, object: KubeObject): void {
  if (!store.get(kind, object.metadata.namespace, object.metadata.name!)) store.create(kind, object);
}

function namespaceObject(name: string, workspace: string | undefined, environment: string): KubeObject {
  return {
    metadata: {
      name,
      labels: {
        "kubernetes.io/metadata.name": name,
        ...(workspace ? { "kubesphere.io/workspace": workspace } : {}),
        ...(name.startsWith("kube-") ? {} : { environment }),
      },
    },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}

/** The real API server defaults a Job's selector to its own uid; writing to the store skips that, so do it here. */
function createJob(store: ClusterStore, object: KubeObject): void {
  const created = store.create(JOB, object);
  const uid = created.metadata.uid!;
  store.mutate(JOB, created.metadata.namespace, created.metadata.name!, (draft) => {
    const spec = draft.spec as {
      selector?: unknown;
      template: { metadata: { labels: Record<string, string> } };
    };
    spec.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
    spec.template.metadata.labels["batch.kubernetes.io/controller-uid"] = uid;
    spec.template.metadata.labels["controller-uid"] = uid;
  });
}

function write(store: ClusterStore, planned: PlannedObject): void {
  const kind = resourceKind(planned.resource);
  if (kind === JOB) createJob(store, planned.object);
  else ensure(store, kind, planned.object);
}

export function populateCluster(store: ClusterStore, options: PopulateOptions): void {
  const { plan } = options;
  const now = options.now ?? new Date();
  const replicas = planReplicas(plan.random.fork("replicas"), plan.podBudget, plan.nodeCount);
  const sizing = sizeNodes(plan.region, replicas, plan.nodeCount);
  for (const node of buildNodes(
    plan.name,
    plan.region,
    plan.nodeCount,
    sizing,
    plan.random.fork("nodes"),
    now,
  )) {
    store.create(NODE, node);
  }
  for (const planned of buildStorageClasses(plan.region.provider)) write(store, planned);
  for (const ns of NAMESPACES)
    ensure(store, NAMESPACE, namespaceObject(ns.name, ns.workspace, plan.environment));
  // The controllers give every namespace its default ServiceAccount and kube-root-ca.crt.
  options.settle();
  ensure(store, SERVICE, {
    metadata: {
      name: "kubernetes",
      namespace: "default",
      labels: { component: "apiserver", provider: "kubernetes" },
    },
    spec: {
      type: "ClusterIP",
      clusterIP: "10.96.0.1",
      clusterIPs: ["10.96.0.1"],
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
      sessionAffinity: "None",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      internalTrafficPolicy: "Cluster",
    },
    status: { loadBalancer: {} },
  });
  for (const planned of buildRbac(options.users)) write(store, planned);
  const objects = plan.random.fork("objects");
  const loadBalancerIP = publicAddress(plan.region.provider, plan.random.fork("load-balancer"));
  for (const ns of NAMESPACES) {
    const replicasOf = (c: Component) => replicas.get(componentKey(ns.name, c)) ?? 0;
    const planned = [
      // The quota comes first, as a workspace's does, so it counts every pod from the start.
      ...buildQuotas(ns, replicasOf, plan.nodeCount),
      ...buildWorkloads(ns, { replicasOf, environment: plan.environment, random: objects, loadBalancerIP }),
      ...buildIngresses(ns, plan.environment, objects.fork(`ingresses/${ns.name}`)),
      ...ns.components.flatMap((c) => buildAutoscaler(ns, c, replicasOf(c))),
    ];
    for (const object of planned) write(store, object);
  }
  options.settle();
  store.compact();
}
