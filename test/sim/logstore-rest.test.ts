import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, startStore, type ErrorBody, type StoreFixture } from "./logstore-fixture.js";

let f: StoreFixture;
beforeAll(async () => {
  f = await startStore();
});
afterAll(async () => {
  await f.close();
});

describe("the log store's REST basics", () => {
  it("answers info with the product header the client requires", async () => {
    const info = await f.client.info();
    expect(info.version.number).toMatch(/^8\.\d+\.\d+$/);
    expect(info.tagline).toBe("You Know, for Search");
    expect(info.cluster_name).toBe("fleetgraph-sim");
    const res = await fetch(f.server.url);
    expect(res.headers.get("x-elastic-product")).toBe("Elasticsearch");
    expect(res.headers.get("content-type")).toBe("application/json");
    const compat = await fetch(f.server.url, {
      headers: { accept: "application/vnd.elasticsearch+json; compatible-with=8" },
    });
    expect(compat.headers.get("content-type")).toBe("application/vnd.elasticsearch+json;compatible-with=8");
    expect((await fetch(f.server.url, { method: "HEAD" })).status).toBe(200);
  });

  it("creates, reads, lists and deletes indices with explicit mappings and settings", async () => {
    await f.client.indices.create({
      index: "crud-1",
      mappings: { properties: { host: { type: "keyword" }, at: { type: "date" }, n: { type: "integer" } } },
      settings: { index: { max_result_window: 50 } },
    });
    expect(await f.client.indices.exists({ index: "crud-1" })).toBe(true);
    expect(await f.client.indices.exists({ index: "crud-missing" })).toBe(false);
    const got = await f.client.indices.get({ index: "crud-1" });
    expect(got["crud-1"]?.mappings?.properties?.host).toEqual({ type: "keyword" });
    expect(got["crud-1"]?.settings?.index?.max_result_window).toBe("50");
    const again = await failure(f.client.indices.create({ index: "crud-1" }));
    expect(again.status).toBe(400);
    expect(again.body.error.type).toBe("resource_already_exists_exception");
    const bad = await failure(f.client.indices.create({ index: "Crud" }));
    expect(bad.body.error.type).toBe("invalid_index_name_exception");
    const cat = await f.client.cat.indices({ format: "json" });
    expect(cat.map((r) => r.index)).toContain("crud-1");
    await f.client.indices.putMapping({ index: "crud-1", properties: { extra: { type: "long" } } });
    const mapping = await f.client.indices.getMapping({ index: "crud-1" });
    expect(mapping["crud-1"]?.mappings.properties?.extra).toEqual({ type: "long" });
    await f.client.indices.delete({ index: "crud-1" });
    expect(await f.client.indices.exists({ index: "crud-1" })).toBe(false);
    const missing = await failure(f.client.indices.delete({ index: "crud-1" }));
    expect(missing.status).toBe(404);
    expect(missing.body.error.root_cause[0]?.type).toBe("index_not_found_exception");
    expect(missing.body.error.reason).toBe("no such index [crud-1]");
  });

  it("maps new fields dynamically as ES does", async () => {
    await f.client.index({
      index: "dyn",
      id: "1",
      document: {
        log: "hello world",
        time: "2024-05-01T10:00:00.123Z",
        count: 3,
        ratio: 0.5,
        ok: true,
        kubernetes: { namespace_name: "payments", labels: { app: "api" } },
      },
    });
    const m = (await f.client.indices.getMapping({ index: "dyn" })).dyn!.mappings.properties!;
    expect(m.log).toEqual({ type: "text", fields: { keyword: { type: "keyword", ignore_above: 256 } } });
    expect(m.time).toEqual({ type: "date" });
    expect(m.count).toEqual({ type: "long" });
    expect(m.ratio).toEqual({ type: "float" });
    expect(m.ok).toEqual({ type: "boolean" });
    const kubernetes = m.kubernetes as {
      properties: Record<string, { type?: string; properties?: Record<string, unknown> }>;
    };
    expect(kubernetes.properties.namespace_name?.type).toBe("text");
    expect(kubernetes.properties.labels?.properties?.app).toEqual({
      type: "text",
      fields: { keyword: { type: "keyword", ignore_above: 256 } },
    });
    const bad = await failure(f.client.index({ index: "dyn", document: { time: "not a date" } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.type).toBe("document_parsing_exception");
  });

  it("writes, reads and deletes documents; create refuses an existing id with 409", async () => {
    const created = await f.client.index({ index: "docs", id: "a", document: { v: 1 } });
    expect(created.result).toBe("created");
    const updated = await f.client.index({ index: "docs", id: "a", document: { v: 2 } });
    expect(updated.result).toBe("updated");
    expect(updated._version).toBe(2);
    const gen = await f.client.index({ index: "docs", document: { v: 3 } });
    expect(gen._id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const conflict = await failure(f.client.create({ index: "docs", id: "a", document: { v: 9 } }));
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.type).toBe("version_conflict_engine_exception");
    const doc = await f.client.get<{ v: number }>({ index: "docs", id: "a" });
    expect(doc._source).toEqual({ v: 2 });
    const count = await f.client.count({ index: "docs" });
    expect(count.count).toBe(2);
    await f.client.delete({ index: "docs", id: "a" });
    expect((await f.client.count({ index: "docs" })).count).toBe(1);
    const gone = await failure(f.client.get({ index: "docs", id: "a" }));
    expect(gone.status).toBe(404);
    expect(gone.body.found).toBe(false);
  });

  it("bulk-creates with per-item conflicts and reports errors", async () => {
    const first = await f.client.bulk({
      operations: [
        { create: { _index: "audit-x", _id: "e1" } },
        { verb: "get" },
        { create: { _index: "audit-x", _id: "e2" } },
        { verb: "list" },
      ],
    });
    expect(first.errors).toBe(false);
    expect(first.items.map((i) => i.create?.status)).toEqual([201, 201]);
    const second = await f.client.bulk({
      operations: [
        { create: { _index: "audit-x", _id: "e2" } },
        { verb: "list" },
        { create: { _index: "audit-x", _id: "e3" } },
        { verb: "watch" },
        { index: { _index: "audit-x", _id: "e1" } },
        { verb: "patch" },
        { delete: { _index: "audit-x", _id: "nope" } },
      ],
    });
    expect(second.errors).toBe(true);
    expect(second.items[0]?.create?.status).toBe(409);
    expect(second.items[0]?.create?.error?.type).toBe("version_conflict_engine_exception");
    expect(second.items[1]?.create?.result).toBe("created");
    expect(second.items[2]?.index?.result).toBe("updated");
    expect(second.items[3]?.delete?.status).toBe(404);
    expect((await f.client.count({ index: "audit-x" })).count).toBe(3);
  });

  it("answers malformed bodies and unknown queries with 400 parsing errors", async () => {
    const res = await fetch(`${f.server.url}/docs/_search`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.type).toBe("x_content_parse_exception");
    const unknown = await failure(
      f.client.search({ index: "docs", query: JSON.parse('{"nope":{}}') as object }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.type).toBe("parsing_exception");
    expect(unknown.body.error.reason).toBe("unknown query [nope]");
  });
});
