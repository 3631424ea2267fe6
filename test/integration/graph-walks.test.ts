/**
 * The graph as a dashboard walks it, over real HTTP against a simulated fleet: from a pod to its
 * namespace, workspace and the clusters the workspace spans; from a deployment through its
 * revisions and pods to nodes and their other pods; from a service to its pods; from a claim to
 * its volume and storage class; from an autoscaler to its workload; from an event to the object
 * it is about. Every relation is paged to its end: each item once, and totalCount the count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { findResource } from "../../sim/kinds.js";
import { fleetConfig, graphql, startSimFleet, startTestGateway } from "./server-fixture.js";

let fleet: SimFleet;
let gateway: Gateway;

const POD = findResource("", "pods")!;

beforeAll(async () => {
  fleet = await startSimFleet("graph-walks", { clusters: 2, nodes: 3, pods: 120 });
  gateway = await startTestGateway(fleetConfig(fleet));
  await gateway.fleetCache.whenSynced(20_000);
});

afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
});

async function query<D>(text: string, variables?: Record<string, unknown>): Promise<D> {
  const answer = await graphql<D>(gateway.url, text, variables);
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  expect(answer.status).toBe(200);
  return answer.data!;
}

interface Page<T> {
  totalCount: number | null;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: T[];
}

/**
 * Pages a connection to its end, `size` at a time (the query takes $first and $after; `select`
 * reads the connection out of the answer). Asserts every item comes once, and that the number of
 * items is totalCount, which stays the same on every page.
 */
async function pageAll<D, T extends { id: string }>(
  text: string,
  variables: Record<string, unknown>,
  select: (data: D) => Page<T>,
  size = 3,
): Promise<T[]> {
  const seen = new Map<string, T>();
  let after: string | null = null;
  let total: number | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page = select(await query<D>(text, { ...variables, first: size, after }));
    total ??= page.totalCount;
    expect(page.totalCount).toBe(total);
    for (const item of page.nodes) {
      expect(seen.has(item.id), `item ${item.id} came twice`).toBe(false);
      seen.set(item.id, item);
    }
    if (!page.pageInfo.hasNextPage) break;
    expect(page.nodes.length).toBe(size);
    after = page.pageInfo.endCursor;
  }
  expect(seen.size).toBe(total);
  return [...seen.values()];
}

describe("pod -> namespace -> workspace -> clusters", () => {
  it("reaches the health of every cluster the pod's workspace spans", async () => {
    const data = await query<{
      pods: {
        nodes: {
          clusterName: string;
          namespaceName: string;
          cluster: { name: string };
          namespace: {
            name: string;
            workspaceName: string;
            workspace: {
              name: string;
              clusterNames: string[];
              clusters: { name: string; health: { status: string } }[];
            };
          };
          workspace: { name: string };
        }[];
      };
    }>(`{
      pods(first: 1, filter: { workspaces: ["retail"] }) {
        nodes {
          clusterName namespaceName cluster { name }
          namespace { name workspaceName workspace { name clusterNames clusters { name health { status } } } }
          workspace { name }
        }
      }
    }`);
    const pod = data.pods.nodes[0]!;
    expect(pod.cluster.name).toBe(pod.clusterName);
    expect(pod.namespace.name).toBe(pod.namespaceName);
    expect(pod.namespace.workspaceName).toBe("retail");
    expect(pod.workspace.name).toBe("retail");
    const workspace = pod.namespace.workspace;
    expect(workspace.clusters.map((c) => c.name)).toEqual(workspace.clusterNames);
    // The simulated fleet gives every cluster the same workspaces.
    expect(workspace.clusterNames).toEqual(fleet.clusters.map((c) => c.name).sort());
    for (const c of workspace.clusters) expect(c.health.status).toBe("READY");
  });

  it("pages a workspace's namespaces to their end, across clusters", async () => {
    const text = `query($first: Int, $after: String) {
      workspace(name: "retail") {
        namespaces(first: $first, after: $after) {
          totalCount pageInfo { hasNextPage endCursor }
          nodes { id clusterName name workspaceName }
        }
      }
    }`;
    type W = { workspace: { namespaces: Page<{ id: string; clusterName: string; workspaceName: string }> } };
    const all = await pageAll(text, {}, (d: W) => d.workspace.namespaces, 2);
    expect(all.length).toBeGreaterThan(1);
    expect(new Set(all.map((n) => n.clusterName)).size).toBe(fleet.clusters.length);
    for (const ns of all) expect(ns.workspaceName).toBe("retail");
  });
});

