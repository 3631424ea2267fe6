import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@elastic/elasticsearch";
import { LogStore } from "../../sim/logstore/log-store.js";
import { failure, startStore, type StoreFixture } from "./logstore-fixture.js";

let f: StoreFixture;
const namespaces = Array.from({ length: 5000 }, (_, i) => `ns-${i}`);

beforeAll(async () => {
  f = await startStore();
  const operations: object[] = [];
  for (let i = 0; i < 200; i++) {
    operations.push(
      { index: { _index: "logs" } },
      { ns: `ns-${i * 7}`, time: new Date(Date.UTC(2024, 4, 1) + i * 1000).toISOString() },
    );
  }
  await f.client.bulk({ operations });
});
afterAll(async () => {
  await f.close();
});

describe("limits, as the real server enforces them", () => {
  it("max_clause_count: a bool of 5,000 term clauses fails, one terms query of the same 5,000 succeeds", async () => {
    const bool = await failure(
      f.client.search({
        index: "logs",
        query: { bool: { should: namespaces.map((ns) => ({ term: { "ns.keyword": ns } })) } },
      }),
    );
    expect(bool.status).toBe(400);
    expect(bool.body.error.type).toBe("search_phase_execution_exception");
    expect(bool.body.error.reason).toBe("all shards failed");
    expect(bool.body.error.root_cause[0]).toEqual({
      type: "too_many_nested_clauses",
      reason: "Query contains too many nested clauses; maxClauseCount is set to 4096",
    });
    expect(bool.body.error.failed_shards?.[0]?.index).toBe("logs");
    const terms = await f.client.search({
      index: "logs",
      size: 0,
      query: { terms: { "ns.keyword": namespaces } },
    });
    // every document's namespace (ns-0 … ns-1393) is among the 5,000
    expect(terms.hits.total).toEqual({ value: 200, relation: "eq" });
    // Nested bools count their leaves together.
    const nested = await failure(
      f.client.search({
        index: "logs",
        query: {
          bool: {
            filter: [0, 1, 2].map((k) => ({
              bool: {
                should: namespaces
                  .slice(k * 1500, (k + 1) * 1500)
                  .map((ns) => ({ term: { "ns.keyword": ns } })),
              },
            })),
          },
        },
      }),
    );
    expect(nested.body.error.root_cause[0]?.type).toBe("too_many_nested_clauses");
  });

  it("max_clause_count is settable per store", async () => {
    const small = await startStore({ maxClauseCount: 3 });
    try {
      await small.client.index({ index: "x", document: { a: "b" } });
      const should = [1, 2, 3, 4].map((n) => ({ term: { a: String(n) } }));
      const err = await failure(small.client.search({ index: "x", query: { bool: { should } } }));
      expect(err.body.error.root_cause[0]?.reason).toBe(
        "Query contains too many nested clauses; maxClauseCount is set to 3",
      );
      await small.client.search({ index: "x", query: { bool: { should: should.slice(0, 3) } } });
    } finally {
      await small.close();
    }
  });

  it("max_result_window: from + size over 10,000 fails with ES's message; the index setting moves it", async () => {
    const err = await failure(f.client.search({ index: "logs", from: 9995, size: 10 }));
    expect(err.status).toBe(400);
    expect(err.body.error.type).toBe("search_phase_execution_exception");
    expect(err.body.error.root_cause[0]?.type).toBe("illegal_argument_exception");
    expect(err.body.error.root_cause[0]?.reason).toBe(
      "Result window is too large, from + size must be less than or equal to: [10000] but was [10005]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.",
    );
    await f.client.search({ index: "logs", from: 9990, size: 10 });
    await f.client.indices.create({ index: "small-window", settings: { "index.max_result_window": 5 } });
    const small = await failure(f.client.search({ index: "small-window", size: 6 }));
    expect(small.body.error.root_cause[0]?.reason).toContain("less than or equal to: [5] but was [6]");
  });

  it("max_terms_count: a terms query over 65,536 values fails", async () => {
    const many = Array.from({ length: 65_537 }, (_, i) => `v${i}`);
    const err = await failure(f.client.search({ index: "logs", query: { terms: { "ns.keyword": many } } }));
    expect(err.status).toBe(400);
    expect(err.body.error.root_cause[0]?.reason).toBe(
      "The number of terms [65537] used in the Terms Query request has exceeded the allowed maximum of [65536]. This maximum can be set by changing the [index.max_terms_count] index level setting.",
    );
    await f.client.indices.create({ index: "few-terms", settings: { index: { max_terms_count: 2 } } });
    await f.client.index({ index: "few-terms", document: { a: "1" } });
    const few = await failure(
      f.client.search({ index: "few-terms", query: { terms: { a: ["1", "2", "3"] } } }),
    );
    expect(few.body.error.root_cause[0]?.reason).toContain("[3] used in the Terms Query");
  });

  it("DELETE of a wildcard is refused (action.destructive_requires_name defaults to true in ES 8)", async () => {
    const err = await failure(f.client.indices.delete({ index: "few-*" }));
    expect(err.body.error.reason).toBe("Wildcard expressions or all indices are not allowed");
    const lax = await startStore({ destructiveRequiresName: false });
    try {
      await lax.client.index({ index: "a-1", document: { x: 1 } });
      await lax.client.index({ index: "a-2", document: { x: 1 } });
      await lax.client.indices.delete({ index: "a-*" });
      expect(await lax.client.indices.exists({ index: "a-1" })).toBe(false);
    } finally {
      await lax.close();
    }
  });

  it("basic auth: 401 security_exception with WWW-Authenticate without or with wrong credentials", async () => {
    const secured = await startStore({ username: "elastic", password: "changeme" });
    try {
      expect((await secured.client.info()).tagline).toBe("You Know, for Search");
      const res = await fetch(`${secured.server.url}/_search`);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain('Basic realm="security"');
      const body = (await res.json()) as { error: { type: string; reason: string } };
      expect(body.error.type).toBe("security_exception");
      expect(body.error.reason).toBe("missing authentication credentials for REST request [/_search]");
      const wrong = new Client({ node: secured.server.url, auth: { username: "elastic", password: "nope" } });
      const err = await failure(wrong.info());
      expect(err.status).toBe(401);
      expect(err.body.error.reason).toBe("unable to authenticate user [elastic] for REST request [/]");
      await wrong.close();
    } finally {
      await secured.close();
    }
  });

  it("fault switches: failNext answers 503s, goDown refuses connections, comeBack restores the data", async () => {
    f.server.failNext(503, 2);
    const client = new Client({ node: f.server.url, maxRetries: 0 });
    expect((await failure(client.count({ index: "logs" }))).status).toBe(503);
    expect((await failure(client.count({ index: "logs" }))).body.error.type).toBe("cluster_block_exception");
    expect((await client.count({ index: "logs" })).count).toBe(200);
    await f.server.goDown();
    // The open keep-alive connection is reset, then new ones are refused.
    await expect(client.count({ index: "logs" })).rejects.toThrow(/closed|ECONNREFUSED|ECONNRESET/i);
    await expect(client.count({ index: "logs" })).rejects.toThrow(/ECONNREFUSED/);
    await f.server.comeBack();
    expect((await client.count({ index: "logs" })).count).toBe(200);
    await client.close();
  });
});

