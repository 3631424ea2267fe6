import { describe, expect, it } from "vitest";
import type { CacheEntry } from "../../src/cache/entry.js";
import type { OrderBy } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import { entry, oracle, pod, related, testFleet, uids, type TestFleet } from "./query-fixtures.js";

const byName: OrderBy = { field: "NAME", direction: "ASC" };

function fleetOf(): TestFleet {
  const fleet = testFleet({ c1: { env: "prod" }, c2: { env: "prod" }, c3: { env: "dev" } });
  for (const cluster of ["c1", "c2", "c3"]) {
    for (const namespace of ["team-a", "team-b", "kube-system"]) {
      fleet.add(
        entry({
          cluster,
          kind: "Namespace",
          namespace: "",
          uid: `${cluster}/ns/${namespace}`,
          name: namespace,
        }),
      );
      for (const i of [0, 1]) {
        fleet.add(
          pod(
            {
              cluster,
              namespace,
              uid: `${cluster}/${namespace}/${i}`,
              name: `pod-${i}`,
              labels: { app: i ? "db" : "web" },
              owner: { kind: "ReplicaSet", name: "rs", uid: `${cluster}/${namespace}/rs` },
            },
            { nodeName: `${cluster}-n${i}` },
          ),
        );
      }
    }
    fleet.add(entry({ cluster, kind: "Node", namespace: "", uid: `${cluster}/node`, name: `${cluster}-n0` }));
  }
  return fleet;
}

const teamA = Scope.of([{ cluster: "*", namespaces: ["team-a"] }]);
const c1Only = Scope.of([{ cluster: "c1", namespaces: "*", clusterKinds: "*" }]);
const mixed = Scope.of([
  { cluster: "c1", namespaces: ["team-a", "team-b"] },
  { cluster: "c2", namespaces: "*", clusterKinds: ["Node"] },
]);

