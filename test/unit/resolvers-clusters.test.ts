import { beforeAll, describe, expect, it } from "vitest";
import { dataOf, listOf, testGateway, type TestGateway } from "./read-service-fixtures.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await testGateway();
});

describe("Query.clusters and Query.cluster", () => {
  const clusters = async (args: string) => {
    const c = await listOf<{ name: string; displayName: string }>(gw, "clusters", args, "name displayName");
    return { ...c, names: c.nodes.map((n) => n.name) };
  };

  it("filters by name, selector, display name and status", async () => {
    expect((await clusters("")).names).toEqual(["dev-1", "eu-1", "us-1"]);
    expect((await clusters(`filter: { clusterSelector: "region=eu" }`)).names).toEqual(["dev-1", "eu-1"]);
    expect((await clusters(`filter: { clusters: ["us-1", "gone"] }`)).names).toEqual(["us-1"]);
    expect((await clusters(`filter: { nameContains: "VIRGINIA" }`)).names).toEqual(["us-1"]);
    gw.fleet.healthOf.set("eu-1", { ...gw.fleet.health("eu-1"), status: "DEGRADED" });
    try {
      expect((await clusters(`filter: { statuses: [DEGRADED, UNREACHABLE] }`)).names).toEqual(["eu-1"]);
    } finally {
      gw.fleet.healthOf.set("eu-1", { ...gw.fleet.health("eu-1"), status: "READY" });
    }
  });

  it("pages by name in either direction", async () => {
    const first = await clusters(`first: 2, orderBy: { field: NAME, direction: DESC }`);
    expect(first.names).toEqual(["us-1", "eu-1"]);
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const rest = await clusters(
      `first: 2, after: "${first.pageInfo.endCursor}", orderBy: { field: NAME, direction: DESC }`,
    );
    expect(rest.names).toEqual(["dev-1"]);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const back = await clusters(
      `last: 1, before: "${rest.pageInfo.startCursor}", orderBy: { field: NAME, direction: DESC }`,
    );
    expect(back.names).toEqual(["eu-1"]);
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it("says how far each cluster's initial sync got: a slow one SYNCING with its progress, a failed one why", async () => {
    gw.fleet.syncOf.set("eu-1", {
      state: "SYNCING",
      kindsSynced: 9,
      kinds: 15,
      listedObjects: 3500,
      listedPages: 7,
      failure: null,
    });
    gw.fleet.syncOf.set("us-1", {
      state: "FAILED",
      kindsSynced: 0,
      kinds: 15,
      listedObjects: 0,
      listedPages: 0,
      failure: "tls: Pod: certificate has expired",
    });
    try {
      const result = dataOf<{ eu: unknown; us: unknown }>(
        await gw.run(`{ eu: cluster(name: "eu-1") { sync { state kindsSynced kinds listedObjects listedPages failure } }
          us: cluster(name: "us-1") { sync { state failure } } }`),
      );
      expect(result).toEqual({
        eu: {
          sync: {
            state: "SYNCING",
            kindsSynced: 9,
            kinds: 15,
            listedObjects: 3500,
            listedPages: 7,
            failure: null,
          },
        },
        us: { sync: { state: "FAILED", failure: "tls: Pod: certificate has expired" } },
      });
    } finally {
      gw.fleet.syncOf.clear();
    }
  });

  it("answers one cluster with health and freshness; null when unknown", async () => {
    const result = dataOf<{ cluster: unknown; missing: unknown }>(
      await gw.run(`{ cluster(name: "us-1") { name displayName labels { key value } region: label(key: "region")
          absent: label(key: "zone") health { status latencyMs kubernetesVersion lastError lastProbeAt }
          freshness { synced staleSince resourceVersion } }
        missing: cluster(name: "nope") { name } }`),
    );
    expect(result).toEqual({
      cluster: {
        name: "us-1",
        displayName: "Virginia production",
        labels: [
          { key: "region", value: "us" },
          { key: "env", value: "prod" },
        ],
        region: "us",
        absent: null,
        health: {
          status: "READY",
          latencyMs: 12,
          kubernetesVersion: "v1.32.1",
          lastError: null,
          lastProbeAt: "2026-01-01T00:00:00.000Z",
        },
        freshness: { synced: true, staleSince: null, resourceVersion: "1000" },
      },
      missing: null,
    });
  });

  it("answers null for a label key every object inherits a property of (found by fuzzing)", async () => {
    const result =
      await gw.run(`{ cluster(name: "us-1") { a: label(key: "toString") b: label(key: "constructor")
        pods(first: 1) { nodes { c: label(key: "hasOwnProperty") } } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ cluster: { a: null, b: null, pods: { nodes: [{ c: null }] } } });
  });
});
