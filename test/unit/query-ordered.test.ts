/**
 * The counted, ordered read (facet counts + sorted entries + k-way merge) against the obvious
 * answer on random fleets: every filter it serves (namespaces, label selectors, a phase facet,
 * clusters) under every order, direction and page window, in scopes narrowed to clusters and
 * namespaces, with the fleet written to between reads (so the sorted entries and counts kept up
 * to date are checked, and cursors of deleted items). Fixed seed, so a failure replays.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CacheEntry } from "../../src/cache/entry.js";
import type { ObjectFilter, OrderBy, PageArgs } from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import { POD } from "../../src/kinds/index.js";
import { naiveComparator, naiveKey, oracle, pod, testFleet, uids, type TestFleet } from "./query-fixtures.js";

const CLUSTERS = ["c1", "c2", "c3"];
const NAMESPACES = ["a", "b", "c"];
const PHASES = ["Running", "Pending", "Failed"];
/** Shared label objects, as interning makes them, plus equal ones that are not the same object. */
const LABEL_SETS = [
  Object.freeze({ app: "web", tier: "frontend" }),
  Object.freeze({ app: "api", tier: "backend" }),
  Object.freeze({ app: "db", tier: "data" }),
  Object.freeze({ tier: "backend" }),
  Object.freeze({}),
];
const SELECTORS = [
  undefined,
  "tier=backend",
  "tier in (backend,data)",
  "tier!=frontend",
  "app",
  "!app",
  "app=api,tier=backend",
  "app notin (web)",
];
const restarts = POD.orderKeys!.RESTARTS as OrderBy["key"];
const ORDERS: OrderBy[] = (["NAME", "CREATED", "NAMESPACE", "CLUSTER", "RESTARTS"] as const).flatMap(
  (field) =>
    (["ASC", "DESC"] as const).map((direction) =>
      field === "RESTARTS" ? { field, direction, key: restarts } : { field, direction },
    ),
);

interface PodSeed {
  cluster: number;
  namespace: number;
  name: number;
  labels: number;
  copyLabels: boolean;
  phase: number;
  created: number;
  restarts: number;
}

const podSeed = fc.record({
  cluster: fc.nat(CLUSTERS.length - 1),
  namespace: fc.nat(NAMESPACES.length - 1),
  // Few names: the same name in several namespaces and clusters, and NAME ties broken by the rest.
  name: fc.nat(40),
  labels: fc.nat(LABEL_SETS.length - 1),
  copyLabels: fc.boolean(),
  phase: fc.nat(PHASES.length - 1),
  created: fc.nat(4),
  restarts: fc.nat(3),
});

let serial = 0;

function podOf(seed: PodSeed, uid = `p${++serial}`): CacheEntry {
  const labels = LABEL_SETS[seed.labels]!;
  return pod(
    {
      cluster: CLUSTERS[seed.cluster]!,
      namespace: NAMESPACES[seed.namespace]!,
      name: `pod-${seed.name}`,
      uid,
      labels: seed.copyLabels ? { ...labels } : labels,
      created: 1_700_000_000_000 + seed.created,
    },
    { phase: PHASES[seed.phase]!, restarts: seed.restarts },
  );
}

const query = fc.record({
  selector: fc.constantFrom(...SELECTORS),
  phases: fc.option(fc.subarray(PHASES), { nil: undefined }),
  namespaces: fc.option(fc.subarray(NAMESPACES), { nil: undefined }),
  clusters: fc.option(fc.subarray(CLUSTERS), { nil: undefined }),
  scope: fc.constantFrom("everything", "namespaces", "clusters"),
  order: fc.constantFrom(...ORDERS),
  from: fc.constantFrom("first", "last"),
  take: fc.nat(7),
  after: fc.option(fc.nat(60), { nil: undefined }),
  before: fc.option(fc.nat(60), { nil: undefined }),
});
type Query = typeof query extends fc.Arbitrary<infer Q> ? Q : never;