describe("bounds", () => {
  it("caps documents, the oldest aging out first, and drops daily indices past the retention", () => {
    let now = Date.parse("2024-05-10T12:00:00Z");
    const store = new LogStore({ maxDocuments: 1000, retentionMs: 2 * 86_400_000, now: () => now });
    for (let day = 1; day <= 9; day++) {
      for (let i = 0; i < 300; i++) {
        store.write(`logs-2024.05.0${day}`, undefined, { i, day }, "index");
      }
    }
    expect(store.documentCount).toBeLessThanOrEqual(1000);
    expect(store.documentCount).toBeGreaterThan(900);
    const names = store.indexNames();
    // the newest day is whole; older ones lost their oldest documents first
    expect(names[names.length - 1]).toBe("logs-2024.05.09");
    expect(store.index("logs-2024.05.09")!.docCount).toBe(300);
    expect(store.index("logs-2024.05.01")).toBeUndefined();
    store.enforceBounds();
    expect(store.indexNames().every((n) => n >= "logs-2024.05.08")).toBe(true);
    now += 86_400_000 * 5;
    store.enforceBounds();
    expect(store.indexNames()).toEqual([]);
    expect(store.documentCount).toBe(0);
  });

  it("keeps searching correctly after the oldest documents aged out", () => {
    const store = new LogStore({ maxDocuments: 5000 });
    for (let i = 0; i < 20_000; i++)
      store.write("logs", String(i), { n: i, tag: i % 2 ? "odd" : "even" }, "index");
    const params = new URLSearchParams();
    const res = store.search(
      "logs",
      { query: { term: { "tag.keyword": "odd" } }, sort: [{ n: "asc" }], size: 1, track_total_hits: true },
      params,
    );
    const hits = res.hits as { total: { value: number }; hits: { _id: string }[] };
    expect(store.documentCount).toBeLessThanOrEqual(5000);
    expect(hits.total.value).toBe(Math.floor(store.documentCount / 2));
    expect(Number(hits.hits[0]!._id)).toBe(20_000 - store.documentCount + 1);
    expect(store.index("logs")!.get("0")).toBeUndefined();
  });
});
