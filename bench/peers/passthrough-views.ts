/**
 * Kubernetes objects as the passthrough peer's GraphQL types: plain objects whose relation fields
 * are functions, which graphql-js's default resolver calls with (args, context).
 */
import type { V1LabelSelector, V1Node, V1OwnerReference, V1Pod } from "@kubernetes/client-node";
import type { ListedKinds, RequestLists } from "./passthrough-lists.js";

export type PodPhase = "FAILED" | "PENDING" | "RUNNING" | "SUCCEEDED" | "UNKNOWN";
export type WorkloadKind = "DEPLOYMENT" | "STATEFUL_SET" | "DAEMON_SET" | "JOB" | "CRON_JOB";

export interface PodView {
  __typename: "Pod";
  id: string;
  cluster: string;
  namespace: string;
  clusterName: string;
  namespaceName: string;
  name: string;
  uid: string;
  phase: PodPhase;
  restarts: number;
  nodeName: string | null;
  createdAt: string | null;
  createdMs: number;
  node: (args: unknown, lists: RequestLists) => Promise<NodeView | null>;
}

export interface NodeView {
  __typename: "ClusterNode";
  id: string;
  cluster: string;
  clusterName: string;
  name: string;
  ready: boolean;
}

export interface WorkloadView {
  __typename: "Deployment" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob";
  id: string;
  kind: WorkloadKind;
  cluster: string;
  namespace: string;
  name: string;
  uid: string;
  clusterName: string;
  namespaceName: string;
  /** Null for a CronJob, as the gateway answers (it runs Jobs, not replicas). */
  replicas: { desired: number; ready: number } | null;
  pods: (args: { first?: number }, lists: RequestLists) => Promise<{ totalCount: number; nodes: PodView[] }>;
}

export function globalId(type: string, ...parts: string[]): string {
  return Buffer.from([type, ...parts].join("/")).toString("base64url");
}

export function parseGlobalId(id: string): string[] {
  return Buffer.from(id, "base64url").toString("utf8").split("/");
}

export function phaseOf(pod: V1Pod): PodPhase {
  const phase = pod.status?.phase?.toUpperCase();
  return phase === "RUNNING" || phase === "PENDING" || phase === "SUCCEEDED" || phase === "FAILED"
    ? phase
    : "UNKNOWN";
}

export function nodeView(cluster: string, node: V1Node): NodeView {
  const name = node.metadata?.name ?? "";
  const ready = node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
  return {
    __typename: "ClusterNode",
    id: globalId("ClusterNode", cluster, name),
    cluster,
    clusterName: cluster,
    name,
    ready,
  };
}

export function podView(cluster: string, pod: V1Pod): PodView {
  const namespace = pod.metadata?.namespace ?? "";
  const name = pod.metadata?.name ?? "";
  const nodeName = pod.spec?.nodeName ?? null;
  const created = pod.metadata?.creationTimestamp;
  return {
    __typename: "Pod",
    id: globalId("Pod", cluster, namespace, name),
    cluster,
    namespace,
    clusterName: cluster,
    namespaceName: namespace,
    name,
    uid: pod.metadata?.uid ?? "",
    phase: phaseOf(pod),
    restarts: (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + c.restartCount, 0),
    nodeName,
    createdAt: created ? new Date(created).toISOString() : null,
    createdMs: created ? new Date(created).getTime() : 0,
    // The node of every pod on the page comes from one node list per cluster per request.
    node: async (_args, lists) => {
      if (!nodeName) return null;
      const node = (await lists.list(cluster, "nodes")).find((n) => n.metadata?.name === nodeName);
      return node ? nodeView(cluster, node) : null;
    },
  };
}

type WorkloadObject = ListedKinds["deployments" | "statefulsets" | "daemonsets" | "jobs" | "cronjobs"];

function matches(selector: V1LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const wanted = Object.entries(selector?.matchLabels ?? {});
  return wanted.length > 0 && wanted.every(([k, v]) => labels?.[k] === v);
}

const ownedBy = (refs: V1OwnerReference[] | undefined, uid: string): boolean =>
  refs?.some((r) => r.uid === uid) ?? false;

async function selectedPods(
  lists: RequestLists,
  cluster: string,
  namespace: string,
  selectors: (V1LabelSelector | undefined)[],
): Promise<PodView[]> {
  const pods = await lists.list(cluster, "pods");
  return pods
    .filter(
      (p) => p.metadata?.namespace === namespace && selectors.some((s) => matches(s, p.metadata?.labels)),
    )
    .map((p) => podView(cluster, p));
}

export function workloadView(cluster: string, kind: WorkloadKind, object: WorkloadObject): WorkloadView {
  const namespace = object.metadata?.namespace ?? "";
  const name = object.metadata?.name ?? "";
  const uid = object.metadata?.uid ?? "";
  const typename = TYPENAMES[kind];
  const base = {
    __typename: typename,
    id: globalId(typename, cluster, namespace, name),
    kind,
    cluster,
    namespace,
    clusterName: cluster,
    namespaceName: namespace,
    name,
    uid,
  };
  const spec = object.spec as
    { replicas?: number; completions?: number; selector?: V1LabelSelector } | undefined;
  const status = object.status as
    | { readyReplicas?: number; numberReady?: number; desiredNumberScheduled?: number; ready?: number }
    | undefined;
  const desiredReplicas =
    kind === "DAEMON_SET"
      ? (status?.desiredNumberScheduled ?? 0)
      : kind === "JOB"
        ? (spec?.completions ?? 1)
        : kind === "CRON_JOB"
          ? 0
          : (spec?.replicas ?? 1);
  const readyReplicas =
    kind === "DAEMON_SET"
      ? (status?.numberReady ?? 0)
      : kind === "JOB"
        ? (status?.ready ?? 0)
        : (status?.readyReplicas ?? 0);
  return {
    ...base,
    replicas: kind === "CRON_JOB" ? null : { desired: desiredReplicas, ready: readyReplicas },
    pods: async (args, lists) => {
      const all = await workloadPods(lists);
      return { totalCount: all.length, nodes: args.first === undefined ? all : all.slice(0, args.first) };
    },
  };

  async function workloadPods(lists: RequestLists): Promise<PodView[]> {
    if (kind !== "CRON_JOB") return selectedPods(lists, cluster, namespace, [spec?.selector]);
    // A CronJob runs its pods through the Jobs it owns.
    const jobs = (await lists.list(cluster, "jobs")).filter((j) => ownedBy(j.metadata?.ownerReferences, uid));
    return selectedPods(
      lists,
      cluster,
      namespace,
      jobs.map((j) => j.spec?.selector),
    );
  }
}

const TYPENAMES: Record<WorkloadKind, WorkloadView["__typename"]> = {
  DEPLOYMENT: "Deployment",
  STATEFUL_SET: "StatefulSet",
  DAEMON_SET: "DaemonSet",
  JOB: "Job",
  CRON_JOB: "CronJob",
};
