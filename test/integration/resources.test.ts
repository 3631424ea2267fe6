/**
 * The generic resources path over a real simulated fleet: any kind the cluster's discovery
 * serves, as JSON, paged with wrapped continue tokens; input checked against the Kubernetes
 * grammar and the Scope before any URL is built; unknown kinds named with what exists nearby.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Scope } from "../../src/cache/scope.js";
import { findKind } from "../../sim/kinds.js";
import type { SimCluster } from "../../sim/cluster.js";
import { startGatewayFixture, type GatewayFixture } from "./gateway-fixture.js";

let gw: GatewayFixture;
let sim: SimCluster;
const CONFIGMAP = findKind("v1", "ConfigMap")!;
const SECRET = findKind("v1", "Secret")!;

beforeAll(async () => {
  gw = await startGatewayFixture({ fleet: { clusters: 2, nodes: 2, pods: 40, seed: "resources" } });
  sim = gw.sim.clusters[0]!;
  sim.store.create(findKind("v1", "Namespace")!, { metadata: { name: "config" } });
  for (let i = 0; i < 11; i++) {
    sim.store.create(CONFIGMAP, {
      metadata: {
        name: `cm-${String(i).padStart(2, "0")}`,
        namespace: "config",
        labels: { parity: i % 2 ? "odd" : "even" },
      },
      data: { index: String(i) },
    });
  }
  sim.store.create(SECRET, {
    metadata: { name: "token", namespace: "config" },
    type: "Opaque",
    data: { password: Buffer.from("hunter2").toString("base64") },
  });
});

afterAll(async () => {
  await gw?.stop();
});

const RESOURCES = `query ($cluster: String!, $apiVersion: String!, $kind: String!, $namespace: String,
    $labelSelector: String, $first: Int, $after: String) {
  resources(cluster: $cluster, apiVersion: $apiVersion, kind: $kind, namespace: $namespace,
      labelSelector: $labelSelector, first: $first, after: $after) {
    clusterName
    cluster { name }
    resource { apiVersion kind plural namespaced }
    edges { cursor node }
    pageInfo { hasNextPage hasPreviousPage endCursor }
    totalCount
    resourceVersion
  }
}`;

interface Page {
  clusterName: string;
  cluster: { name: string };
  resource: { apiVersion: string; kind: string; plural: string; namespaced: boolean };
  edges: {
    cursor: string;
    node: { apiVersion: string; kind: string; metadata: Record<string, unknown> } & Record<string, unknown>;
  }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  totalCount: number | null;
}

async function page(variables: Record<string, unknown>, scope?: Scope) {
  const result = await gw.run(RESOURCES, { cluster: sim.name, ...variables }, scope);
  return { page: result.data?.resources as Page | null, errors: result.errors };
}

const names = (p: Page) => p.edges.map((e) => e.node.metadata.name as string);

describe("resources: any kind as JSON", () => {
  it("pages through ConfigMaps of a namespace and sees exactly the store's objects", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { page: p, errors } = await page({
        apiVersion: "v1",
        kind: "ConfigMap",
        namespace: "config",
        first: 3,
        after,
      });
      expect(errors).toEqual([]);
      expect([p!.clusterName, p!.cluster.name]).toEqual([sim.name, sim.name]);
      seen.push(...names(p!));
      pages++;
      if (pages === 1) expect(p!.totalCount).toBe(sim.store.all(CONFIGMAP, "config").length);
      else expect(p!.pageInfo.hasPreviousPage).toBe(true);
      if (!p!.pageInfo.hasNextPage) break;
      after = p!.pageInfo.endCursor;
    }
    expect(seen).toEqual(sim.store.all(CONFIGMAP, "config").map((o) => o.metadata.name));
  });

  it("gives every edge an exact cursor", async () => {
    const { page: p } = await page({ apiVersion: "v1", kind: "ConfigMap", namespace: "config", first: 5 });
    const all = sim.store.all(CONFIGMAP, "config").map((o) => o.metadata.name);
    const next = await page({
      apiVersion: "v1",
      kind: "ConfigMap",
      namespace: "config",
      first: 4,
      after: p!.edges[1]!.cursor,
    });
    expect(names(next.page!)).toEqual(all.slice(2, 6));
  });

  it("returns whole objects with apiVersion and kind, without managedFields (Secrets without values)", async () => {
    const { page: p } = await page({ apiVersion: "v1", kind: "Secret", namespace: "config" });
    const secret = p!.edges.find((e) => e.node.metadata.name === "token")!.node;
    expect(secret).toMatchObject({ apiVersion: "v1", kind: "Secret", type: "Opaque" });
    // Authentication is off here: no cluster checked the caller, so the values stay behind.
    expect(secret.data).toEqual({ password: null });
    expect(secret.metadata).not.toHaveProperty("managedFields");
  });

  it("passes the label selector to the API server", async () => {
    const { page: p } = await page({
      apiVersion: "v1",
      kind: "ConfigMap",
      namespace: "config",
      labelSelector: "parity=odd",
    });
    expect(names(p!)).toEqual(["cm-01", "cm-03", "cm-05", "cm-07", "cm-09"]);
  });

  it("lists cluster-scoped RBAC kinds across the cluster and namespaced ones everywhere", async () => {
    const roles = await page({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      first: 1000,
    });
    expect(roles.page!.resource).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      plural: "clusterroles",
      namespaced: false,
    });
    const store = sim.store.all(findKind("rbac.authorization.k8s.io/v1", "ClusterRole")!);
    expect(names(roles.page!)).toEqual(store.map((o) => o.metadata.name));
    const bindings = await page({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      first: 1000,
    });
    const all = sim.store.all(findKind("rbac.authorization.k8s.io/v1", "RoleBinding")!);
    expect(bindings.page!.edges.map((e) => e.node.metadata.uid)).toEqual(all.map((o) => o.metadata.uid));
  });

  it("lists what discovery says exists", async () => {
    const result = await gw.run(
      `query ($cluster: String!) { apiResources(cluster: $cluster) { group version apiVersion kind plural namespaced verbs } }`,
      { cluster: sim.name },
    );
    const found = result.data!.apiResources as {
      kind: string;
      plural: string;
      namespaced: boolean;
      verbs: string[];
      group: string;
    }[];
    expect(found).toContainEqual(
      expect.objectContaining({ kind: "ConfigMap", plural: "configmaps", namespaced: true, group: "" }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ kind: "Deployment", group: "apps", namespaced: true }),
    );
    expect(found).toContainEqual(expect.objectContaining({ kind: "ClusterRole", namespaced: false }));
    expect(found.find((r) => r.kind === "Pod")!.verbs).toContain("list");
    // Subresources (pods/log, deployments/scale) are not kinds.
    expect(found.some((r) => r.plural.includes("/"))).toBe(false);
  });
});

describe("resources: unknown kinds name what exists nearby", () => {
  const message = async (variables: Record<string, unknown>) => {
    const { page: p, errors } = await page(variables);
    expect(p).toBeNull();
    expect(errors[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    return errors[0]!.message;
  };

  it("suggests the kind a plural or lower-case name stands for", async () => {
    expect(await message({ apiVersion: "v1", kind: "configmaps" })).toMatch(/did you mean kind "ConfigMap"/);
  });

  it("names the apiVersion a kind is served under", async () => {
    expect(await message({ apiVersion: "v1", kind: "Deployment" })).toMatch(
      /served as apiVersion "apps\/v1"/,
    );
  });

  it("names the versions of a group and the groups of the cluster", async () => {
    expect(await message({ apiVersion: "apps/v1beta2", kind: "Deployment" })).toMatch(
      /group "apps" serves "apps\/v1"/,
    );
    const unknownGroup = await message({ apiVersion: "stable.example.com/v1", kind: "CronTab" });
    expect(unknownGroup).toMatch(/API group "stable.example.com" is not served/);
    expect(unknownGroup).toMatch(/"batch"/);
  });

  it("lists the kinds of the version when nothing is close", async () => {
    expect(await message({ apiVersion: "batch/v1", kind: "Widget" })).toMatch(/serves "CronJob", "Job"/);
  });

  it("refuses kinds that cannot be listed", async () => {
    expect(await message({ apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview" })).toMatch(
      /cannot be listed/,
    );
  });
});

describe("resources: input is checked before any URL is built", () => {
  const argumentOf = async (variables: Record<string, unknown>, scope?: Scope) => {
    const { page: p, errors } = await page(variables, scope);
    expect(p).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.extensions?.code).toBe("BAD_USER_INPUT");
    return errors[0]!.extensions?.argument;
  };

  it("rejects bad names, selectors, versions, clusters and cursors", async () => {
    expect(await argumentOf({ apiVersion: "v1", kind: "ConfigMap", namespace: "../../api/v1/secrets" })).toBe(
      "namespace",
    );
    expect(await argumentOf({ apiVersion: "v1", kind: "ConfigMap", namespace: "Config" })).toBe("namespace");
    expect(await argumentOf({ apiVersion: "v1", kind: "ConfigMap", labelSelector: "a=b=c" })).toBe(
      "labelSelector",
    );
    expect(await argumentOf({ apiVersion: "apps/v1/x", kind: "Deployment" })).toBe("apiVersion");
    expect(await argumentOf({ apiVersion: "v1", kind: "Config Map" })).toBe("kind");
    expect(await argumentOf({ apiVersion: "v1", kind: "ConfigMap", cluster: "nowhere" })).toBe("cluster");
    expect(await argumentOf({ apiVersion: "v1", kind: "ConfigMap", first: 5000 })).toBe("first");
    expect(await argumentOf({ apiVersion: "v1", kind: "ConfigMap", after: "bm90LWEtY3Vyc29y" })).toBe(
      "after",
    );
  });

  it("refuses a cursor from another query", async () => {
    const { page: p } = await page({ apiVersion: "v1", kind: "ConfigMap", namespace: "config", first: 2 });
    expect(
      await argumentOf({
        apiVersion: "v1",
        kind: "Secret",
        namespace: "config",
        after: p!.pageInfo.endCursor,
      }),
    ).toBe("after");
  });

  it("refuses a cursor whose continue token the API server did not hand out (found by fuzzing)", async () => {
    const query = { apiVersion: "v1", kind: "ConfigMap", namespace: "config", first: 2 };
    const { page: p } = await page(query);
    const body = JSON.parse(Buffer.from(p!.pageInfo.endCursor!, "base64url").toString("utf8")) as {
      t: string;
    };
    expect(body.t).not.toBe("");
    body.t = `x${body.t.slice(1)}`;
    const forged = Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
    expect(await argumentOf({ ...query, after: forged })).toBe("after");
  });

  it("refuses a namespace on a cluster-scoped kind", async () => {
    expect(await argumentOf({ apiVersion: "v1", kind: "Node", namespace: "config" })).toBe("namespace");
  });

  it("refuses namespaces and kinds outside the Scope FORBIDDEN, and a cluster outside it as unknown", async () => {
    const scope = Scope.of([{ cluster: sim.name, namespaces: ["default"] }]);
    const forbiddenArgumentOf = async (variables: Record<string, unknown>) => {
      const { page: p, errors } = await page(variables, scope);
      expect(p).toBeNull();
      expect(errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      return errors[0]!.extensions?.argument;
    };
    expect(await forbiddenArgumentOf({ apiVersion: "v1", kind: "ConfigMap", namespace: "config" })).toBe(
      "namespace",
    );
    expect(await forbiddenArgumentOf({ apiVersion: "v1", kind: "ConfigMap" })).toBe("namespace");
    expect(
      await forbiddenArgumentOf({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole" }),
    ).toBe("kind");
    const other = gw.sim.clusters[1]!.name;
    expect(
      await argumentOf({ apiVersion: "v1", kind: "ConfigMap", namespace: "default", cluster: other }, scope),
    ).toBe("cluster");
    const inside = await page({ apiVersion: "v1", kind: "ConfigMap", namespace: "default" }, scope);
    expect(inside.errors).toEqual([]);
  });
});

describe("resources: a failing cluster", () => {
  it("answers null with a typed error naming the cluster; discovery stays cached", async () => {
    await page({ apiVersion: "v1", kind: "ConfigMap", namespace: "config" });
    sim.faults.set({ errorRate: 1 });
    try {
      const apis = await gw.run(`query ($c: String!) { apiResources(cluster: $c) { kind } }`, {
        c: sim.name,
      });
      expect(apis.errors).toEqual([]);
      const { page: p, errors } = await page({ apiVersion: "v1", kind: "ConfigMap", namespace: "config" });
      expect(p).toBeNull();
      expect(errors).toEqual([
        expect.objectContaining({
          extensions: { code: "CLUSTER_UNAVAILABLE", cluster: sim.name, retryable: true },
        }),
      ]);
    } finally {
      sim.faults.reset();
    }
  });
});