function scopeOf(name: string): Scope {
  if (name === "namespaces")
    return Scope.of([
      { cluster: "*", namespaces: ["a", "c"] },
      { cluster: "c2", namespaces: ["b"] },
    ]);
  if (name === "clusters")
    return Scope.of([
      { cluster: "c1", namespaces: "*" },
      { cluster: "c3", namespaces: ["b"] },
    ]);
  return Scope.everything();
}

function filterOf(q: Query): ObjectFilter {
  const filter: ObjectFilter = {};
  if (q.selector !== undefined) filter.labelSelector = q.selector;
  if (q.phases !== undefined) filter.facets = [{ name: "phase", keys: q.phases }];
  if (q.namespaces !== undefined) filter.namespaces = q.namespaces;
  if (q.clusters !== undefined) filter.clusters = q.clusters;
  return filter;
}

describe("facet filters", () => {
  it("test a change the way the reads filter it (subscriptions use the engine's matcher)", () => {
    const fleet = testFleet({ c1: {} });
    const running = pod({ cluster: "c1", name: "a" }, { phase: "Running" });
    const pending = pod({ cluster: "c1", name: "b" }, { phase: "Pending" });
    fleet.add(running);
    fleet.add(pending);
    const filter: ObjectFilter = { facets: [{ name: "phase", keys: ["Running"] }] };
    const matches = fleet.engine.matcher("Pod", filter);
    expect([matches(running, Scope.everything()), matches(pending, Scope.everything())]).toEqual([
      true,
      false,
    ]);
    expect(uids(fleet.engine.query("Pod", filter, Scope.everything(), ORDERS[0]!, {}).items)).toEqual([
      running.uid,
    ]);
  });
});

describe("counted, ordered reads equal a full scan and sort", () => {
  it("on random fleets, filters, orders, windows and scopes, through writes", () => {
    fc.assert(
      fc.property(
        fc.array(podSeed, { minLength: 0, maxLength: 240, size: "max" }),
        fc.array(query, { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(200), podSeed, fc.boolean()), { maxLength: 30, size: "max" }),
        (pods, queries, writes) => {
          const fleet = testFleet(Object.fromEntries(CLUSTERS.map((c) => [c, {}])));
          const entries = pods.map((seed) => podOf(seed));
          for (const e of entries) fleet.add(e);
          // Cursors taken before the writes: some name items the writes delete or move.
          const cursors = new Map<Query, CacheEntry[]>();
          for (const q of queries) cursors.set(q, check(fleet, q, undefined));
          for (const [at, seed, remove] of writes) {
            const target = entries[at % Math.max(entries.length, 1)];
            if (target && remove) fleet.index.store(target.cluster, "Pod").remove(target.uid);
            else if (target) {
              // Same uid, new phase/restarts/labels/created (a status update); the cluster stays.
              const moved = podOf({ ...seed, cluster: CLUSTERS.indexOf(target.cluster) }, target.uid);
              fleet.add(moved);
            } else fleet.add(podOf(seed));
          }
          for (const q of queries) {
            const all = check(fleet, q, cursors.get(q));
            expect(uids(pageThrough(fleet, q))).toEqual(uids(all));
          }
        },
      ),
      { seed: 15, numRuns: 250 },
    );
  });
});

/**
 * One page of `q` compared with the oracle; `earlier` (the matches before some writes) lends its
 * items as cursors. Returns the oracle's matches.
 */
