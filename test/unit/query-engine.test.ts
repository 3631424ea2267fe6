import { beforeEach, describe, expect, it } from "vitest";
import type { CacheEntry } from "../../src/cache/entry.js";
import {
  QueryInputError,
  type ObjectFilter,
  type OrderBy,
  type OrderField,
} from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import {
  entry,
  oracle,
  pod,
  related,
  testFleet,
  uids,
  type PodData,
  type TestFleet,
} from "./query-fixtures.js";

const everything = Scope.everything();
const byName: OrderBy = { field: "NAME", direction: "ASC" };
const phaseIs = (phase: string) => (e: CacheEntry) => (e.data as PodData).phase === phase;
const restarts = (e: CacheEntry) => (e.data as PodData).restarts;

/** Three clusters, two regions, a few namespaces; names repeat across clusters on purpose. */
function smallFleet(): TestFleet {
  const fleet = testFleet({
    "eu-1": { region: "eu", env: "prod" },
    "eu-2": { region: "eu", env: "dev" },
    "us-1": { region: "us", env: "prod" },
  });
  let t = 0;
  for (const cluster of ["eu-1", "eu-2", "us-1"]) {
    for (const namespace of ["shop", "data", "kube-system"]) {
      for (const [i, app] of ["web", "api", "db"].entries()) {
        fleet.add(
          pod(
            {
              cluster,
              namespace,
              uid: `${cluster}/${namespace}/${app}`,
              name: `${app}-${namespace === "shop" ? "Main" : "x"}-${i}`,
              labels: { app, ...(i === 0 ? { tier: "front" } : {}) },
              created: 1000 + ((t += 7) % 23),
              owner: { kind: "ReplicaSet", name: `${app}-rs`, uid: `${cluster}/${namespace}/rs-${app}` },
            },
            {
              phase: i === 2 ? "Pending" : "Running",
              nodeName: `${cluster}-node-${i % 2}`,
              restarts: (t * 3) % 5,
            },
          ),
        );
      }
    }
    fleet.add(
      entry({ cluster, kind: "Node", namespace: "", uid: `${cluster}/node-0`, name: `${cluster}-node-0` }),
    );
    fleet.add(
      entry({ cluster, kind: "Node", namespace: "", uid: `${cluster}/node-1`, name: `${cluster}-node-1` }),
    );
  }
  return fleet;
}

