/**
 * `flavor: opensearch` against a store that answers as OpenSearch 2 does (no X-Elastic-Product,
 * 406 for Elasticsearch 8's media types): the plain-JSON transport searches it, while the default
 * Elasticsearch flavor is refused with a message that says what to set. Basic auth from the URL
 * and an API key reach the store; wrong credentials are the gateway's configuration to fix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogStoreClient, type LogStoreEndpoint } from "../../src/backends/logstore/client.js";
import { LogStoreError } from "../../src/backends/logstore/errors.js";
import type { LogStoreServer } from "../../sim/logstore/server.js";
import { logStoreSettings, startLogStore, writeLogLines } from "../support/log-store.js";

let opensearch: LogStoreServer;
let secured: LogStoreServer;
const clients: LogStoreClient[] = [];
const T = Date.now() - 60_000;

function client(endpoint: Partial<LogStoreEndpoint> & { url: string }): LogStoreClient {
  const made = new LogStoreClient({ ...logStoreSettings(endpoint.url), ...endpoint });
  clients.push(made);
  return made;
}

const SEARCH = { index: "ks-logstash-log-*", query: { match_phrase: { log: "hello" } } };

beforeAll(async () => {
  opensearch = await startLogStore({ product: "opensearch" });
  secured = await startLogStore({ username: "elastic", password: "s3cret", apiKey: "aWQ6a2V5" });
  const line = { cluster: "a", namespace: "n", pod: "p", container: "c", time: T, log: "hello world" };
  await writeLogLines(secured.url.replace("http://", "http://elastic:s3cret@"), [line]);
  // OpenSearch takes its own media type, plain JSON.
  const answer = await fetch(`${opensearch.url}/ks-logstash-log-x/_doc`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ log: "hello from opensearch\n", time: new Date(T).toISOString() }),
  });
  expect(answer.status).toBe(201);
  expect(answer.headers.get("x-elastic-product")).toBeNull();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await opensearch?.close();
  await secured?.close();
});

describe("log store flavors and credentials", () => {
  it("searches OpenSearch with flavor opensearch", async () => {
    const answer = await client({ url: opensearch.url, flavor: "opensearch" }).search(SEARCH);
    expect(answer.hits.hits.map((h) => (h._source as { log: string }).log)).toEqual([
      "hello from opensearch\n",
    ]);
  });

  it("refuses OpenSearch as an Elasticsearch 8, saying to set flavor: opensearch", async () => {
    const failed = await client({ url: opensearch.url })
      .search(SEARCH)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failed).toBeInstanceOf(LogStoreError);
    expect((failed as LogStoreError).code).toBe("LOG_STORE_UNAVAILABLE");
    expect((failed as LogStoreError).retryable).toBe(false);
    expect((failed as LogStoreError).message).toMatch(/set flavor: opensearch/);
  });

  it("sends basic auth from the URL and an API key, and never shows the password", async () => {
    const basic = client({ url: secured.url.replace("http://", "http://elastic:s3cret@") });
    expect(basic.backend).toBe(secured.url);
    expect((await basic.search(SEARCH)).hits.hits).toHaveLength(1);
    const keyed = client({ url: secured.url, apiKey: "aWQ6a2V5" });
    expect((await keyed.search(SEARCH)).hits.hits).toHaveLength(1);
    const wrong = client({ url: secured.url.replace("http://", "http://elastic:guess@") });
    const failed = (await wrong.search(SEARCH).catch((e: unknown) => e)) as LogStoreError;
    expect(failed.code).toBe("LOG_STORE_UNAVAILABLE");
    expect(failed.status).toBe(401);
    expect(failed.message).toMatch(/refused the gateway's credentials/);
    expect(failed.message).not.toContain("guess");
  });
});
