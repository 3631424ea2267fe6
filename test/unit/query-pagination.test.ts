import { describe, expect, it } from "vitest";
import type { CacheEntry } from "../../src/cache/entry.js";
import {
  QueryInputError,
  type OrderBy,
  type OrderField,
  type PageArgs,
} from "../../src/cache/query/index.js";
import { Scope } from "../../src/cache/scope.js";
import {
  naiveComparator,
  oracle,
  pick,
  pod,
  prng,
  testFleet,
  uids,
  type TestFleet,
} from "./query-fixtures.js";

const everything = Scope.everything();
const byName: OrderBy = { field: "NAME", direction: "ASC" };

function numbered(count: number): TestFleet {
  const fleet = testFleet({ a: {}, b: {} });
  for (let i = 0; i < count; i++) {
    fleet.add(pod({ cluster: i % 2 ? "a" : "b", uid: `u${i}`, name: `p${String(i).padStart(3, "0")}` }));
  }
  return fleet;
}

function inputError(run: () => unknown): QueryInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof QueryInputError) return error;
    throw error;
  }
  throw new Error("expected a QueryInputError");
}

describe("pagination", () => {
  const fleet = numbered(10);
  const page = (args: PageArgs, order = byName) => fleet.engine.query("Pod", {}, everything, order, args);
  const names = (args: PageArgs) => page(args).items.map((e) => e.name);

  it("pages forward with first/after and reports pageInfo the Relay way", () => {
    const one = page({ first: 4 });
    expect(one.items.map((e) => e.name)).toEqual(["p000", "p001", "p002", "p003"]);
    expect(one.cursors).toHaveLength(4);
    expect(one.totalCount).toBe(10);
    expect(one.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      endCursor: one.cursors.at(3),
    });
    const two = page({ first: 4, after: one.pageInfo.endCursor });
    expect(two.items.map((e) => e.name)).toEqual(["p004", "p005", "p006", "p007"]);
    expect(two.pageInfo.hasPreviousPage).toBe(true);
    expect(two.pageInfo.hasNextPage).toBe(true);
    expect(two.totalCount).toBe(10);
    const three = page({ first: 4, after: two.pageInfo.endCursor });
    expect(three.items.map((e) => e.name)).toEqual(["p008", "p009"]);
    expect(three.pageInfo.hasNextPage).toBe(false);
  });

  it("pages backward with last/before", () => {
    const one = page({ last: 3 });
    expect(one.items.map((e) => e.name)).toEqual(["p007", "p008", "p009"]);
    expect(one.pageInfo.hasPreviousPage).toBe(true);
    expect(one.pageInfo.hasNextPage).toBe(false);
    const two = page({ last: 3, before: one.pageInfo.startCursor });
    expect(two.items.map((e) => e.name)).toEqual(["p004", "p005", "p006"]);
    expect(two.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const end = page({ last: 5, before: page({ first: 2 }).pageInfo.endCursor });
    expect(end.items.map((e) => e.name)).toEqual(["p000"]);
    expect(end.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
  });

  it("takes the window between after and before, then first or last of it", () => {
    const c = page({ first: 10 }).cursors;
    expect(names({ after: c.at(1), before: c.at(6), first: 2 })).toEqual(["p002", "p003"]);
    expect(names({ after: c.at(1), before: c.at(6), last: 2 })).toEqual(["p004", "p005"]);
    expect(names({ after: c.at(1), before: c.at(6) })).toEqual(["p002", "p003", "p004", "p005"]);
    expect(names({ after: c.at(6), before: c.at(1) })).toEqual([]);
    expect(page({ after: c.at(1), before: c.at(6), first: 10 }).pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
    });
  });

  it("answers an empty page for first: 0, with hasNextPage still telling the truth", () => {
    const empty = page({ first: 0 });
    expect(empty.items).toEqual([]);
    expect(empty.totalCount).toBe(10);
    expect(empty.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it("defaults to a bounded page: forward, or backward when only before is given", () => {
    const big = numbered(150);
    const forward = big.engine.query("Pod", {}, everything, byName, {});
    expect(forward.items).toHaveLength(100);
    expect(forward.items[0]!.name).toBe("p000");
    expect(forward.pageInfo.hasNextPage).toBe(true);
    const before = big.engine.query("Pod", {}, everything, byName, { first: 120 }).pageInfo.endCursor;
    const backward = big.engine.query("Pod", {}, everything, byName, { before });
    expect(backward.items.map((e) => e.name).slice(-1)).toEqual(["p118"]);
    expect(backward.items).toHaveLength(100);
    expect(big.engine.query("Pod", {}, everything, byName, { first: null, after: null }).items).toHaveLength(
      100,
    );
  });

  it("keeps paging correctly after the cursor's own item is deleted", () => {
    const local = numbered(6);
    const first = local.engine.query("Pod", {}, everything, byName, { first: 3 });
    local.index.store("a", "Pod").remove(first.items[2]!.uid);
    local.index.store("b", "Pod").remove(first.items[2]!.uid);
    const rest = local.engine.query("Pod", {}, everything, byName, {
      first: 3,
      after: first.pageInfo.endCursor,
    });
    expect(rest.items.map((e) => e.name)).toEqual(["p003", "p004", "p005"]);
  });

  it.each([
    [{ first: -1 }, "first", '"first" must be an integer from 0 to 1000, got -1'],
    [{ first: 1001 }, "first", "got 1001"],
    [{ last: 2.5 }, "last", '"last" must be an integer'],
    [{ first: 1, last: 1 }, "last", '"first" and "last" cannot be used together'],
    [{ after: "not a cursor!" }, "after", 'invalid cursor in "after"'],
    [{ before: "" }, "before", 'invalid cursor in "before"'],
    [{ after: Buffer.from("{}").toString("base64url") }, "after", "not a cursor returned by this API"],
    [{ after: Buffer.from("not json").toString("base64url") }, "after", "not a cursor"],
    [
      { after: Buffer.from('["Pod","NAME",1,"a","b","c","d"]').toString("base64url") },
      "after",
      "NAME key is malformed",
    ],
    [
      { after: Buffer.from('["Pod","NAME","x","a","b","c",4]').toString("base64url") },
      "after",
      "not a cursor",
    ],
    // A cursor of the format before lists were named (no list) is not ours any more.
    [{ after: Buffer.from('["NAME","x","a","b","c","d"]').toString("base64url") }, "after", "not a cursor"],
    [
      { after: Buffer.from('["Workload","NAME","x","a","b","c","d"]').toString("base64url") },
      "after",
      "it comes from a list of Workload objects, not of Pod objects",
    ],
    [{ after: "x".repeat(5000) }, "after", "not a cursor"],
  ] as [PageArgs, string, string][])("rejects %j", (args, field, message) => {
    const error = inputError(() => page(args));
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });

  it("rejects a cursor issued for another order", () => {
    const cursor = page({ first: 1 }, { field: "CREATED", direction: "ASC" }).pageInfo.endCursor!;
    const error = inputError(() => page({ after: cursor }, byName));
    expect(error.message).toContain("ordered by CREATED, not NAME");
    // The direction is not part of the position: a cursor pages on in either direction.
    expect(page({ first: 1, after: cursor }, { field: "CREATED", direction: "DESC" }).items).toHaveLength(0);
  });

  it("rejects a cursor issued for another list, and pages on with one of the same list", () => {
    const cursor = page({ first: 1 }).pageInfo.endCursor!;
    const error = inputError(() =>
      fleet.engine.query("Pod", {}, everything, byName, { list: "Workload", first: 1, after: cursor }),
    );
    expect(error.field).toBe("after");
    expect(error.message).toContain("it comes from a list of Pod objects, not of Workload objects");
    const listed = fleet.engine.query("Pod", {}, everything, byName, { list: "Workload", first: 1 });
    const next = fleet.engine.query("Pod", {}, everything, byName, {
      list: "Workload",
      first: 1,
      after: listed.pageInfo.endCursor,
    });
    expect(next.items.map((e) => e.name)).toEqual(["p001"]);
    expect(inputError(() => page({ after: listed.pageInfo.endCursor })).message).toContain(
      "not of Pod objects",
    );
  });

  it("makes opaque base64url cursors", () => {
    const cursors = page({ first: 10 }).cursors;
    expect(cursors.length).toBe(10);
    for (let i = 0; i < cursors.length; i++) expect(cursors.at(i)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursors.at(10)).toBeUndefined();
  });
});

describe("pagination under churn (seeded property test)", () => {
  const fields: OrderField[] = ["NAME", "NAMESPACE", "CLUSTER", "CREATED"];

  for (let seed = 1; seed <= 16; seed++) {
    it(`seed ${seed}: every object that exists throughout is returned exactly once and in order`, () => {
      const random = prng(seed);
      const fleet = testFleet({ c1: {}, c2: {}, c3: {} });
      let next = 0;
      const live = new Map<string, CacheEntry>();
      const create = () => {
        const e = pod({
          cluster: pick(random, ["c1", "c2", "c3"]),
          namespace: pick(random, ["a", "b", "c"]),
          name: `p${Math.floor(random() * 60)}-${next}`,
          uid: `u${next++}`,
          // Few distinct values, so the tie-breakers carry much of the order.
          created: Math.floor(random() * 10),
          labels: { app: pick(random, ["web", "db"]) },
        });
        fleet.add(e);
        live.set(e.uid, e);
      };
      const destroy = () => {
        const victim = pick(random, [...live.values()]);
        fleet.index.store(victim.cluster, "Pod").remove(victim.uid);
        live.delete(victim.uid);
      };
      for (let i = 0; i < 120; i++) create();

      const order: OrderBy = { field: pick(random, fields), direction: random() < 0.5 ? "ASC" : "DESC" };
      const filter = random() < 0.5 ? {} : { labelSelector: "app=web" };
      const backwards = random() < 0.5;
      const matches = (e: CacheEntry) => !filter.labelSelector || e.labels.app === "web";
      const initial = new Set([...live.values()].filter(matches).map((e) => e.uid));
      const deleted = new Set<string>();

      const seen: CacheEntry[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 200; pages++) {
        const size = 1 + Math.floor(random() * 9);
        const args: PageArgs = backwards ? { last: size, before: cursor } : { first: size, after: cursor };
        const result = fleet.engine.query("Pod", filter, Scope.everything(), order, args);
        expect(result.totalCount).toBe(oracle(fleet, "Pod", filter, Scope.everything(), order).length);
        seen.push(...(backwards ? [...result.items].reverse() : result.items));
        const more = backwards ? result.pageInfo.hasPreviousPage : result.pageInfo.hasNextPage;
        if (!more) break;
        cursor = backwards ? result.pageInfo.startCursor : result.pageInfo.endCursor;
        // Churn between pages: creations anywhere in the order, and deletions.
        for (let k = Math.floor(random() * 6); k > 0; k--) create();
        for (let k = Math.floor(random() * 4); k > 0; k--) {
          const before = new Set(live.keys());
          destroy();
          for (const uid of before) if (!live.has(uid)) deleted.add(uid);
        }
      }

      const seenUids = uids(seen);
      expect(new Set(seenUids).size).toBe(seenUids.length);
      const survivors = [...initial].filter((uid) => !deleted.has(uid));
      const seenSet = new Set(seenUids);
      expect(survivors.filter((uid) => !seenSet.has(uid))).toEqual([]);
      const compare = naiveComparator(order);
      const ordered = backwards ? [...seen].reverse() : seen;
      for (let i = 1; i < ordered.length; i++) expect(compare(ordered[i - 1]!, ordered[i]!)).toBeLessThan(0);
    });
  }
});
