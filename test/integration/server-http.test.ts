/**
 * /graphql served from node:http (src/http/graphql-handler.ts): what express and its Apollo
 * integration used to do for the route — body size limit, malformed JSON, charsets, CSRF
 * prevention, methods, keep-alive — now checked against the real gateway; and the incremental
 * (chunked) answer path against a stand-in for Apollo, since graphql 16 never produces one.
 */
import { once } from "node:events";
import { createServer, request, Agent, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HeaderMap, type HTTPGraphQLResponse } from "@apollo/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlHandler, isGraphQLPath } from "../../src/http/graphql-handler.js";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { baseUrl, fleetConfig, quiet, startSimFleet, startTestGateway } from "./server-fixture.js";

let fleet: SimFleet;
let gateway: Gateway;

beforeAll(async () => {
  fleet = await startSimFleet("server-http-test", { pods: 10 });
  gateway = await startTestGateway(fleetConfig(fleet));
  await gateway.fleetCache.whenSynced(20_000);
});

afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
});

interface Answer {
  status: number;
  headers: IncomingMessage["headers"];
  text: string;
}

/** One raw HTTP request: full control of method, headers and how the body is sent. */
function send(
  port: number,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string[];
    agent?: Agent;
  },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      path: options.path ?? "/graphql",
      method: options.method ?? "POST",
      headers: options.headers ?? {},
      agent: options.agent ?? false,
    });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    // The server may close the connection while a refused body is still being sent.
    req.on("error", reject);
    for (const part of options.body ?? []) req.write(part);
    req.end();
  });
}

const json = { "content-type": "application/json" };
const CLUSTERS = JSON.stringify({ query: "{ clusters { totalCount } }" });

describe("POST /graphql", () => {
  it("answers a query with JSON, a content length and cache-control: no-store", async () => {
    const r = await send(gateway.port, { headers: json, body: [CLUSTERS] });
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^application\/json/);
    expect(r.headers["cache-control"]).toBe("no-store");
    expect(Number(r.headers["content-length"])).toBe(Buffer.byteLength(r.text));
    expect(JSON.parse(r.text)).toEqual({ data: { clusters: { totalCount: 3 } } });
  });

  it("refuses a body that is not JSON with 400 and a GraphQL-shaped error", async () => {
    const r = await send(gateway.port, { headers: json, body: ['{"query": "{ clusters { totalCount } }"'] });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({
      errors: [{ message: expect.stringMatching(/not valid JSON/), extensions: { code: "BAD_REQUEST" } }],
    });
  });

  it("refuses a body over 1 MiB with 413, whether its length is declared or not", async () => {
    const big = JSON.stringify({
      query: "{ clusters { totalCount } }",
      variables: { x: "a".repeat(1_100_000) },
    });
    const declared = await send(gateway.port, {
      headers: { ...json, "content-length": String(Buffer.byteLength(big)) },
      body: [big],
    });
    expect(declared.status).toBe(413);
    expect(declared.headers.connection).toBe("close");
    expect(JSON.parse(declared.text).errors[0]).toMatchObject({
      message: expect.stringMatching(/larger than the limit of 1048576 bytes \(limits\.maxBodyBytes\)/),
      extensions: { code: "REQUEST_TOO_LARGE" },
    });

    // Chunked: the size is only known while reading.
    const parts = [big.slice(0, 600_000), big.slice(600_000)];
    const chunked = await send(gateway.port, { headers: json, body: parts });
    expect(chunked.status).toBe(413);

    // Just under the limit is read and answered.
    const fits = JSON.stringify({
      query: "{ clusters { totalCount } }",
      variables: { x: "a".repeat(1_000_000) },
    });
    expect((await send(gateway.port, { headers: json, body: [fits] })).status).toBe(200);
  });

  it("refuses a JSON body in another charset than UTF-8 with 415", async () => {
    const r = await send(gateway.port, {
      headers: { "content-type": "application/json; charset=latin1" },
      body: [CLUSTERS],
    });
    expect(r.status).toBe(415);
    const utf8 = await send(gateway.port, {
      headers: { "content-type": 'application/json; charset="UTF-8"' },
      body: [CLUSTERS],
    });
    expect(utf8.status).toBe(200);
  });

  it("keeps Apollo's CSRF prevention: a simple (form-like) POST is blocked", async () => {
    const plain = await send(gateway.port, { headers: { "content-type": "text/plain" }, body: [CLUSTERS] });
    expect(plain.status).toBe(400);
    expect(plain.text).toMatch(/CSRF/);
    // Not JSON but preflighted: no longer a CSRF risk, refused for having no GraphQL body.
    const other = await send(gateway.port, {
      headers: { "content-type": "application/xml", "apollo-require-preflight": "1" },
      body: ["<q/>"],
    });
    expect(other.status).toBe(400);
    expect(other.text).toMatch(/POST body missing/);
  });

  it("answers other methods with 405 and the allowed ones", async () => {
    const r = await send(gateway.port, { method: "PUT", headers: json, body: [CLUSTERS] });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe("GET, POST");
  });

  it("serves many requests over one keep-alive connection", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      agent.on("free", (socket) => sockets.add(socket));
      for (let i = 0; i < 5; i++) {
        const r = await send(gateway.port, { headers: json, body: [CLUSTERS], agent });
        expect(r.status).toBe(200);
      }
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});

