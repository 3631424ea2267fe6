/**
 * FleetWorkloadReads over a real FleetIndex and QueryEngine (no GraphQL): grouping by name and by
 * placement label, the Scope per instance, a cluster whose cache is not current, the group
 * filters, orders and cursors, and a group found again by its id.
 */
import { describe, expect, it } from "vitest";
import { toEntry } from "../../src/cache/entry.js";
import { FleetIndex } from "../../src/cache/fleet-index.js";
import { QueryEngine } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import { KINDS, kindOf } from "../../src/kinds/index.js";
import type { KubeObject } from "../../src/kube/object.js";
import {
  ClusterOutcomes,
  createReadServices,
  decodeGlobalId,
  type FleetWorkloadRequest,
} from "../../src/query-service/index.js";
import { CLUSTERS, FakeFleet } from "./read-service-fixtures.js";

const [EU, US, DEV] = CLUSTERS.map((c) => c.name) as [string, string, string];

function namespace(name: string): KubeObject {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, uid: `ns-${name}` }, spec: {}, status: {} };
}

function deployment(
  cluster: string,
  name: string,
  o: {
    image: string;
    replicas?: number;
    ready?: number;
    labels?: Record<string, string>;
    namespace?: string;
  },
): KubeObject {
  const replicas = o.replicas ?? 3;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name,
      namespace: o.namespace ?? "shop",
      uid: `${cluster}-${name}`,
      generation: 1,
      labels: o.labels ?? {},
      creationTimestamp: "2026-01-01T00:00:00Z",
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        spec: { containers: [{ name: "app", image: o.image, resources: { requests: { cpu: "100m" } } }] },
      },
    },
    status: {
      observedGeneration: 1,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: o.ready ?? replicas,
      availableReplicas: o.ready ?? replicas,
    },
  };
}

function fleetOf(objects: [string, KubeObject][], groupLabel?: string) {
  const index = new FleetIndex(KINDS);
  for (const c of CLUSTERS)
    index.store(c.name, "Namespace").upsert(toEntry(c.name, kindOf("Namespace"), namespace("shop")));
  for (const [cluster, o] of objects)
    index.store(cluster, o.kind as never).upsert(toEntry(cluster, kindOf(o.kind!), o));
  const engine = new QueryEngine(index, {
    clusterLabels: (name) => ({ ...CLUSTERS.find((c) => c.name === name)?.labels }),
    isKnown: (cluster) => CLUSTERS.some((c) => c.name === cluster),
  });
  const fleet = new FakeFleet();
  const services = createReadServices({ reader: engine, fleet, fleetWorkloadLabel: groupLabel });
  return { fleet, reads: services.fleetWorkloads, nodes: services.nodes };
}

const FLEET: [string, KubeObject][] = [
  [EU, deployment(EU, "web", { image: "web:2" })],
  [US, deployment(US, "web", { image: "web:2", replicas: 1 })],
  [DEV, deployment(DEV, "web", { image: "web:1" })],
  [EU, deployment(EU, "cart", { image: "cart:1", ready: 1 })],
  [US, deployment(US, "cart", { image: "cart:1" })],
  [EU, deployment(EU, "api-eu", { image: "api:3", labels: { "placement.example.com/app": "api" } })],
  [US, deployment(US, "api-us", { image: "api:3", labels: { "placement.example.com/app": "api" } })],
];

const request = (r: Partial<FleetWorkloadRequest> = {}): FleetWorkloadRequest => ({
  page: { first: 50 },
  ...r,
});

