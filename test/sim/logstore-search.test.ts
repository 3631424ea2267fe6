import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { estypes } from "@elastic/elasticsearch";
import { failure, startStore, type StoreFixture } from "./logstore-fixture.js";

let f: StoreFixture;
const BASE = Date.parse("2024-05-01T10:00:00.000Z");

interface Line {
  log: string;
  time: string;
  level: number;
  kubernetes: { namespace_name: string; pod_name: string };
  cluster: string;
}

function line(i: number, day: number): Line {
  const namespaces = ["payments", "checkout", "kube-system"];
  return {
    log:
      i % 5 === 0
        ? `ERROR payment-gateway timeout after ${i}ms`
        : `GET /api/v1/orders request completed id=${i}`,
    time: new Date(BASE + day * 86_400_000 + i * 60_000).toISOString(),
    level: i % 3,
    kubernetes: { namespace_name: namespaces[i % 3]!, pod_name: `pod-${i % 4}` },
    cluster: i % 2 ? "prod-eu" : "dev-us",
  };
}

beforeAll(async () => {
  f = await startStore();
  const operations: object[] = [];
  for (const day of [0, 1]) {
    const index = `logs-2024.05.0${day + 1}`;
    for (let i = 0; i < 30; i++)
      operations.push({ index: { _index: index, _id: `${day}-${i}` } }, line(i, day));
  }
  const res = await f.client.bulk({ operations });
  expect(res.errors).toBe(false);
});
afterAll(async () => {
  await f.close();
});

async function ids(query: object, index = "logs-*"): Promise<string[]> {
  const res = await f.client.search({ index, query, size: 100, sort: ["_doc"] });
  return res.hits.hits.map((h) => h._id!).sort();
}

describe("search targets", () => {
  it("searches wildcard patterns and comma lists of indices", async () => {
    expect((await f.client.search({ index: "logs-*" })).hits.total).toEqual({ value: 60, relation: "eq" });
    expect((await f.client.search({ index: "logs-2024.05.01,logs-2024.05.02" }))._shards.total).toBe(2);
    expect((await f.client.count({ index: "logs-2024.05.01" })).count).toBe(30);
  });

  it("404s a missing concrete index unless ignore_unavailable; an unmatched wildcard is empty", async () => {
    const missing = await failure(f.client.search({ index: "logs-2024.05.01,nope" }));
    expect(missing.status).toBe(404);
    expect(missing.body.error.type).toBe("index_not_found_exception");
    expect(missing.body.error["resource.id"]).toBe("nope");
    const ignored = await f.client.search({ index: "logs-2024.05.01,nope", ignore_unavailable: true });
    expect(ignored.hits.total).toEqual({ value: 30, relation: "eq" });
    const none = await f.client.search({ index: "nothing-*" });
    expect(none.hits.hits).toEqual([]);
    expect(none._shards.total).toBe(0);
    const strict = await failure(f.client.search({ index: "nothing-*", allow_no_indices: false }));
    expect(strict.status).toBe(404);
  });
});