function check(fleet: TestFleet, q: Query, earlier: CacheEntry[] | undefined): CacheEntry[] {
  const filter = filterOf(q);
  const scope = scopeOf(q.scope);
  const all = oracle(fleet, "Pod", filter, scope, q.order);
  const cursorAt = (i: number | undefined): string | undefined => {
    const from = earlier ?? all;
    if (i === undefined || from.length === 0) return undefined;
    return cursorFor(from[i % from.length]!, q.order);
  };
  const page: PageArgs = { [q.from]: q.take };
  const after = cursorAt(q.after);
  const before = cursorAt(q.before);
  if (after !== undefined) page.after = after;
  if (before !== undefined) page.before = before;

  const result = fleet.engine.query("Pod", filter, scope, q.order, page);
  const want = relayWindow(all, page, q.from === "last", q.take, (c) => positionOf(c, q.order));
  expect(result.totalCount).toBe(all.length);
  expect(uids(result.items)).toEqual(uids(want.items));
  expect(result.pageInfo.hasNextPage).toBe(want.hasNextPage);
  expect(result.pageInfo.hasPreviousPage).toBe(want.hasPreviousPage);
  expect(fleet.engine.count("Pod", filter, scope)).toBe(all.length);
  // Cursors round-trip: the page after the last item starts right after it.
  if (result.items.length > 0) {
    const nextPage = fleet.engine.query("Pod", filter, scope, q.order, {
      first: 2,
      after: result.cursors.at(result.items.length - 1)!,
    });
    const from = all.findIndex((e) => e.uid === result.items[result.items.length - 1]!.uid) + 1;
    expect(uids(nextPage.items)).toEqual(uids(all.slice(from, from + 2)));
  }
  return all;
}

/** Every match, five at a time (small pages are the ones walked rather than scanned). */
function pageThrough(fleet: TestFleet, q: Query): CacheEntry[] {
  const found: CacheEntry[] = [];
  let after: string | undefined;
  for (;;) {
    const page = fleet.engine.query("Pod", filterOf(q), scopeOf(q.scope), q.order, { first: 5, after });
    found.push(...page.items);
    if (!page.pageInfo.hasNextPage) return found;
    after = page.pageInfo.endCursor!;
  }
}

/** A cursor for `entry`, whether or not it is still in the fleet, encoded as cursor.ts does. */
function cursorFor(entry: CacheEntry, order: OrderBy): string {
  const tuple = [
    "Pod",
    order.field,
    naiveKey(order)(entry),
    entry.cluster,
    entry.namespace,
    entry.name,
    entry.uid,
  ];
  return Buffer.from(JSON.stringify(tuple)).toString("base64url");
}

/** How an entry compares with the position a cursor names, by the oracle's own comparator. */
function positionOf(cursor: string, order: OrderBy): (e: CacheEntry) => number {
  const [, , key, cluster, namespace, name, uid] = JSON.parse(
    Buffer.from(cursor, "base64url").toString(),
  ) as [string, string, number | string, string, string, string, string];
  // An entry standing at the cursor: each order reads its key from the field the cursor's key is.
  const at = pod({ cluster, namespace, name, uid, created: key as number }, { restarts: key as number });
  const compare = naiveComparator(order);
  return (e) => compare(e, at);
}

/** The Relay Cursor Connections algorithm over the full list, with the engine's optional answers. */
function relayWindow(
  all: CacheEntry[],
  page: PageArgs,
  fromEnd: boolean,
  take: number,
  against: (cursor: string) => (e: CacheEntry) => number,
) {
  const afterCmp = page.after ? against(page.after) : undefined;
  const beforeCmp = page.before ? against(page.before) : undefined;
  const beforeWindow = afterCmp ? all.filter((e) => afterCmp(e) <= 0) : [];
  const rest = afterCmp ? all.filter((e) => afterCmp(e) > 0) : all;
  const afterWindow = beforeCmp ? rest.filter((e) => beforeCmp(e) >= 0) : [];
  const window = beforeCmp ? rest.filter((e) => beforeCmp(e) < 0) : rest;
  const items = fromEnd ? window.slice(Math.max(0, window.length - take)) : window.slice(0, take);
  const more = window.length > take;
  return {
    items,
    hasNextPage: fromEnd ? page.before != null && afterWindow.length > 0 : more,
    hasPreviousPage: fromEnd ? more : page.after != null && beforeWindow.length > 0,
  };
}
