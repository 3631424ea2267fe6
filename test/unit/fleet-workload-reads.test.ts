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
import { MAX_GROUP_INSTANCES_PER_CLUSTER } from "../../src/query-service/fleet-workloads/fleet-workload.js";
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
      // Rolled out once: a shortfall of ready replicas since is degraded, not a rollout.
      conditions: [{ type: "Progressing", status: "True", reason: "NewReplicaSetAvailable" }],
    },
  };
}

function statefulSet(cluster: string, name: string): KubeObject {
  const o = deployment(cluster, name, { image: `${name}:1` });
  return { ...o, kind: "StatefulSet", metadata: { ...o.metadata, uid: `${cluster}-sts-${name}` } };
}

function job(cluster: string, name: string, owner?: string): KubeObject {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name,
      namespace: "shop",
      uid: `${cluster}-job-${name}`,
      generation: 1,
      creationTimestamp: "2026-01-01T00:00:00Z",
      ...(owner
        ? {
            ownerReferences: [
              { apiVersion: "batch/v1", kind: "CronJob", name: owner, uid: `cj-${owner}`, controller: true },
            ],
          }
        : {}),
    },
    spec: { completions: 1, template: { spec: { containers: [{ name: "run", image: "report:1" }] } } },
    status: { succeeded: 1, conditions: [{ type: "Complete", status: "True" }] },
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
  // Counts the namespace lookups that working out a group's missing clusters makes.
  const lookups = { namespaces: 0 };
  const reader = new Proxy(engine, {
    get(target, property, receiver) {
      if (property !== "getByName") return Reflect.get(target, property, receiver) as unknown;
      return (...args: Parameters<QueryEngine["getByName"]>) => {
        if (args[1] === "Namespace") lookups.namespaces++;
        return target.getByName(...args);
      };
    },
  });
  const services = createReadServices({ reader, fleet, fleetWorkloadLabel: groupLabel });
  return { fleet, reads: services.fleetWorkloads, nodes: services.nodes, lookups };
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

describe("FleetWorkloadReads.list, per kind", () => {
  it("reads a kind the Scope grants alone: StatefulSets listed as node(id) finds them", () => {
    const { reads, nodes } = fleetOf([...FLEET, [EU, statefulSet(EU, "db")], [US, statefulSet(US, "db")]]);
    const scope = Scope.of([
      { cluster: EU, namespaces: ["shop"], kinds: ["StatefulSet"] },
      { cluster: US, namespaces: ["shop"], kinds: ["StatefulSet"] },
    ]);
    const page = reads.list(request(), scope, new ClusterOutcomes());
    expect(page.items.map((g) => `${g.key.kind}/${g.key.name}`)).toEqual(["StatefulSet/db"]);
    expect(page.items[0]!.instances.map((e) => e.cluster)).toEqual([EU, US]);
    expect(page.outcomes.map((o) => [o.cluster, o.error])).toEqual([
      [EU, null],
      [US, null],
    ]);
    const found = nodes.find(page.items[0]!.id, scope);
    expect(found?.type === "FleetWorkload" && found.group.instances.length).toBe(2);
  });

  it("groups a cluster's Deployments when it does not serve CronJobs, with no error for it", () => {
    const { reads, fleet } = fleetOf(FLEET);
    fleet.kindFreshnessOf.set(`${DEV}/CronJob`, { synced: false, unserved: ["CronJob"] });
    const outcomes = new ClusterOutcomes();
    const page = reads.list(request(), Scope.everything(), outcomes);
    expect(page.items.find((g) => g.key.name === "web")!.instances.map((e) => e.cluster)).toContain(DEV);
    expect(outcomes.list()).toEqual([]);
    expect(page.outcomes.find((o) => o.cluster === DEV)).toMatchObject({ synced: true, error: null });

    // A kind it serves but has not synced is told (once), and only that kind is left out there.
    fleet.kindFreshnessOf.set(`${DEV}/StatefulSet`, { synced: false });
    const told = new ClusterOutcomes();
    const again = reads.list(request(), Scope.everything(), told);
    expect(told.list().map((o) => [o.cluster, o.code, o.retryable])).toEqual([
      [DEV, "CLUSTER_UNAVAILABLE", true],
    ]);
    expect(told.list()[0]!.message).toMatch(/StatefulSet/);
    expect(again.items.find((g) => g.key.name === "web")!.instances.map((e) => e.cluster)).toContain(DEV);
  });

  it("leaves workloads a controller owns out of the groups: a CronJob's Jobs are not each a group", () => {
    const { reads } = fleetOf([
      ...FLEET,
      [EU, job(EU, "report-29000001", "report")],
      [US, job(US, "report-29000002", "report")],
      [EU, job(EU, "migrate")],
      [US, job(US, "migrate")],
    ]);
    const page = reads.list(
      request({ filter: { kinds: ["Job"] } }),
      Scope.everything(),
      new ClusterOutcomes(),
    );
    expect(page.items.map((g) => g.key.name)).toEqual(["migrate"]);
    // A complete Job counts as ready: its completions succeeded.
    expect(page.items[0]!.status).toMatchObject({
      desiredReplicas: 2,
      readyReplicas: 2,
      degradedClusters: [],
    });
  });
});