describe("QueryEngine filters", () => {
  let fleet: TestFleet;
  beforeEach(() => {
    fleet = smallFleet();
  });

  const filters: [string, ObjectFilter][] = [
    ["no filter", {}],
    ["clusters by name", { clusters: ["eu-2", "us-1"] }],
    ["an unknown cluster", { clusters: ["mars"] }],
    ["an empty cluster list", { clusters: [] }],
    ["cluster selector", { clusterSelector: "region=eu" }],
    ["cluster selector with in/notin", { clusterSelector: "region in (eu,us),env notin (dev)" }],
    ["namespaces", { namespaces: ["shop", "data"] }],
    ["an empty namespace list", { namespaces: [] }],
    ["label equality", { labelSelector: "app=web" }],
    ["label in", { labelSelector: "app in (web,db)" }],
    ["label in with a repeated value", { labelSelector: "app in (web,web)" }],
    ["label exists and inequality", { labelSelector: "tier,app!=db" }],
    ["label does not exist", { labelSelector: "!tier" }],
    ["label equality that nothing has", { labelSelector: "app=none" }],
    ["name contains, case-insensitively", { nameContains: "MAIN" }],
    ["predicate", { predicate: phaseIs("Pending") }],
    ["owners", { owners: ["eu-1/shop/rs-web", "us-1/data/rs-db", "nobody"] }],
    ["an empty owner list", { owners: [] }],
    ["a named index (pods by node)", { index: { name: "node", key: "eu-2-node-0" } }],
    [
      "owners, index and namespaces together",
      {
        owners: ["eu-1/shop/rs-db", "eu-1/data/rs-db"],
        index: { name: "node", key: "eu-1-node-0" },
        namespaces: ["shop"],
      },
    ],
    [
      "everything at once",
      {
        clusters: ["eu-1", "eu-2", "us-1"],
        clusterSelector: "env=prod",
        namespaces: ["shop", "kube-system"],
        labelSelector: "app in (web,api)",
        nameContains: "x",
        predicate: phaseIs("Running"),
      },
    ],
  ];

  it.each(filters)("%s: matches the oracle, totalCount and count() included", (_, filter) => {
    const expected = oracle(fleet, "Pod", filter, everything, byName);
    const result = fleet.engine.query("Pod", filter, everything, byName, { first: 1000 });
    expect(uids(result.items)).toEqual(uids(expected));
    expect(result.totalCount).toBe(expected.length);
    expect(fleet.engine.count("Pod", filter, everything)).toBe(expected.length);
  });

  it.each(filters)("%s: forEach visits exactly the matches", (_, filter) => {
    const expected = oracle(fleet, "Pod", filter, everything, byName);
    const visited: CacheEntry[] = [];
    fleet.engine.forEach("Pod", filter, everything, (e) => visited.push(e));
    expect(uids(visited).sort()).toEqual(uids(expected).sort());
  });

  it("selects what each filter says (spot checks, so the oracle is not the only judge)", () => {
    const q = (filter: ObjectFilter) =>
      fleet.engine.query("Pod", filter, everything, byName, { first: 1000 });
    expect(q({}).totalCount).toBe(27);
    expect(new Set(q({ clusterSelector: "region=eu" }).items.map((e) => e.cluster))).toEqual(
      new Set(["eu-1", "eu-2"]),
    );
    expect(q({ labelSelector: "app=web" }).items.every((e) => e.labels.app === "web")).toBe(true);
    expect(q({ labelSelector: "app=web" }).totalCount).toBe(9);
    expect(q({ nameContains: "main" }).totalCount).toBe(9);
    expect(q({ namespaces: ["data"], labelSelector: "app=db" }).totalCount).toBe(3);
    expect(q({ clusters: [] }).totalCount).toBe(0);
    expect(uids(q({ owners: ["eu-1/shop/rs-web", "us-1/data/rs-db"] }).items)).toEqual([
      "us-1/data/db",
      "eu-1/shop/web",
    ]);
    expect(q({ index: { name: "node", key: "eu-2-node-1" } }).items.every((e) => e.cluster === "eu-2")).toBe(
      true,
    );
    expect(q({ index: { name: "node", key: "eu-2-node-1" } }).totalCount).toBe(3);
  });

  it("filters Namespace objects by their own name and refuses namespaces for Nodes", () => {
    for (const name of ["shop", "data"]) {
      fleet.add(entry({ cluster: "eu-1", kind: "Namespace", namespace: "", uid: `ns-${name}`, name }));
    }
    const result = fleet.engine.query("Namespace", { namespaces: ["data", "gone"] }, everything, byName, {});
    expect(uids(result.items)).toEqual(["ns-data"]);
    expect(() => fleet.engine.query("Node", { namespaces: ["shop"] }, everything, byName, {})).toThrow(
      expect.objectContaining({ code: "BAD_USER_INPUT", field: "namespaces" }),
    );
  });

  it("rejects a bad label selector or cluster selector with the parser's message", () => {
    for (const field of ["labelSelector", "clusterSelector"] as const) {
      let caught: unknown;
      try {
        fleet.engine.query("Pod", { [field]: "app in (web" }, everything, byName, {});
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(QueryInputError);
      const error = caught as QueryInputError;
      expect(error.code).toBe("BAD_USER_INPUT");
      expect(error.field).toBe(field);
      expect(error.message).toContain('in selector "app in (web"');
    }
    expect(() => fleet.engine.count("Pod", { labelSelector: "a=b=c" }, everything)).toThrow(QueryInputError);
  });

  it("does not read clusters that are no longer known, even if their stores remain", () => {
    fleet.known.delete("us-1");
    const result = fleet.engine.query("Pod", {}, everything, byName, { first: 1000 });
    expect(result.items.some((e) => e.cluster === "us-1")).toBe(false);
    expect(result.totalCount).toBe(18);
    expect(fleet.engine.get("us-1", "Pod", "us-1/shop/web", everything)).toBeUndefined();
  });
});

describe("QueryEngine order", () => {
  // RESTARTS stands for a kind's own order: a field that is not built in, with its key function.
  const fields: OrderField[] = ["NAME", "NAMESPACE", "CLUSTER", "CREATED", "RESTARTS"];
  const cases = fields.flatMap((field) =>
    (["ASC", "DESC"] as const).map((direction) => [field, direction] as const),
  );

  it.each(cases)(
    "%s %s is a total order matching the oracle, for full lists and first-N pages",
    (field, direction) => {
      const fleet = smallFleet();
      const order: OrderBy = { field, direction, ...(field === "RESTARTS" ? { key: restarts } : {}) };
      const expected = oracle(fleet, "Pod", {}, everything, order);
      const all = fleet.engine.query("Pod", {}, everything, order, { first: 1000 });
      expect(uids(all.items)).toEqual(uids(expected));
      const top5 = fleet.engine.query("Pod", {}, everything, order, { first: 5 });
      expect(uids(top5.items)).toEqual(uids(expected.slice(0, 5)));
      const bottom5 = fleet.engine.query("Pod", {}, everything, order, { last: 5 });
      expect(uids(bottom5.items)).toEqual(uids(expected.slice(-5)));
    },
  );

  it("orders by the key in the requested direction and breaks ties by cluster, namespace, name, uid ascending", () => {
    const fleet = testFleet();
    fleet.add(pod({ cluster: "b", namespace: "x", name: "p", uid: "1", created: 5 }));
    fleet.add(pod({ cluster: "a", namespace: "y", name: "p", uid: "2", created: 5 }));
    fleet.add(pod({ cluster: "a", namespace: "x", name: "q", uid: "3", created: 5 }));
    fleet.add(pod({ cluster: "a", namespace: "x", name: "p", uid: "4", created: 9 }));
    const ids = (direction: "ASC" | "DESC") =>
      uids(fleet.engine.query("Pod", {}, everything, { field: "CREATED", direction }, {}).items);
    expect(ids("ASC")).toEqual(["3", "2", "1", "4"]);
    expect(ids("DESC")).toEqual(["4", "3", "2", "1"]);
  });

  it("orders by a kind's own key that mixes numbers and strings, numbers first", () => {
    const fleet = testFleet();
    fleet.add(pod({ uid: "s", name: "s" }));
    fleet.add(pod({ uid: "n", name: "n" }));
    fleet.add(pod({ uid: "nan", name: "nan" }));
    const key = (e: CacheEntry) => (e.name === "s" ? "zzz" : e.name === "nan" ? NaN : 3);
    const result = fleet.engine.query(
      "Pod",
      {},
      everything,
      { field: "RESTARTS", direction: "ASC", key },
      {},
    );
    expect(uids(result.items)).toEqual(["nan", "n", "s"]);
    // A NaN key is clamped, so its cursor still decodes and pages on.
    const next = fleet.engine.query(
      "Pod",
      {},
      everything,
      { field: "RESTARTS", direction: "ASC", key },
      {
        first: 1,
        after: result.cursors.at(0)!,
      },
    );
    expect(uids(next.items)).toEqual(["n"]);
  });

  it("refuses an order that is not built in without a key function (a programming error, not user input)", () => {
    const fleet = smallFleet();
    expect(() =>
      fleet.engine.query("Pod", {}, everything, { field: "RESTARTS", direction: "ASC" }, {}),
    ).toThrow(TypeError);
  });
});

describe("QueryEngine lookups and relations", () => {
  const fleet = smallFleet();

  it("get and getByName find entries by uid and by name", () => {
    expect(fleet.engine.get("eu-1", "Pod", "eu-1/shop/web", everything)?.name).toBe("web-Main-0");
    expect(fleet.engine.get("eu-1", "Pod", "missing", everything)).toBeUndefined();
    expect(fleet.engine.get("mars", "Pod", "eu-1/shop/web", everything)).toBeUndefined();
    expect(fleet.engine.getByName("eu-2", "Pod", "data", "api-x-1", everything)?.uid).toBe("eu-2/data/api");
    expect(fleet.engine.getByName("eu-2", "Pod", "shop", "api-x-1", everything)).toBeUndefined();
    expect(fleet.engine.getByName("eu-2", "Node", "", "eu-2-node-1", everything)?.uid).toBe("eu-2/node-1");
    expect(fleet.engine.getByName("eu-2", "Service", "shop", "x", everything)).toBeUndefined();
  });

  it("related finds by owner, node, namespace and combinations, ordered by namespace and name", () => {
    const r = (by: Parameters<typeof related>[3], cluster = "eu-1") =>
      uids(related(fleet.engine, cluster, "Pod", by, everything));
    expect(r({ ownerUid: "eu-1/shop/rs-web" })).toEqual(["eu-1/shop/web"]);
    expect(r({ index: { name: "node", key: "eu-1-node-0" } })).toEqual([
      "eu-1/data/db",
      "eu-1/data/web",
      "eu-1/kube-system/db",
      "eu-1/kube-system/web",
      "eu-1/shop/db",
      "eu-1/shop/web",
    ]);
    expect(r({ index: { name: "node", key: "eu-1-node-0" }, namespace: "shop" })).toEqual([
      "eu-1/shop/db",
      "eu-1/shop/web",
    ]);
    expect(r({ index: { name: "node", key: "eu-1-node-0" }, ownerUid: "eu-1/shop/rs-db" })).toEqual([
      "eu-1/shop/db",
    ]);
    expect(r({ index: { name: "node", key: "eu-1-node-1" }, ownerUid: "eu-1/shop/rs-db" })).toEqual([]);
    expect(r({ namespace: "data" })).toEqual(["eu-1/data/api", "eu-1/data/db", "eu-1/data/web"]);
    expect(r({ ownerUid: "eu-1/shop/rs-web" }, "eu-2")).toEqual([]);
    expect(r({ ownerUid: "nobody" })).toEqual([]);
    expect(r({}, "mars")).toEqual([]);
    expect(uids(related(fleet.engine, "us-1", "Node", {}, everything))).toEqual([
      "us-1/node-0",
      "us-1/node-1",
    ]);
  });
});
