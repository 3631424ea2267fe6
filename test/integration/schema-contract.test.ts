/**
 * What a client of Schema 1.0 relies on beyond the data, over HTTP: cursors name their list,
 * unknown clusters are said, Relay's batch refetch fails per item, relations are priced by what
 * they can return (and a refusal names the costliest list), and outcomes say which cluster an
 * answer came from. Each request is sent twice: the second runs compiled (graphql-jit).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import {
  fleetConfig,
  graphql,
  startSimFleet,
  startTestGateway,
  type GraphQLResponse,
} from "./server-fixture.js";

let fleet: SimFleet;
let gateway: Gateway;
let clusters: string[];

beforeAll(async () => {
  fleet = await startSimFleet("schema-contract", { clusters: 2, nodes: 2, pods: 60 });
  clusters = fleet.clusters.map((c) => c.name).sort();
  gateway = await startTestGateway(fleetConfig(fleet));
  await gateway.fleetCache.whenSynced(20_000);
});

afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
});

/** Sends the request twice (graphql-js, then graphql-jit) and checks both answers agree. */
async function twice<D>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<D>> {
  const first = await graphql<D>(gateway.url, query, variables);
  const second = await graphql<D>(gateway.url, query, variables);
  expect(second.status).toBe(first.status);
  expect(second.errors?.map((e) => e.extensions?.code)).toEqual(first.errors?.map((e) => e.extensions?.code));
  return second;
}