describe("Scope inside the query engine", () => {
  const fleet = fleetOf();
  const visible = (kind: CacheEntry["kind"], scope: Scope, filter = {}) =>
    uids(fleet.engine.query(kind, filter, scope, byName, { first: 1000 }).items).sort();

  it("serves everything to Scope.everything() and nothing to Scope.nothing()", () => {
    expect(visible("Pod", Scope.everything())).toHaveLength(18);
    expect(visible("Pod", Scope.nothing())).toEqual([]);
    expect(fleet.engine.count("Pod", {}, Scope.nothing())).toBe(0);
    expect(fleet.engine.count("Node", {}, Scope.everything())).toBe(3);
  });

  it("restricts to readable namespaces in every cluster, in lists, totalCount and count", () => {
    const result = fleet.engine.query("Pod", {}, teamA, byName, { first: 2 });
    expect(result.totalCount).toBe(6);
    expect(result.items.every((e) => e.namespace === "team-a")).toBe(true);
    expect(fleet.engine.count("Pod", {}, teamA)).toBe(6);
    expect(fleet.engine.count("Pod", { labelSelector: "app=db" }, teamA)).toBe(3);
    // Filtering for a namespace outside the scope finds nothing rather than more.
    expect(visible("Pod", teamA, { namespaces: ["team-b", "kube-system"] })).toEqual([]);
    expect(visible("Pod", teamA, { namespaces: ["team-a", "team-b"] })).toHaveLength(6);
  });

  it("restricts to readable clusters", () => {
    expect(visible("Pod", c1Only).every((uid) => uid.startsWith("c1/"))).toBe(true);
    expect(visible("Pod", c1Only)).toHaveLength(6);
    expect(visible("Pod", c1Only, { clusters: ["c2", "c3"] })).toEqual([]);
    expect(visible("Pod", c1Only, { clusterSelector: "env=prod" })).toHaveLength(6);
  });

  it("applies the label index and the scope together (a label bucket smaller than the namespaces)", () => {
    // One rare label in a namespace the caller may not read must not leak through the label index.
    const local = fleetOf();
    local.add(
      pod({ cluster: "c1", namespace: "kube-system", uid: "rare", name: "rare", labels: { rare: "yes" } }),
    );
    local.add(
      pod({ cluster: "c1", namespace: "team-a", uid: "rare-a", name: "rare-a", labels: { rare: "yes" } }),
    );
    const result = local.engine.query("Pod", { labelSelector: "rare=yes" }, teamA, byName, {});
    expect(uids(result.items)).toEqual(["rare-a"]);
    expect(local.engine.count("Pod", { labelSelector: "rare=yes" }, teamA)).toBe(1);
  });

  it("shows Nodes only where clusterKinds grants them", () => {
    expect(visible("Node", Scope.everything())).toEqual(["c1/node", "c2/node", "c3/node"]);
    expect(visible("Node", teamA)).toEqual([]);
    expect(visible("Node", mixed)).toEqual(["c2/node"]);
    expect(fleet.engine.count("Node", {}, mixed)).toBe(1);
    expect(fleet.engine.get("c1", "Node", "c1/node", mixed)).toBeUndefined();
    expect(fleet.engine.get("c2", "Node", "c2/node", mixed)?.name).toBe("c2-n0");
    expect(fleet.engine.getByName("c1", "Node", "", "c1-n0", mixed)).toBeUndefined();
    expect(related(fleet.engine, "c1", "Node", {}, mixed)).toEqual([]);
  });

  it("shows Namespace objects whose names are readable", () => {
    expect(visible("Namespace", teamA)).toEqual(["c1/ns/team-a", "c2/ns/team-a", "c3/ns/team-a"]);
    expect(visible("Namespace", mixed)).toEqual([
      "c1/ns/team-a",
      "c1/ns/team-b",
      "c2/ns/kube-system",
      "c2/ns/team-a",
      "c2/ns/team-b",
    ]);
    expect(fleet.engine.count("Namespace", {}, mixed)).toBe(5);
    expect(fleet.engine.getByName("c1", "Namespace", "", "kube-system", mixed)).toBeUndefined();
    expect(fleet.engine.get("c1", "Namespace", "c1/ns/team-b", mixed)?.name).toBe("team-b");
  });

  it("matches the oracle for every scope, kind and a few filters", () => {
    for (const scope of [Scope.everything(), teamA, c1Only, mixed, Scope.nothing()]) {
      for (const kind of ["Pod", "Namespace", "Node"] as const) {
        for (const filter of [{}, { labelSelector: "app=web" }, { clusterSelector: "env=prod" }]) {
          const expected = oracle(fleet, kind, filter, scope, byName);
          const result = fleet.engine.query(kind, filter, scope, byName, { first: 1000 });
          expect(uids(result.items)).toEqual(uids(expected));
          expect(fleet.engine.count(kind, filter, scope)).toBe(expected.length);
        }
      }
    }
  });

  it("returns undefined from get/getByName for out-of-scope objects", () => {
    expect(fleet.engine.get("c1", "Pod", "c1/team-b/0", teamA)).toBeUndefined();
    expect(fleet.engine.get("c1", "Pod", "c1/team-a/0", teamA)?.name).toBe("pod-0");
    expect(fleet.engine.getByName("c3", "Pod", "team-b", "pod-0", mixed)).toBeUndefined();
    expect(fleet.engine.getByName("c1", "Pod", "kube-system", "pod-0", mixed)).toBeUndefined();
    expect(fleet.engine.getByName("c1", "Pod", "team-b", "pod-0", mixed)?.uid).toBe("c1/team-b/0");
    expect(fleet.engine.get("c2", "Pod", "c2/kube-system/1", c1Only)).toBeUndefined();
  });

  it("keeps relations inside the scope", () => {
    expect(
      uids(related(fleet.engine, "c1", "Pod", { index: { name: "node", key: "c1-n0" } }, teamA)),
    ).toEqual(["c1/team-a/0"]);
    expect(
      uids(related(fleet.engine, "c1", "Pod", { index: { name: "node", key: "c1-n0" } }, mixed)),
    ).toEqual(["c1/team-a/0", "c1/team-b/0"]);
    expect(related(fleet.engine, "c1", "Pod", { ownerUid: "c1/kube-system/rs" }, teamA)).toEqual([]);
    expect(related(fleet.engine, "c1", "Pod", { namespace: "kube-system" }, mixed)).toEqual([]);
    expect(related(fleet.engine, "c3", "Pod", {}, mixed)).toEqual([]);
    expect(uids(related(fleet.engine, "c2", "Pod", { ownerUid: "c2/kube-system/rs" }, mixed))).toEqual([
      "c2/kube-system/0",
      "c2/kube-system/1",
    ]);
  });
});

