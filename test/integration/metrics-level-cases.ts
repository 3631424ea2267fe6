/**
 * The objects metrics-levels.test.ts compares, one case per level: a cluster's, a node's, a
 * workspace's, a namespace's, a Deployment's (WEB, applied here: three pods of two containers), a
 * StatefulSet's, a DaemonSet's, a pod's and its containers' — each with where its numbers sit in
 * a GraphQL answer and the PromQL (metrics-expectations.ts) that computes each of them.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";
import {
  aggregateQuery,
  CLUSTER_USAGE,
  CONTAINER_USAGE,
  matcher,
  NAMESPACE_USAGE,
  NODE_USAGE,
  POD_USAGE,
  workloadUsage,
  workspaceQuery,
  WORKSPACE_USAGE,
  type FieldExpectation,
  type LevelExpectations,
} from "./metrics-expectations.js";
import { untilRated, type MetricsFleet } from "./metrics-fixture.js";

/** A Deployment of several pods of two containers, so sums over pods and containers are sums. */
const WEB = { name: "levels-web", namespace: "search", replicas: 3 };

/** One object whose numbers are compared: where in the answer, and how Prometheus computes them. */
export interface Target {
  what: string;
  object: Record<string, unknown>;
  fields: LevelExpectations;
  query: (field: FieldExpectation) => string;
}

export interface LevelCase {
  fields: LevelExpectations;
  /** The operation's variables and the root selection, `numbers` standing where the numbers go. */
  variables: Record<string, string>;
  root: (numbers: string) => string;
  targets: (data: Record<string, unknown>) => Target[];
}

type Json = Record<string, unknown>;
const field = (o: unknown, name: string): Json => (o as Json)[name] as Json;
const nodesOf = (connection: unknown): Json[] => field(connection, "nodes") as unknown as Json[];

function selector(pins: Record<string, readonly string[]>): string {
  return Object.entries(pins)
    .map(([label, values]) => matcher(label, values))
    .join(",");
}

const onSelector = (pins: Record<string, readonly string[]>) => {
  const s = selector(pins);
  return (f: FieldExpectation) => aggregateQuery(f, s);
};

export interface LevelCases {
  /** The cluster every object but the clusters' lives in. */
  cluster: string;
  /** By level: CLUSTER, NODE, WORKSPACE, NAMESPACE, WORKLOAD <kind>, POD, CONTAINER. */
  cases: Map<string, LevelCase>;
  /** Unix seconds by which Prometheus had a CPU rate for every container of WEB. */
  webRatedAt: number;
}