describe("the query DSL", () => {
  it("term on text matches one analysed token only; on .keyword the whole value", async () => {
    expect(await ids({ term: { "kubernetes.namespace_name": "kube-system" } })).toEqual([]);
    expect((await ids({ term: { "kubernetes.namespace_name": "kube" } })).length).toBe(20);
    expect((await ids({ term: { "kubernetes.namespace_name.keyword": "kube-system" } })).length).toBe(20);
    expect(
      (await ids({ term: { "kubernetes.namespace_name.keyword": { value: "KUBE-SYSTEM" } } })).length,
    ).toBe(0);
    expect(
      (
        await ids({
          term: { "kubernetes.namespace_name.keyword": { value: "KUBE-SYSTEM", case_insensitive: true } },
        })
      ).length,
    ).toBe(20);
  });

  it("terms, match (or/and), match_phrase and match_phrase_prefix", async () => {
    expect((await ids({ terms: { "cluster.keyword": ["prod-eu", "nowhere"] } })).length).toBe(30);
    expect((await ids({ match: { log: "error" } })).length).toBe(12);
    expect((await ids({ match: { log: { query: "error orders", operator: "or" } } })).length).toBe(60);
    expect((await ids({ match: { log: { query: "timeout gateway", operator: "and" } } })).length).toBe(12);
    expect((await ids({ match_phrase: { log: "payment gateway timeout" } })).length).toBe(12);
    expect((await ids({ match_phrase: { log: "gateway payment" } })).length).toBe(0);
    expect((await ids({ match_phrase_prefix: { log: "request comp" } })).length).toBe(48);
    expect((await ids({ match: { "kubernetes.namespace_name.keyword": "kube-system" } })).length).toBe(20);
  });

  it("wildcard, prefix, exists, ids, match_none", async () => {
    expect((await ids({ wildcard: { "kubernetes.pod_name.keyword": "pod-?" } })).length).toBe(60);
    expect((await ids({ wildcard: { "kubernetes.pod_name.keyword": "*-3" } })).length).toBe(14);
    expect((await ids({ prefix: { "cluster.keyword": "prod" } })).length).toBe(30);
    expect((await ids({ exists: { field: "level" } })).length).toBe(60);
    expect((await ids({ exists: { field: "missing" } })).length).toBe(0);
    expect(await ids({ ids: { values: ["0-1", "1-2", "x"] } })).toEqual(["0-1", "1-2"]);
    expect(await ids({ match_none: {} })).toEqual([]);
  });

  it("bool: filter, must, should (at least one when alone), must_not, minimum_should_match", async () => {
    const prod = { term: { "cluster.keyword": "prod-eu" } };
    const errors = { match: { log: "error" } };
    expect((await ids({ bool: { filter: [prod], must: [errors] } })).length).toBe(6);
    expect((await ids({ bool: { should: [prod, errors] } })).length).toBe(36);
    expect((await ids({ bool: { filter: [prod], should: [errors] } })).length).toBe(30);
    expect((await ids({ bool: { filter: [prod], should: [errors], minimum_should_match: 1 } })).length).toBe(
      6,
    );
    expect((await ids({ bool: { must_not: [prod] } })).length).toBe(30);
    expect((await ids({ bool: { should: [prod, errors], minimum_should_match: 2 } })).length).toBe(6);
  });

  it("range on numbers and dates, with date math, rounding and formats", async () => {
    expect((await ids({ range: { level: { gte: 1, lt: 2 } } })).length).toBe(20);
    expect((await ids({ range: { time: { gte: "2024-05-02" } } })).length).toBe(30);
    // lte of a bare day includes the whole day (missing components round up)
    expect((await ids({ range: { time: { lte: "2024-05-01" } } })).length).toBe(30);
    expect(
      (
        await ids({
          range: { time: { gte: "2024-05-01T10:00:00Z||+10m", lt: "2024-05-01T10:00:00Z||+20m" } },
        })
      ).length,
    ).toBe(10);
    expect((await ids({ range: { time: { gt: "2024-05-01T10:05:00Z||/h" } } })).length).toBe(30);
    expect(
      (await ids({ range: { time: { gte: String(BASE), lt: BASE + 5 * 60_000, format: "epoch_millis" } } }))
        .length,
    ).toBe(5);
    expect((await ids({ range: { time: { gte: "now-1h" } } })).length).toBe(0);
    expect((await ids({ range: { time: { lte: "now/d" } } })).length).toBe(60);
  });
});