describe("FleetWorkloadReads.list, work and bounds", () => {
  it("works out statuses only for the groups read, unless a status filter or order needs them all", () => {
    const { reads, lookups } = fleetOf(FLEET);
    const all = Scope.everything();
    const first = reads.list(request({ page: { first: 1 } }), all, new ClusterOutcomes());
    expect(lookups.namespaces).toBe(0);
    expect(first.items[0]!.status.missingClusters).toEqual([DEV, US].sort());
    // api-eu's status alone: one lookup for each cluster it is not on.
    expect(lookups.namespaces).toBe(2);
    lookups.namespaces = 0;
    reads.list(request({ page: { first: 1 }, filter: { missing: true } }), all, new ClusterOutcomes());
    // api-eu and api-us lack two clusters each, cart one, web none.
    expect(lookups.namespaces).toBe(5);
    lookups.namespaces = 0;
    reads.list(
      request({ page: { first: 1 }, orderBy: { field: "CLUSTERS_AFFECTED", direction: "ASC" } }),
      all,
      new ClusterOutcomes(),
    );
    expect(lookups.namespaces).toBe(5);
  });

  it("lists at most MAX_GROUP_INSTANCES_PER_CLUSTER instances of a label group per cluster, counting all", () => {
    const label = { "placement.example.com/app": "shard" };
    const shards: [string, KubeObject][] = Array.from(
      { length: MAX_GROUP_INSTANCES_PER_CLUSTER + 2 },
      (_, i) => [
        EU,
        deployment(EU, `shard-${String(i).padStart(2, "0")}`, {
          image: "shard:1",
          replicas: 1,
          labels: label,
        }),
      ],
    );
    const { reads } = fleetOf(
      [...shards, [US, deployment(US, "shard-us", { image: "shard:1", labels: label })]],
      "placement.example.com/app",
    );
    const page = reads.list(
      request({ filter: { nameContains: "shard" } }),
      Scope.everything(),
      new ClusterOutcomes(),
    );
    const shard = page.items.find((g) => g.key.name === "shard")!;
    expect(shard.instanceCount).toBe(MAX_GROUP_INSTANCES_PER_CLUSTER + 3);
    expect(shard.instances.filter((e) => e.cluster === EU)).toHaveLength(MAX_GROUP_INSTANCES_PER_CLUSTER);
    expect(shard.instances.filter((e) => e.cluster === US)).toHaveLength(1);
    expect(shard.status.desiredReplicas).toBe(MAX_GROUP_INSTANCES_PER_CLUSTER + 2 + 3);
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