/** Picks the objects of every level in `fleet` (after applying WEB) and says how to compare each. */
export async function levelCases(fleet: MetricsFleet): Promise<LevelCases> {
  const cluster = fleet.clusters[0]!;
  const webRatedAt = await startWeb(fleet, cluster);
  const cases = new Map<string, LevelCase>();
  const picked = await fleet.query(
    `query Pick($cluster: String!) {
      workloads(first: 60, filter: { clusters: [$cluster], kinds: [DEPLOYMENT, STATEFUL_SET, DAEMON_SET] }) {
        nodes { kind name namespaceName pods(first: 10) { nodes { name phase nodeName containers { name } } } }
      }
      namespace(cluster: $cluster, name: "${WEB.namespace}") { workspaceName }
    }`,
    { cluster },
  );
  expect(picked.errors).toBeUndefined();
  const workloads = nodesOf(field(picked.data, "workloads")) as unknown as Array<{
    kind: string;
    name: string;
    namespaceName: string;
    pods: { nodes: Array<{ name: string; phase: string; nodeName: string; containers: { name: string }[] }> };
  }>;
  const running = (w: (typeof workloads)[number]) => w.pods.nodes.filter((p) => p.phase === "RUNNING").length;
  const web = workloads.find((w) => w.name === WEB.name)!;
  const statefulSet = workloads.find((w) => w.kind === "STATEFUL_SET" && running(w) >= 1);
  const daemonSet = workloads.find((w) => w.kind === "DAEMON_SET" && running(w) >= 2);
  if (!statefulSet || !daemonSet) throw new Error("the fleet has no running StatefulSet or DaemonSet");
  const pod = web.pods.nodes[0]!;
  const workspace = field(field(picked.data, "namespace"), "workspaceName") as unknown as string;
  expect(workspace).toBeTruthy();

  cases.set("CLUSTER", {
    fields: CLUSTER_USAGE,
    variables: {},
    root: (numbers) => `clusters { nodes { name ${numbers} } }`,
    targets: (data) =>
      nodesOf(data.clusters).map((c) => ({
        what: `cluster ${String(c.name)}`,
        object: c,
        fields: CLUSTER_USAGE,
        query: onSelector({ cluster: [c.name as string] }),
      })),
  });
  cases.set("NODE", {
    fields: NODE_USAGE,
    variables: { cluster, node: pod.nodeName },
    root: (numbers) => `clusterNode(cluster: $cluster, name: $node) { ${numbers} }`,
    targets: (data) => [
      {
        what: `node ${pod.nodeName}`,
        object: data.clusterNode as Json,
        fields: NODE_USAGE,
        query: onSelector({ cluster: [cluster], node: [pod.nodeName] }),
      },
    ],
  });
  cases.set("WORKSPACE", {
    fields: WORKSPACE_USAGE,
    variables: { workspace },
    root: (numbers) => `workspace(name: $workspace) { ${numbers} }`,
    targets: (data) => [
      {
        what: `workspace ${workspace}`,
        object: data.workspace as Json,
        fields: WORKSPACE_USAGE,
        query: (f) => workspaceQuery(f, workspace),
      },
    ],
  });
  cases.set("NAMESPACE", {
    fields: NAMESPACE_USAGE,
    variables: { cluster, namespace: WEB.namespace },
    root: (numbers) => `namespace(cluster: $cluster, name: $namespace) { ${numbers} }`,
    targets: (data) => [
      {
        what: `namespace ${WEB.namespace}`,
        object: data.namespace as Json,
        fields: NAMESPACE_USAGE,
        query: onSelector({ cluster: [cluster], namespace: [WEB.namespace] }),
      },
    ],
  });
  for (const w of [web, statefulSet, daemonSet]) {
    const fields = workloadUsage(
      w.kind,
      selector({ cluster: [cluster], namespace: [w.namespaceName] }),
      w.name,
    );
    cases.set(`WORKLOAD ${w.kind}`, {
      fields,
      variables: { cluster, kind: w.kind, name: w.name, namespace: w.namespaceName },
      root: (numbers) =>
        `workload(cluster: $cluster, kind: $kind, name: $name, namespace: $namespace) {
          ${numbers} pods(first: 100) { nodes { name } } }`,
      targets: (data) => {
        // The workload's pods as the gateway lists them: what its numbers must be the sum of.
        const pods = nodesOf(field(data.workload, "pods")).map((p) => p.name as string);
        expect(pods.length, `${w.kind} ${w.name} has pods`).toBeGreaterThan(0);
        return [
          {
            what: `${w.kind} ${w.namespaceName}/${w.name}`,
            object: data.workload as Json,
            fields,
            query: onSelector({ cluster: [cluster], namespace: [w.namespaceName], pod: pods }),
          },
        ];
      },
    });
  }
  const podPins = { cluster: [cluster], namespace: [WEB.namespace], pod: [pod.name] };
  cases.set("POD", {
    fields: POD_USAGE,
    variables: { cluster, namespace: WEB.namespace, pod: pod.name },
    root: (numbers) => `pod(cluster: $cluster, namespace: $namespace, name: $pod) { ${numbers} }`,
    targets: (data) => [
      { what: `pod ${pod.name}`, object: data.pod as Json, fields: POD_USAGE, query: onSelector(podPins) },
    ],
  });
  cases.set("CONTAINER", {
    fields: CONTAINER_USAGE,
    variables: { cluster, namespace: WEB.namespace, pod: pod.name },
    root: (numbers) =>
      `pod(cluster: $cluster, namespace: $namespace, name: $pod) { containers { name ${numbers} } }`,
    targets: (data) => {
      const containers = field(data.pod, "containers") as unknown as Json[];
      expect(containers.map((c) => c.name).sort()).toEqual(["sidecar", "web"]);
      return containers.map((c) => ({
        what: `container ${pod.name}/${String(c.name)}`,
        object: c,
        fields: CONTAINER_USAGE,
        query: onSelector({ ...podPins, container: [c.name as string] }),
      }));
    },
  });
  return { cluster, cases, webRatedAt };
}

/**
 * Applies the Deployment WEB and waits until its pods run, the gateway's cache lists them and
 * Prometheus has two scrapes of each of their containers (so their CPU has a rate); returns when.
 */
async function startWeb(fleet: MetricsFleet, cluster: string): Promise<number> {
  const container = (name: string, limits: boolean) => ({
    name,
    image: `ghcr.io/acme/${name}:1.0`,
    resources: {
      requests: { cpu: name === "web" ? "400m" : "100m", memory: name === "web" ? "512Mi" : "64Mi" },
      ...(limits ? { limits: { cpu: "1", memory: "1Gi" } } : {}),
    },
  });
  const manifest = join(fleet.sim.kubeconfigPath, "..", "levels-web.json");
  await writeFile(
    manifest,
    JSON.stringify({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: WEB.name, namespace: WEB.namespace },
      spec: {
        replicas: WEB.replicas,
        selector: { matchLabels: { app: WEB.name } },
        template: {
          metadata: { labels: { app: WEB.name } },
          // Only the web container has limits: a sum must not invent the sidecar's.
          spec: { containers: [container("web", true), container("sidecar", false)] },
        },
      },
    }),
  );
  const applied = await kubectl(fleet.sim.kubeconfigPath, [`--context=${cluster}`, "apply", "-f", manifest]);
  expect(applied.code, applied.stderr).toBe(0);
  await eventually(
    async () => {
      const answer = await fleet.query<{ workload: { pods: { nodes: { phase: string }[] } } | null }>(
        `{ workload(cluster: "${cluster}", kind: DEPLOYMENT, namespace: "${WEB.namespace}", name: "${WEB.name}") {
          pods { nodes { phase } } } }`,
      );
      const phases = answer.data?.workload?.pods.nodes.map((p) => p.phase) ?? [];
      return phases.length === WEB.replicas && phases.every((p) => p === "RUNNING");
    },
    20_000,
    200,
  );
  await untilRated(
    fleet.prometheus,
    `cluster="${cluster}",namespace="${WEB.namespace}",pod=~"${WEB.name}-.+"`,
    WEB.replicas * 2,
  );
  return Math.ceil(Date.now() / 1000);
}