describe("routing", () => {
  it("sends /graphql (with or without a query string) to Apollo and everything else to express", async () => {
    expect(isGraphQLPath("/graphql")).toBe(true);
    expect(isGraphQLPath("/graphql/?query=x")).toBe(true);
    expect(isGraphQLPath("/graphqlx")).toBe(false);
    expect(isGraphQLPath("/healthz?graphql")).toBe(false);
    expect((await fetch(`${baseUrl(gateway)}/healthz`)).status).toBe(200);
    expect((await fetch(`${baseUrl(gateway)}/graphqlx`, { method: "POST" })).status).toBe(404);
  });
});

describe("incremental answers (a stand-in for Apollo)", () => {
  let server: Server | undefined;

  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });

  /** A node:http server whose Apollo answers with `response` (or throws it). */
  async function serve(response: () => Promise<HTTPGraphQLResponse>): Promise<number> {
    server?.closeAllConnections();
    server?.close();
    const handler = graphqlHandler({
      apollo: { executeHTTPGraphQLRequest: response },
      context: () => Promise.resolve({}),
      logger: quiet,
    });
    server = createServer(handler);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return (server.address() as AddressInfo).port;
  }

  it("writes each chunk as it comes, then ends the response", async () => {
    async function* parts(): AsyncGenerator<string> {
      yield "first;";
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield "second;";
    }
    const port = await serve(() =>
      Promise.resolve({
        status: 200,
        headers: new HeaderMap([["content-type", 'multipart/mixed; boundary="-"']]),
        body: { kind: "chunked", asyncIterator: parts() },
      }),
    );
    const r = await send(port, { headers: json, body: [CLUSTERS] });
    expect(r.status).toBe(200);
    expect(r.headers["transfer-encoding"]).toBe("chunked");
    expect(r.text).toBe("first;second;");
  });

  it("stops reading the answer when the client goes away", async () => {
    let finished = false;
    let produced = 0;
    async function* endless(): AsyncGenerator<string> {
      try {
        for (;;) {
          produced++;
          yield `part ${produced};`;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        finished = true;
      }
    }
    const port = await serve(() =>
      Promise.resolve({ headers: new HeaderMap(), body: { kind: "chunked", asyncIterator: endless() } }),
    );
    const req = request({ host: "127.0.0.1", port, path: "/graphql", method: "POST", headers: json });
    req.on("error", () => {});
    req.end(CLUSTERS);
    const [res] = (await once(req, "response")) as [IncomingMessage];
    await once(res, "data");
    req.destroy();
    await expect.poll(() => finished, { timeout: 2000 }).toBe(true);
    const stoppedAt = produced;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(produced).toBe(stoppedAt);
  });

  it("answers 500 when Apollo itself throws", async () => {
    const port = await serve(() => Promise.reject(new Error("boom")));
    const r = await send(port, { headers: json, body: [CLUSTERS] });
    expect(r.status).toBe(500);
    expect(JSON.parse(r.text).errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
  });
});