describe("cursors", () => {
  it("refuses a cursor of another list with BAD_USER_INPUT naming both lists", async () => {
    const workloads = await twice<{ workloads: { pageInfo: { endCursor: string } } }>(
      "{ workloads(first: 1) { pageInfo { endCursor } } }",
    );
    const cursor = workloads.data!.workloads.pageInfo.endCursor;
    const answer = await twice(`query($after: String) { pods(first: 1, after: $after) { totalCount } }`, {
      after: cursor,
    });
    const error = answer.errors?.[0];
    expect(error?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error?.message).toMatch(/Workload/);
    expect(error?.message).toMatch(/Pod/);
    expect(error?.message).not.toMatch(/CUSTOM/);
  });

  it("refuses a cursor of the same list in another order", async () => {
    const page = await twice<{ pods: { pageInfo: { endCursor: string } } }>(
      "{ pods(first: 1, orderBy: { field: RESTARTS, direction: DESC }) { pageInfo { endCursor } } }",
    );
    const answer = await twice(
      `query($after: String) { pods(first: 1, after: $after, orderBy: { field: NAME }) { totalCount } }`,
      {
        after: page.data!.pods.pageInfo.endCursor,
      },
    );
    expect(answer.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(answer.errors?.[0]?.message).toMatch(/RESTARTS/);
  });
});

describe("unknown clusters", () => {
  it("match nothing, and the answer warns naming them and the known clusters", async () => {
    const answer = await twice<{ pods: { totalCount: number; outcomes: unknown[] } }>(
      `{ pods(first: 1, filter: { clusters: ["no-such-cluster"] }) { totalCount outcomes { clusterName } } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.pods).toEqual({ totalCount: 0, outcomes: [] });
    const body = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `{ pods(first: 1, filter: { clusters: ["no-such-cluster", "${clusters[0]}"] }) { totalCount } }`,
      }),
    }).then(
      (r) =>
        r.json() as Promise<{
          extensions?: { warnings?: { code: string; clusters: string[]; knownClusters: string[] }[] };
        }>,
    );
    const warning = body.extensions?.warnings?.[0];
    expect(warning?.code).toBe("UNKNOWN_CLUSTER");
    expect(warning?.clusters).toEqual(["no-such-cluster"]);
    expect(warning?.knownClusters).toEqual(clusters);
  });
});

describe("Relay batch refetch", () => {
  it("answers each id in order: the object, null for a gone one, an error for a malformed one", async () => {
    const page = await twice<{ pods: { nodes: { id: string; name: string }[] } }>(
      "{ pods(first: 2) { nodes { id name } } }",
    );
    const [a, b] = page.data!.pods.nodes;
    const gone = Buffer.from(`Pod/${clusters[0]}/no-such-uid`).toString("base64url");
    const answer = await twice<{ nodes: ({ id: string; name?: string } | null)[] }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Pod { name } } }`,
      { ids: [b!.id, "not-an-id!", gone, a!.id] },
    );
    expect(answer.data!.nodes).toEqual([
      { id: b!.id, name: b!.name },
      null,
      null,
      { id: a!.id, name: a!.name },
    ]);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.path).toEqual(["nodes", 1]);
    expect(answer.errors![0]!.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("cost of relations", () => {
  it("prices an owner chain as the few links it is: pods with their owners under workloads is accepted", async () => {
    const answer = await twice(
      "{ workloads(first: 2) { nodes { pods(first: 2) { nodes { owners { kind name object { id } } } } } } }",
    );
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
  });

  it("refuses an over-limit query naming the list that multiplies most", async () => {
    const answer = await graphql(
      gateway.url,
      "{ namespaces(first: 30) { nodes { pods(first: 1000) { nodes { name } } } } }",
    );
    expect(answer.status).toBe(400);
    const error = answer.errors![0]!;
    expect(error.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(error.extensions?.largestField).toBe("Namespace.pods");
    expect(error.message).toMatch(/Namespace\.pods/);
  });
});

describe("outcomes", () => {
  it("a relation reports the one cluster it read; a root list every cluster it fanned out to", async () => {
    const answer = await twice<{
      pods: {
        outcomes: {
          clusterName: string;
          source: string;
          synced: boolean;
          error: unknown;
          cluster: { name: string };
        }[];
      };
      namespaces: { nodes: { clusterName: string; pods: { outcomes: { clusterName: string }[] } }[] };
    }>(`{
      pods(first: 1) { outcomes { clusterName source synced error { code } cluster { name } } }
      namespaces(first: 3) { nodes { clusterName pods(first: 1) { outcomes { clusterName } } } }
    }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.pods.outcomes).toEqual(
      clusters.map((name) => ({
        clusterName: name,
        source: "CACHE",
        synced: true,
        error: null,
        cluster: { name },
      })),
    );
    for (const ns of answer.data!.namespaces.nodes)
      expect(ns.pods.outcomes).toEqual([{ clusterName: ns.clusterName }]);
  });

  it("a STRONG read says where it came from and, when a cluster fails, that totalCount is unknown", async () => {
    const ok = await graphql<{
      pods: { totalCount: number | null; outcomes: { source: string; error: unknown }[] };
    }>(
      gateway.url,
      "{ pods(first: 5, consistency: STRONG) { totalCount outcomes { source error { code } } } }",
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.pods.outcomes.every((o) => o.source === "API_SERVER" && o.error === null)).toBe(true);
    const down = fleet.cluster(clusters[1]!);
    down.faults.set({ errorRate: 1, errorCode: 503 });
    try {
      const failed = await graphql<{
        pods: {
          totalCount: number | null;
          outcomes: { clusterName: string; synced: boolean; error: { code: string } | null }[];
        };
      }>(
        gateway.url,
        "{ pods(first: 5, consistency: STRONG) { totalCount outcomes { clusterName synced error { code } } } }",
      );
      expect(failed.data!.pods.totalCount).toBeNull();
      const outcome = failed.data!.pods.outcomes.find((o) => o.clusterName === clusters[1]);
      expect(outcome?.synced).toBe(false);
      expect(outcome?.error?.code).toMatch(/^CLUSTER_/);
      expect(failed.errors?.some((e) => e.extensions?.cluster === clusters[1])).toBe(true);
    } finally {
      down.faults.reset();
    }
  });
});