describe("workload -> revisions -> pods -> node -> other pods", () => {
  it("walks a deployment to the other pods on its pods' nodes", async () => {
    const data = await query<{
      workloads: {
        nodes: {
          name: string;
          replicas: { desired: number; ready: number };
          revision: number;
          revisions: {
            totalCount: number;
            nodes: {
              name: string;
              revision: number;
              replicas: { desired: number };
              pods: {
                totalCount: number;
                nodes: {
                  name: string;
                  node: { name: string; pods: { totalCount: number; nodes: { name: string }[] } };
                }[];
              };
            }[];
          };
        }[];
      };
    }>(`{
      workloads(first: 1, filter: { kinds: [DEPLOYMENT], ready: true }, orderBy: { field: NAME, direction: ASC }) {
        nodes {
          name replicas { desired ready }
          ... on Deployment {
            revision
            revisions(first: 3) {
              totalCount
              nodes { name revision replicas { desired } pods(first: 10) { totalCount nodes { name node { name pods(first: 100) { totalCount nodes { name } } } } } }
            }
          }
        }
      }
    }`);
    const deployment = data.workloads.nodes[0]!;
    const revisions = deployment.revisions.nodes;
    expect(revisions.length).toBe(Math.min(3, deployment.revisions.totalCount));
    expect(revisions[0]!.revision).toBe(deployment.revision);
    // The newest first (the default order), every ReplicaSet named after the deployment.
    for (let i = 1; i < revisions.length; i++)
      expect(revisions[i - 1]!.revision).toBeGreaterThan(revisions[i]!.revision);
    const current = revisions[0]!;
    expect(current.name.startsWith(`${deployment.name}-`)).toBe(true);
    expect(current.pods.totalCount).toBe(deployment.replicas.desired);
    for (const pod of current.pods.nodes) {
      expect(pod.name.startsWith(current.name)).toBe(true);
      const others = pod.node.pods;
      expect(others.nodes.map((p) => p.name)).toContain(pod.name);
      expect(others.nodes.length).toBe(others.totalCount);
    }
  });

  it("pages a node's pods to their end, and the total is what the simulator schedules there", async () => {
    const first = await query<{ clusterNodes: { nodes: { clusterName: string; name: string }[] } }>(
      `{ clusterNodes(first: 1) { nodes { clusterName name } } }`,
    );
    const node = first.clusterNodes.nodes[0]!;
    const text = `query($cluster: String!, $name: String!, $first: Int, $after: String) {
      clusterNode(cluster: $cluster, name: $name) {
        pods(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id nodeName } }
      }
    }`;
    type N = { clusterNode: { pods: Page<{ id: string; nodeName: string }> } };
    const pods = await pageAll(
      text,
      { cluster: node.clusterName, name: node.name },
      (d: N) => d.clusterNode.pods,
      7,
    );
    const scheduled = fleet
      .cluster(node.clusterName)
      .store.all(POD)
      .filter((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName === node.name).length;
    expect(pods.length).toBe(scheduled);
    for (const p of pods) expect(p.nodeName).toBe(node.name);
  });
});

describe("service -> pods", () => {
  it("a service's pods are the pods its selector picks in its namespace, its endpoints the ready ones", async () => {
    const data = await query<{
      services: {
        nodes: {
          namespaceName: string;
          selector: { text: string; matchLabels: { key: string; value: string }[] } | null;
          endpointsCount: number;
          pods: {
            totalCount: number;
            nodes: { namespaceName: string; ready: boolean; labels: { key: string; value: string }[] }[];
          };
        }[];
      };
    }>(`{
      services(first: 10) {
        nodes {
          namespaceName selector { text matchLabels { key value } } endpointsCount
          pods(first: 300) { totalCount nodes { namespaceName ready labels { key value } } }
        }
      }
    }`);
    const withPods = data.services.nodes.filter((s) => s.pods.totalCount > 0);
    expect(withPods.length).toBeGreaterThan(0);
    for (const service of data.services.nodes) {
      if (!service.selector) {
        expect(service.pods.totalCount).toBe(0);
        continue;
      }
      expect(service.pods.nodes.length).toBe(service.pods.totalCount);
      expect(service.endpointsCount).toBe(service.pods.nodes.filter((p) => p.ready).length);
      for (const pod of service.pods.nodes) {
        expect(pod.namespaceName).toBe(service.namespaceName);
        const labels = Object.fromEntries(pod.labels.map((l) => [l.key, l.value]));
        for (const { key, value } of service.selector.matchLabels) expect(labels[key]).toBe(value);
      }
    }
  });
});

describe("claim -> volume -> storage class", () => {
  it("a bound claim's volume names it back, and both name the same storage class", async () => {
    const data = await query<{
      persistentVolumeClaims: {
        totalCount: number;
        nodes: {
          namespaceName: string;
          name: string;
          phase: string;
          volumeName: string | null;
          storageClassName: string | null;
          volume: {
            name: string;
            claimRef: { namespaceName: string; name: string };
            claim: { name: string };
            storageClass: { name: string; provisioner: string } | null;
          } | null;
          storageClass: { name: string } | null;
          pods: { totalCount: number; nodes: { name: string }[] };
        }[];
      };
    }>(`{
      persistentVolumeClaims(first: 50, filter: { phases: [BOUND] }) {
        totalCount
        nodes {
          namespaceName name phase volumeName storageClassName
          volume { name claimRef { namespaceName name } claim { name } storageClass { name provisioner } }
          storageClass { name }
          pods(first: 10) { totalCount nodes { name } }
        }
      }
    }`);
    expect(data.persistentVolumeClaims.totalCount).toBeGreaterThan(0);
    for (const claim of data.persistentVolumeClaims.nodes) {
      expect(claim.phase).toBe("BOUND");
      expect(claim.volume?.name).toBe(claim.volumeName);
      expect(claim.volume?.claimRef).toEqual({ namespaceName: claim.namespaceName, name: claim.name });
      expect(claim.volume?.claim.name).toBe(claim.name);
      expect(claim.storageClass?.name).toBe(claim.storageClassName);
      expect(claim.volume?.storageClass?.name).toBe(claim.storageClassName);
    }
    // StatefulSet pods mount their claims.
    expect(data.persistentVolumeClaims.nodes.some((c) => c.pods.totalCount > 0)).toBe(true);
  });
});

describe("autoscaler -> workload", () => {
  it("an autoscaler's target is its workload, and the workload names it back", async () => {
    const data = await query<{
      horizontalPodAutoscalers: {
        totalCount: number;
        nodes: {
          id: string;
          scaleTargetRef: { kind: string; name: string };
          minReplicas: number;
          maxReplicas: number;
          target: { __typename: string; name: string; autoscaler: { id: string } | null } | null;
        }[];
      };
    }>(`{
      horizontalPodAutoscalers(first: 20) {
        totalCount
        nodes { id scaleTargetRef { kind name } minReplicas maxReplicas target { __typename name autoscaler { id } } }
      }
    }`);
    expect(data.horizontalPodAutoscalers.totalCount).toBeGreaterThan(0);
    for (const hpa of data.horizontalPodAutoscalers.nodes) {
      expect(hpa.target?.__typename).toBe(hpa.scaleTargetRef.kind);
      expect(hpa.target?.name).toBe(hpa.scaleTargetRef.name);
      expect(hpa.target?.autoscaler?.id).toBe(hpa.id);
      expect(hpa.minReplicas).toBeLessThanOrEqual(hpa.maxReplicas);
    }
  });
});

describe("event -> involved object", () => {
  it("resolves an event's object to its own type, and the object lists the event among its events", async () => {
    const data = await query<{
      events: {
        nodes: {
          id: string;
          involvedObject: {
            kind: string;
            name: string;
            object: {
              __typename: string;
              id: string;
              name: string;
              events: { nodes: { id: string }[] };
            } | null;
          };
        }[];
      };
    }>(`{
      events(first: 30, filter: { involvedKind: "Pod" }) {
        nodes {
          id
          involvedObject { kind name object { __typename id ... on KubeObject { name events(first: 100) { nodes { id } } } } }
        }
      }
    }`);
    const resolved = data.events.nodes.filter((e) => e.involvedObject.object !== null);
    expect(resolved.length).toBeGreaterThan(0);
    for (const event of resolved) {
      const object = event.involvedObject.object!;
      expect(object.__typename).toBe("Pod");
      expect(object.name).toBe(event.involvedObject.name);
      expect(object.events.nodes.map((e) => e.id)).toContain(event.id);
    }
  });
});

describe("every relation is a connection", () => {
  it("pages a namespace's pods to their end with each pod once", async () => {
    const text = `query($first: Int, $after: String) {
      namespaces(first: 1, filter: { workspaces: ["retail"] }) {
        nodes { pods(first: $first, after: $after, orderBy: { field: RESTARTS, direction: DESC }) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }
      }
    }`;
    type D = { namespaces: { nodes: { pods: Page<{ id: string }> }[] } };
    const pods = await pageAll(text, {}, (d: D) => d.namespaces.nodes[0]!.pods, 4);
    expect(pods.length).toBeGreaterThan(4);
  });

  it("pages a cluster's workloads to their end across the five kinds", async () => {
    const name = fleet.clusters[0]!.name;
    const text = `query($name: String!, $first: Int, $after: String) {
      cluster(name: $name) { workloads(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id kind } } }
    }`;
    type D = { cluster: { workloads: Page<{ id: string; kind: string }> } };
    const all = await pageAll(text, { name }, (d: D) => d.cluster.workloads, 9);
    expect(new Set(all.map((w) => w.kind)).size).toBeGreaterThan(2);
  });
});