describe("Scope per kind", () => {
  // A namespace viewer of team-a on c1 (pods, not secrets), and every secret of c2's team-b.
  const viewer = Scope.of([
    { cluster: "c1", namespaces: ["team-a"], kinds: ["Pod", "Namespace"] },
    { cluster: "c2", namespaces: ["team-b"], kinds: ["Secret"] },
  ]);
  const fleet = fleetOf();
  for (const cluster of ["c1", "c2"]) {
    for (const namespace of ["team-a", "team-b"]) {
      fleet.add(
        entry({ cluster, kind: "Secret", namespace, uid: `${cluster}/${namespace}/secret`, name: "token" }),
      );
    }
  }
  const visible = (kind: CacheEntry["kind"], scope: Scope, filter = {}) =>
    uids(fleet.engine.query(kind, filter, scope, byName, { first: 1000 }).items).sort();

  it("lets a viewer read pods but not secrets in the same namespace", () => {
    expect(visible("Pod", viewer)).toEqual(["c1/team-a/0", "c1/team-a/1"]);
    expect(visible("Secret", viewer)).toEqual(["c2/team-b/secret"]);
    expect(fleet.engine.count("Secret", { namespaces: ["team-a"] }, viewer)).toBe(0);
    expect(fleet.engine.count("Pod", {}, viewer)).toBe(2);
    expect(fleet.engine.getByName("c1", "Secret", "team-a", "token", viewer)).toBeUndefined();
    expect(fleet.engine.get("c2", "Secret", "c2/team-b/secret", viewer)?.name).toBe("token");
  });

  it("shows namespace objects only where the Namespace kind is granted", () => {
    expect(visible("Namespace", viewer)).toEqual(["c1/ns/team-a"]);
    const allNamespaces = Scope.of([{ cluster: "c3", namespaces: [], clusterKinds: ["Namespace"] }]);
    expect(visible("Namespace", allNamespaces)).toEqual([
      "c3/ns/kube-system",
      "c3/ns/team-a",
      "c3/ns/team-b",
    ]);
    expect(visible("Pod", allNamespaces)).toEqual([]);
  });

  it("keeps relations per kind: a node's pods, an owner's pods", () => {
    expect(
      uids(related(fleet.engine, "c1", "Pod", { index: { name: "node", key: "c1-n0" } }, viewer)),
    ).toEqual(["c1/team-a/0"]);
    expect(related(fleet.engine, "c2", "Pod", { ownerUid: "c2/team-b/rs" }, viewer)).toEqual([]);
  });

  it("matches the oracle per kind", () => {
    for (const kind of ["Pod", "Secret", "Namespace", "Node"] as const) {
      const expected = oracle(fleet, kind, {}, viewer, byName);
      expect(uids(fleet.engine.query(kind, {}, viewer, byName, { first: 1000 }).items)).toEqual(
        uids(expected),
      );
    }
  });

  it("intersects two Scopes exactly over the clusters and kinds given", () => {
    const kinds = [
      { kind: "Pod", clusterScoped: false },
      { kind: "Secret", clusterScoped: false },
      { kind: "Namespace", clusterScoped: true },
      { kind: "Node", clusterScoped: true },
    ];
    const wide = Scope.of([
      { cluster: "*", namespaces: "*", kinds: ["Pod", "Secret"], clusterKinds: ["Node"] },
    ]);
    const narrow = Scope.of([
      { cluster: "c1", namespaces: ["team-a", "team-b"], kinds: ["Pod", "Namespace"] },
      { cluster: "c2", namespaces: [], clusterKinds: "*" },
    ]);
    const both = Scope.intersect(wide, narrow, ["c1", "c2", "c3"], kinds);
    expect([...(both.namespacesIn("c1", "Pod") as Set<string>)].sort()).toEqual(["team-a", "team-b"]);
    expect(both.namespacesIn("c1", "Namespace")).toEqual(new Set());
    expect(both.namespacesIn("c1", "Secret")).toEqual(new Set());
    expect(both.allowsClusterKind("c1", "Node")).toBe(false);
    expect(both.allowsClusterKind("c2", "Node")).toBe(true);
    expect(both.allowsCluster("c3")).toBe(false);
    expect(Scope.intersect(Scope.everything(), narrow, ["c1"], kinds)).toBe(narrow);
  });
});
