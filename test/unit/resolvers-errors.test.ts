import { beforeAll, describe, expect, it } from "vitest";
import { dataOf, testGateway, type TestGateway } from "./read-service-fixtures.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await testGateway();
});

async function errorOf(source: string, variables?: Record<string, unknown>) {
  const result = await gw.run(source, variables);
  expect(result.errors, "expected exactly one error").toHaveLength(1);
  const [error] = result.errors!;
  return { message: error!.message, extensions: error!.extensions, path: error!.path };
}

describe("BAD_USER_INPUT", () => {
  it("a bad label selector, with the parser's explanation", async () => {
    const error = await errorOf(`{ pods(filter: { labelSelector: "app in (web" }) { totalCount } }`);
    expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", argument: "labelSelector" });
    expect(error.message).toContain("unable to parse requirement");
    expect(error.message).toContain('"app in (web"');
    expect(error.path).toEqual(["pods"]);
  });

  it("a bad cluster selector, on object lists and on clusters", async () => {
    for (const field of ["workloads", "clusters"]) {
      const error = await errorOf(`{ ${field}(filter: { clusterSelector: "region in ()" }) { totalCount } }`);
      expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", argument: "clusterSelector" });
      expect(error.message).toContain("values set can't be empty");
    }
  });

  it("a cursor that is not ours, or from another order", async () => {
    const garbage = await errorOf(`{ events(after: "bm90IGEgY3Vyc29y") { totalCount } }`);
    expect(garbage.extensions).toEqual({ code: "BAD_USER_INPUT", argument: "after" });
    expect(garbage.message).toContain("invalid cursor");

    const byName = dataOf<{ pods: { pageInfo: { endCursor: string } } }>(
      await gw.run(`{ pods(first: 2, orderBy: { field: NAME }) { pageInfo { endCursor } } }`),
    );
    const mixed = await errorOf(
      `query($c: String) { pods(before: $c, orderBy: { field: CREATED }) { totalCount } }`,
      {
        c: byName.pods.pageInfo.endCursor,
      },
    );
    expect(mixed.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "before" });
    expect(mixed.message).toContain("ordered by NAME");

    // A cursor names its list: one of the pod list does not page the workload list.
    const otherList = await errorOf(
      `query($c: String) { workloads(after: $c, orderBy: { field: NAME }) { totalCount } }`,
      {
        c: byName.pods.pageInfo.endCursor,
      },
    );
    expect(otherList.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "after" });
    expect(otherList.message).toContain("it comes from a list of Pod objects, not of Workload objects");

    const clusters = await errorOf(`{ clusters(after: "%%%") { totalCount } }`);
    expect(clusters.extensions).toEqual({ code: "BAD_USER_INPUT", argument: "after" });
  });

  it("page sizes above 1000, negative, or first together with last", async () => {
    const tooMany = await errorOf(`{ clusterNodes(first: 1001) { totalCount } }`);
    expect(tooMany.extensions).toEqual({ code: "BAD_USER_INPUT", argument: "first" });
    expect(tooMany.message).toContain("from 0 to 1000, got 1001");
    expect((await errorOf(`{ clusters(last: -1) { totalCount } }`)).extensions).toEqual({
      code: "BAD_USER_INPUT",
      argument: "last",
    });
    expect((await errorOf(`{ services(first: 2, last: 2) { totalCount } }`)).extensions).toMatchObject({
      code: "BAD_USER_INPUT",
    });
    expect((await gw.run(`{ pods(first: 1000) { totalCount } }`)).errors).toBeUndefined();
  });

  it("an id that is not one of ours", async () => {
    const error = await errorOf(`{ node(id: "definitely-not-an-id") { id } }`);
    expect(error.extensions).toEqual({ code: "BAD_USER_INPUT", argument: "id" });
  });

  it("but an unknown cluster or namespace in a filter just matches nothing (an unknown cluster with a warning)", async () => {
    const result =
      await gw.run(`{ pods(filter: { clusters: ["atlantis"] }) { totalCount nodes { name } outcomes { clusterName } }
        namespaces(filter: { namespaces: ["nope"] }) { totalCount } cluster(name: "atlantis") { name } }`);
    const data = dataOf<{ pods: unknown; cluster: unknown; namespaces: unknown }>(result);
    expect(data).toEqual({
      pods: { totalCount: 0, nodes: [], outcomes: [] },
      namespaces: { totalCount: 0 },
      cluster: null,
    });
    expect(result.context.outcomes.list()).toEqual([]);
    expect(result.context.outcomes.listWarnings()).toEqual([
      {
        code: "UNKNOWN_CLUSTER",
        message:
          'no cluster named "atlantis" in the fleet (or in your scope): it matches nothing. Known clusters: dev-1, eu-1, us-1',
        clusters: ["atlantis"],
        knownClusters: ["dev-1", "eu-1", "us-1"],
      },
    ]);
  });
});

describe("consistency", () => {
  it("STRONG without an API server reader is a clear error; CACHED is the default", async () => {
    const error = await errorOf(`{ pods(consistency: STRONG) { totalCount } }`);
    expect(error.extensions).toEqual({ code: "CONSISTENCY_UNAVAILABLE" });
    expect(error.message).toContain("use consistency CACHED");
    expect((await gw.run(`{ pods(consistency: CACHED) { totalCount } }`)).errors).toBeUndefined();
  });
});

describe("per-cluster outcomes", () => {
  it("are collected in the request context for the server to report, beside complete data", async () => {
    const stale = await testGateway();
    stale.fleet.freshnessOf.set("eu-1", {
      cluster: "eu-1",
      synced: true,
      staleSince: new Date("2026-03-01T00:00:00Z"),
      resourceVersion: "900",
    });
    const result = await stale.run(
      `{ pods { totalCount outcomes { clusterName source staleSince error { code message retryable } } } events { totalCount } }`,
    );
    type Outcome = { clusterName: string; source: string; staleSince: string | null; error: unknown };
    const data = dataOf<{ pods: { totalCount: number; outcomes: Outcome[] } }>(result);
    expect(data.pods.totalCount).toBe(27);
    expect(data.pods.outcomes.find((c) => c.clusterName === "eu-1")).toEqual({
      clusterName: "eu-1",
      source: "CACHE",
      staleSince: "2026-03-01T00:00:00.000Z",
      error: {
        code: "CLUSTER_UNAVAILABLE",
        message: expect.stringContaining("eu-1") as string,
        retryable: true,
      },
    });
    expect(data.pods.outcomes.find((c) => c.clusterName === "us-1")).toMatchObject({
      staleSince: null,
      error: null,
    });
    expect(result.context.outcomes.list()).toEqual([
      {
        cluster: "eu-1",
        code: "CLUSTER_UNAVAILABLE",
        message: expect.stringContaining("eu-1") as string,
        retryable: true,
      },
    ]);
    // A request that does not touch the stale cluster reports nothing.
    const other = await stale.run(`{ pods(filter: { clusters: ["us-1"] }) { totalCount } }`);
    expect(other.context.outcomes.list()).toEqual([]);
  });
});