describe("sorting and paging", () => {
  it("returns sort values (dates as epoch millis) and pages with search_after, each doc once", async () => {
    const sort: estypes.SortCombinations[] = [
      { time: { order: "desc" } },
      { _index: "asc" },
      { _doc: { order: "asc" } },
    ];
    const seen: string[] = [];
    let after: (string | number)[] | undefined;
    let lastTime = Infinity;
    for (;;) {
      const page = await f.client.search<Line>({
        index: "logs-*",
        size: 7,
        sort,
        ...(after ? { search_after: after } : {}),
      });
      if (page.hits.hits.length === 0) break;
      for (const hit of page.hits.hits) {
        const t = hit.sort![0] as number;
        expect(typeof t).toBe("number");
        expect(t).toBe(Date.parse(hit._source!.time));
        expect(t).toBeLessThanOrEqual(lastTime);
        lastTime = t;
        expect(hit._score).toBeNull();
        seen.push(hit._id!);
      }
      after = page.hits.hits[page.hits.hits.length - 1]!.sort as (string | number)[];
    }
    expect(seen.length).toBe(60);
    expect(new Set(seen).size).toBe(60);
  });

  it("ties on a keyword break by index then document order; missing values go last", async () => {
    await f.client.index({
      index: "logs-2024.05.03",
      id: "nolevel",
      document: { log: "x", time: "2024-05-03T00:00:00Z" },
    });
    // The new index has no `level` mapping: sorting on it there needs unmapped_type, as in ES.
    const unmapped = await failure(f.client.search({ index: "logs-*", sort: [{ level: "asc" }] }));
    expect(unmapped.body.error.root_cause[0]?.reason).toBe(
      "No mapping found for [level] in order to sort on",
    );
    const res = await f.client.search<Line>({
      index: "logs-*",
      size: 100,
      sort: [
        { level: { order: "asc", unmapped_type: "long" } },
        { "cluster.keyword": { order: "asc", unmapped_type: "keyword" } },
      ],
    });
    const last = res.hits.hits[res.hits.hits.length - 1]!;
    expect(last._id).toBe("nolevel");
    expect(last.sort![0]).toBe(2 ** 63);
    const keys = res.hits.hits.slice(0, -1).map((h) => `${h._source!.level}/${h._source!.cluster}`);
    const ordinal = (h: { _id?: string }) => Number(h._id!.split("-")[1]);
    expect(keys).toEqual([...keys].sort());
    // Within equal (level, cluster), index order then document order.
    const firstGroup = res.hits.hits.filter((h) => h._source!.level === 0 && h._source!.cluster === "dev-us");
    expect(firstGroup.map((h) => h._index)).toEqual([...firstGroup.map((h) => h._index)].sort());
    const day1 = firstGroup.filter((h) => h._index === "logs-2024.05.01").map(ordinal);
    expect(day1).toEqual([...day1].sort((a, b) => a - b));
    await f.client.delete({ index: "logs-2024.05.03", id: "nolevel" });
    await f.client.indices.delete({ index: "logs-2024.05.03" });
  });

  it("scores match queries (BM25) and sorts by score by default", async () => {
    const res = await f.client.search({
      index: "logs-*",
      query: { match: { log: "error orders" } },
      size: 60,
    });
    const scores = res.hits.hits.map((h) => h._score!);
    expect(scores.every((s) => s > 0)).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(res.hits.max_score).toBe(scores[0]);
    const filtered = await f.client.search({
      index: "logs-*",
      query: { bool: { filter: { match: { log: "error" } } } },
    });
    expect(filtered.hits.hits[0]?._score).toBe(0);
  });

  it("refuses to sort on _id and on text fields, as ES 8 does", async () => {
    const id = await failure(f.client.search({ index: "logs-*", sort: ["_id"] }));
    expect(id.status).toBe(400);
    expect(id.body.error.type).toBe("search_phase_execution_exception");
    expect(id.body.error.root_cause[0]?.type).toBe("illegal_argument_exception");
    expect(id.body.error.root_cause[0]?.reason).toContain("Fielddata access on the _id field is disallowed");
    const text = await failure(f.client.search({ index: "logs-*", sort: ["log"] }));
    expect(text.body.error.root_cause[0]?.reason).toContain("Text fields are not optimised");
  });

  it("counts totals per track_total_hits and filters _source", async () => {
    const none = await f.client.search({ index: "logs-*", track_total_hits: false, size: 1 });
    expect(none.hits.total).toBeUndefined();
    const capped = await f.client.search({ index: "logs-*", track_total_hits: 25, size: 0 });
    expect(capped.hits.total).toEqual({ value: 25, relation: "gte" });
    const exact = await f.client.search({ index: "logs-*", track_total_hits: true, size: 0 });
    expect(exact.hits.total).toEqual({ value: 60, relation: "eq" });
    const src = await f.client.search<Partial<Line>>({
      index: "logs-*",
      size: 1,
      _source: ["kubernetes.pod_name"],
    });
    expect(Object.keys(src.hits.hits[0]!._source!)).toEqual(["kubernetes"]);
    expect(Object.keys(src.hits.hits[0]!._source!.kubernetes!)).toEqual(["pod_name"]);
    const noSource = await f.client.search({ index: "logs-*", size: 1, _source: false });
    expect(noSource.hits.hits[0]!._source).toBeUndefined();
  });
});

