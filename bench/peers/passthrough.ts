/**
 * Peer `passthrough`: the scenarios' GraphQL operations answered by listing from every API server
 * on each request, then filtering, sorting and paging in memory — how qlkube, GraphQL Mesh over
 * the Kubernetes OpenAPI and Backstage's fan-out work. Label selectors and the phase go to the API
 * servers as label and field selectors, as those tools pass them through.
 *
 *   node dist/bench/peers/passthrough.js <port> <kubeconfig>
 */
import type { V1Pod } from "@kubernetes/client-node";
import { fleetClients } from "./fleet-clients.js";
import { serveGraphQL } from "./graphql-http.js";
import { RequestLists, type ListKind } from "./passthrough-lists.js";
import { passthroughSchema } from "./passthrough-schema.js";
import {
  nodeView,
  parseGlobalId,
  podView,
  workloadView,
  type PodPhase,
  type PodView,
  type WorkloadKind,
  type WorkloadView,
} from "./passthrough-views.js";

interface PodsArgs {
  filter?: { clusters?: string[]; namespaces?: string[]; labelSelector?: string; phases?: PodPhase[] };
  orderBy?: { field: "CLUSTER" | "CREATED" | "NAME" | "NAMESPACE" | "RESTARTS"; direction: "ASC" | "DESC" };
  first?: number;
}

const [port = "0", kubeconfig] = process.argv.slice(2);
if (!kubeconfig) {
  process.stderr.write("usage: passthrough <port> <kubeconfig>\n");
  process.exit(2);
}
const clients = new Map(fleetClients(kubeconfig).map((c) => [c.name, c]));

const compare = (a: string | number, b: string | number): number => (a === b ? 0 : a < b ? -1 : 1);

function podKey(pod: PodView, field: NonNullable<PodsArgs["orderBy"]>["field"]): string | number {
  switch (field) {
    case "CLUSTER":
      return pod.cluster;
    case "NAMESPACE":
      return pod.namespace;
    case "NAME":
      return pod.name;
    case "CREATED":
      return pod.createdMs;
    case "RESTARTS":
      return pod.restarts;
  }
}

/** Ties are broken by cluster, namespace, name and uid, as the gateway does. */
function tieBreak(a: { cluster: string; namespace: string; name: string; uid: string }, b: typeof a): number {
  return (
    compare(a.cluster, b.cluster) ||
    compare(a.namespace, b.namespace) ||
    compare(a.name, b.name) ||
    compare(a.uid, b.uid)
  );
}

async function listPods(lists: RequestLists, cluster: string, args: PodsArgs): Promise<V1Pod[]> {
  const core = lists.client(cluster).core;
  const phases = args.filter?.phases ?? [];
  const query = {
    ...(args.filter?.labelSelector ? { labelSelector: args.filter.labelSelector } : {}),
    // One phase is a field selector on the server; several are filtered here.
    ...(phases.length === 1
      ? { fieldSelector: `status.phase=${phases[0]![0]}${phases[0]!.slice(1).toLowerCase()}` }
      : {}),
  };
  const namespaces = args.filter?.namespaces;
  if (!namespaces) return (await core.listPodForAllNamespaces(query)).items;
  const perNamespace = await Promise.all(
    namespaces.map((namespace) => core.listNamespacedPod({ namespace, ...query })),
  );
  return perNamespace.flatMap((list) => list.items);
}

async function pods(args: PodsArgs, lists: RequestLists): Promise<{ totalCount: number; nodes: PodView[] }> {
  const clusters = args.filter?.clusters ?? lists.clusterNames();
  const phases = args.filter?.phases;
  const perCluster = await Promise.all(
    clusters.map(async (cluster) => (await listPods(lists, cluster, args)).map((p) => podView(cluster, p))),
  );
  let all = perCluster.flat();
  if (phases && phases.length > 1) all = all.filter((p) => phases.includes(p.phase));
  const order = args.orderBy ?? { field: "CLUSTER", direction: "ASC" };
  const sign = order.direction === "DESC" ? -1 : 1;
  all.sort((a, b) => sign * compare(podKey(a, order.field), podKey(b, order.field)) || tieBreak(a, b));
  return { totalCount: all.length, nodes: all.slice(0, args.first ?? 100) };
}

async function node({ id }: { id: string }, lists: RequestLists): Promise<unknown> {
  const [type, cluster = "", namespaceOrName = "", name = ""] = parseGlobalId(id);
  if (!clients.has(cluster)) return null;
  const core = lists.client(cluster).core;
  if (type === "Pod")
    return podView(cluster, await core.readNamespacedPod({ namespace: namespaceOrName, name }));
  if (type === "ClusterNode") return nodeView(cluster, await core.readNode({ name: namespaceOrName }));
  return null;
}

const WORKLOAD_LISTS: [
  ListKind & ("deployments" | "statefulsets" | "daemonsets" | "jobs" | "cronjobs"),
  WorkloadKind,
][] = [
  ["deployments", "DEPLOYMENT"],
  ["statefulsets", "STATEFUL_SET"],
  ["daemonsets", "DAEMON_SET"],
  ["jobs", "JOB"],
  ["cronjobs", "CRON_JOB"],
];

async function clusterWorkloads(lists: RequestLists, cluster: string): Promise<WorkloadView[]> {
  const perKind = await Promise.all(
    WORKLOAD_LISTS.map(async ([list, kind]) =>
      (await lists.list(cluster, list)).map((o) => workloadView(cluster, kind, o)),
    ),
  );
  return perKind.flat();
}

async function workloads({ first }: { first?: number }, lists: RequestLists) {
  const all = (await Promise.all(lists.clusterNames().map((c) => clusterWorkloads(lists, c)))).flat();
  all.sort(tieBreak);
  return { totalCount: all.length, nodes: all.slice(0, first ?? 100) };
}

async function summary(lists: RequestLists, cluster: string) {
  const [nodes, namespaces, podList, workloadList] = await Promise.all([
    lists.list(cluster, "nodes"),
    lists.list(cluster, "namespaces"),
    lists.list(cluster, "pods"),
    clusterWorkloads(lists, cluster),
  ]);
  const counts = { total: podList.length, running: 0, pending: 0, succeeded: 0, failed: 0, unknown: 0 };
  for (const pod of podList) counts[podView(cluster, pod).phase.toLowerCase() as keyof typeof counts]++;
  return {
    nodes: nodes.length,
    readyNodes: nodes.filter((n) => nodeView(cluster, n).ready).length,
    namespaces: namespaces.length,
    workloads: workloadList.length,
    pods: counts,
  };
}

function clusters({ first }: { first?: number }) {
  const names = [...clients.keys()].sort().slice(0, first ?? 100);
  return {
    totalCount: clients.size,
    nodes: names.map((name) => ({
      __typename: "Cluster",
      id: name,
      name,
      summary: (_args: unknown, lists: RequestLists) => summary(lists, name),
    })),
  };
}

await serveGraphQL({
  schema: passthroughSchema(),
  rootValue: { pods, node, workloads, clusters },
  context: () => new RequestLists(clients),
  port: Number(port),
});