describe("FleetWorkloadReads.list", () => {
  it("groups by namespace, kind and name, with summed replicas, missing clusters and drift", () => {
    const { reads } = fleetOf(FLEET);
    const page = reads.list(request(), Scope.everything(), new ClusterOutcomes());
    expect(page.items.map((g) => g.key.name)).toEqual(["api-eu", "api-us", "cart", "web"]);
    const web = page.items.find((g) => g.key.name === "web")!;
    expect(web.instances.map((e) => e.cluster)).toEqual([DEV, EU, US].sort());
    expect(web.status).toMatchObject({
      desiredReplicas: 7,
      readyReplicas: 7,
      clusters: [DEV, EU, US].sort(),
      missingClusters: [],
      driftedClusters: [DEV],
    });
    expect(web.status.drift).toEqual([
      { cluster: DEV, container: "app", field: "image", value: "web:1", majorityValue: "web:2" },
    ]);
    const cart = page.items.find((g) => g.key.name === "cart")!;
    expect(cart.status.missingClusters).toEqual([DEV]);
    expect(cart.status.degradedClusters).toEqual([EU]);
    expect(page.totalCount).toBe(4);
    expect(page.outcomes.map((o) => [o.cluster, o.error])).toEqual(
      [DEV, EU, US].sort().map((c) => [c, null]),
    );
  });

  it("groups by the placement label where workloads carry it", () => {
    const { reads } = fleetOf(FLEET, "placement.example.com/app");
    const page = reads.list(request(), Scope.everything(), new ClusterOutcomes());
    const api = page.items.find((g) => g.key.name === "api")!;
    expect(api.key.by).toBe("label");
    expect(api.instances.map((e) => `${e.cluster}/${e.name}`)).toEqual([`${EU}/api-eu`, `${US}/api-us`]);
    expect(api.status.missingClusters).toEqual([DEV]);
    expect(page.items.map((g) => g.key.name)).toEqual(["api", "cart", "web"]);
  });

  it("applies the Scope per instance: two readable clusters, two instances, nothing said of the third", () => {
    const { reads } = fleetOf(FLEET);
    const scope = Scope.of([
      { cluster: EU, namespaces: "*" },
      { cluster: US, namespaces: "*" },
    ]);
    const page = reads.list(request(), scope, new ClusterOutcomes());
    const web = page.items.find((g) => g.key.name === "web")!;
    expect(web.instances.map((e) => e.cluster)).toEqual([EU, US]);
    expect(web.status).toMatchObject({ desiredReplicas: 4, driftedClusters: [], missingClusters: [] });
    const cart = page.items.find((g) => g.key.name === "cart")!;
    expect(cart.status.missingClusters).toEqual([]);
    expect(page.outcomes.map((o) => o.cluster)).toEqual([EU, US]);
    // A namespace the caller cannot read is never called missing.
    const shopOnEu = Scope.of([
      { cluster: EU, namespaces: ["shop"] },
      { cluster: US, namespaces: ["other"] },
    ]);
    const narrow = reads.list(request(), shopOnEu, new ClusterOutcomes());
    expect(narrow.items.find((g) => g.key.name === "cart")!.status.missingClusters).toEqual([]);
  });

  it("leaves out a cluster whose cache is not current, says so, and never calls it missing", () => {
    const { reads, fleet } = fleetOf(FLEET);
    fleet.healthOf.set(DEV, { ...fleet.health(DEV), status: "UNREACHABLE", lastError: "connection refused" });
    const outcomes = new ClusterOutcomes();
    const page = reads.list(request(), Scope.everything(), outcomes);
    const web = page.items.find((g) => g.key.name === "web")!;
    expect(web.instances.map((e) => e.cluster)).toEqual([EU, US]);
    expect(web.status.driftedClusters).toEqual([]);
    expect(page.items.find((g) => g.key.name === "cart")!.status.missingClusters).toEqual([]);
    expect(page.outcomes.find((o) => o.cluster === DEV)?.error?.code).toBe("CLUSTER_UNAVAILABLE");
    expect(outcomes.list().map((o) => [o.cluster, o.code])).toEqual([[DEV, "CLUSTER_UNAVAILABLE"]]);
  });

  it("filters by instance fields and by status, orders by clusters affected and readiness, pages by cursor", () => {
    const { reads } = fleetOf(FLEET);
    const all = Scope.everything();
    const names = (r: Partial<FleetWorkloadRequest>) =>
      reads.list(request(r), all, new ClusterOutcomes()).items.map((g) => g.key.name);
    expect(names({ filter: { drifted: true } })).toEqual(["web"]);
    expect(names({ filter: { missing: true } })).toEqual(["api-eu", "api-us", "cart"]);
    expect(names({ filter: { degraded: false, missing: false } })).toEqual(["web"]);
    // An instance field selects groups; the group still shows every instance.
    const byCluster = reads.list(
      request({ filter: { nameContains: "web", ready: true } }),
      all,
      new ClusterOutcomes(),
    );
    expect(byCluster.items.map((g) => g.instances.length)).toEqual([3]);
    // clusters narrows what the groups are built over.
    const onTwo = reads.list(request({ filter: { clusters: [EU, US] } }), all, new ClusterOutcomes());
    expect(onTwo.items.find((g) => g.key.name === "web")!.status.driftedClusters).toEqual([]);

    // web: 1 (drifted on dev); api-eu, api-us, cart: 2 each (ties by name).
    expect(names({ orderBy: { field: "CLUSTERS_AFFECTED", direction: "ASC" } })).toEqual([
      "web",
      "api-eu",
      "api-us",
      "cart",
    ]);
    expect(names({ orderBy: { field: "READINESS", direction: "ASC" } })).toEqual([
      "cart",
      "api-eu",
      "api-us",
      "web",
    ]);

    const first = reads.list(request({ page: { first: 2 } }), all, new ClusterOutcomes());
    expect(first.items.map((g) => g.key.name)).toEqual(["api-eu", "api-us"]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = reads.list(
      request({ page: { first: 2, after: first.cursors.at(1)! } }),
      all,
      new ClusterOutcomes(),
    );
    expect(next.items.map((g) => g.key.name)).toEqual(["cart", "web"]);
    expect(next.pageInfo.hasNextPage).toBe(false);
    expect(() =>
      reads.list(
        request({ orderBy: { field: "READINESS", direction: "ASC" }, page: { after: first.cursors.at(1)! } }),
        all,
        new ClusterOutcomes(),
      ),
    ).toThrow(/ordered by NAME/);
  });
});

describe("a fleet workload by its id", () => {
  it("is found again through node lookup under the caller's Scope, and not outside it", () => {
    const { reads, nodes } = fleetOf(FLEET);
    const web = reads
      .list(request(), Scope.everything(), new ClusterOutcomes())
      .items.find((g) => g.key.name === "web")!;
    expect(decodeGlobalId(web.id)).toEqual({ kind: "FleetWorkload", group: web.key });
    const found = nodes.find(web.id, Scope.of([{ cluster: EU, namespaces: "*" }]));
    expect(found?.type === "FleetWorkload" && found.group.instances.map((e) => e.cluster)).toEqual([EU]);
    expect(nodes.find(web.id, Scope.of([{ cluster: EU, namespaces: ["other"] }]))).toBeUndefined();
  });
});