describe("aggregations", () => {
  it("date_histogram with fixed and calendar intervals, empty buckets and bounds", async () => {
    const res = await f.client.search({
      index: "logs-2024.05.01",
      size: 0,
      aggs: {
        per10m: { date_histogram: { field: "time", fixed_interval: "10m" } },
        perDay: {
          date_histogram: {
            field: "time",
            calendar_interval: "day",
            extended_bounds: { min: "2024-04-30", max: "2024-05-02" },
          },
        },
      },
    });
    const per10m = res.aggregations!.per10m as {
      buckets: { key: number; key_as_string: string; doc_count: number }[];
    };
    expect(per10m.buckets.map((b) => b.doc_count)).toEqual([10, 10, 10]);
    expect(per10m.buckets[0]).toEqual({
      key: BASE,
      key_as_string: "2024-05-01T10:00:00.000Z",
      doc_count: 10,
    });
    const perDay = res.aggregations!.perDay as { buckets: { key_as_string: string; doc_count: number }[] };
    expect(perDay.buckets.map((b) => [b.key_as_string.slice(0, 10), b.doc_count])).toEqual([
      ["2024-04-30", 0],
      ["2024-05-01", 30],
      ["2024-05-02", 0],
    ]);
  });

  it("terms with size, order and other counts; cardinality; min/max; sub-aggregations", async () => {
    const res = await f.client.search({
      index: "logs-*",
      size: 0,
      aggs: {
        ns: {
          terms: { field: "kubernetes.namespace_name.keyword", size: 2 },
          aggs: { pods: { cardinality: { field: "kubernetes.pod_name.keyword" } } },
        },
        byKey: { terms: { field: "cluster.keyword", order: { _key: "asc" } } },
        pods: { cardinality: { field: "kubernetes.pod_name.keyword" } },
        first: { min: { field: "time" } },
        top: { max: { field: "level" } },
        hours: {
          date_histogram: { field: "time", calendar_interval: "hour", min_doc_count: 1 },
          aggs: { levels: { terms: { field: "level" } } },
        },
      },
    });
    interface Buckets<Sub = object> {
      buckets: ({ key: string | number; doc_count: number } & Sub)[];
      sum_other_doc_count?: number;
      doc_count_error_upper_bound?: number;
    }
    const aggs = res.aggregations as unknown as {
      ns: Buckets<{ pods: { value: number } }>;
      byKey: Buckets;
      pods: { value: number };
      first: { value: number; value_as_string: string };
      top: { value: number };
      hours: Buckets<{ levels: Buckets }>;
    };
    expect(aggs.ns.buckets.length).toBe(2);
    expect(aggs.ns.sum_other_doc_count).toBe(20);
    expect(aggs.ns.doc_count_error_upper_bound).toBe(0);
    expect(aggs.ns.buckets[0]!.pods.value).toBeGreaterThan(0);
    expect(aggs.byKey.buckets.map((b) => b.key)).toEqual(["dev-us", "prod-eu"]);
    expect(aggs.pods.value).toBe(4);
    expect(aggs.first).toEqual({ value: BASE, value_as_string: "2024-05-01T10:00:00.000Z" });
    expect(aggs.top.value).toBe(2);
    expect(aggs.hours.buckets.length).toBe(2);
    expect(aggs.hours.buckets[0]!.levels.buckets.map((b) => b.key).sort()).toEqual([0, 1, 2]);
  });

  it("refuses terms on a text field", async () => {
    const res = await failure(f.client.search({ index: "logs-*", aggs: { x: { terms: { field: "log" } } } }));
    expect(res.status).toBe(400);
    expect(res.body.error.root_cause[0]?.reason).toContain("Text fields are not optimised");
  });
});
