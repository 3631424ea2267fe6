/**
 * PrometheusClient against small node:http(s) servers that answer like Prometheus's query API:
 * the request it sends, how answers and failures are typed, deadline, concurrency limit, circuit
 * breaker, credentials and TLS. (The answers of a real Prometheus: test/integration.)
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateClusterTls } from "../../sim/tls.js";
import { prometheusFailure } from "../support/prometheus.js";
import { PrometheusClient, type PrometheusEndpoint } from "../../src/backends/prometheus/client.js";

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  form: URLSearchParams;
}

type Respond = (req: Received, res: ServerResponse) => void;

let server: Server;
let respond: Respond;
let received: Received[];
let url: string;
const clients: PrometheusClient[] = [];

function listen(s: Server): Promise<number> {
  return new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve((s.address() as AddressInfo).port)));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    const r = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      form: new URLSearchParams(body),
    };
    received.push(r);
    respond(r, res);
  });
}

beforeEach(async () => {
  received = [];
  respond = (_req, res) => json(res, 200, vector([]));
  server = createServer(handle);
  url = `http://127.0.0.1:${await listen(server)}`;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function endpoint(overrides: Partial<PrometheusEndpoint> = {}): PrometheusEndpoint {
  return {
    url,
    tls: { insecureSkipVerify: false },
    auth: {},
    timeoutMs: 2000,
    maxConcurrentRequests: 4,
    ...overrides,
  };
}

function client(
  overrides: Partial<PrometheusEndpoint> = {},
  options: ConstructorParameters<typeof PrometheusClient>[1] = {},
) {
  const c = new PrometheusClient(endpoint(overrides), options);
  clients.push(c);
  return c;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
}

const success = (resultType: string, result: unknown, extra: object = {}) => ({
  status: "success",
  data: { resultType, result },
  ...extra,
});
const vector = (result: unknown[]) => success("vector", result);
const errorBody = (errorType: string, error: string) => ({ status: "error", errorType, error });

async function refusedPort(): Promise<number> {
  const closed = createServer();
  const port = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the request", () => {
  it("POSTs the form to /api/v1/query below the URL's prefix, with time and Prometheus's own timeout", async () => {
    await client({ url: `${url}/prom/eu`, timeoutMs: 2500 }).instant('up{job="a"}', 1700000000.5);
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.method).toBe("POST");
    expect(r.path).toBe("/prom/eu/api/v1/query");
    expect(r.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(r.headers.accept).toBe("application/json");
    expect(r.form.get("query")).toBe('up{job="a"}');
    expect(r.form.get("time")).toBe("1700000000.5");
    const timeout = /^(\d+)ms$/.exec(r.form.get("timeout") ?? "");
    expect(Number(timeout?.[1])).toBeGreaterThan(2000);
    expect(Number(timeout?.[1])).toBeLessThanOrEqual(2500);
  });

  it("leaves time out when not given, and POSTs start, end and step to /api/v1/query_range", async () => {
    respond = (req, res) => json(res, 200, req.path.endsWith("_range") ? success("matrix", []) : vector([]));
    const c = client();
    await c.instant("up");
    await c.range("rate(x[5m])", { start: 100, end: 160, step: 15 });
    expect(received[0]!.form.has("time")).toBe(false);
    expect(received[1]!.path).toBe("/api/v1/query_range");
    expect(Object.fromEntries(received[1]!.form)).toMatchObject({
      query: "rate(x[5m])",
      start: "100",
      end: "160",
      step: "15",
    });
  });

  it("refuses an empty query or a window that cannot be, without asking Prometheus", async () => {
    const c = client();
    const cases = [
      [c.instant("  "), "the query is empty"],
      [c.instant("up", Number.NaN), "the time NaN is not a number of seconds"],
      [c.range("up", { start: 10, end: 20, step: 0 }), "the step must be more than 0 seconds, not 0"],
      [c.range("up", { start: 20, end: 10, step: 1 }), "the window ends (10) before it starts (20)"],
      [
        c.range("up", { start: 0, end: Infinity, step: 1 }),
        "the window (start 0, end Infinity, step 1) must be finite numbers of seconds",
      ],
    ] as const;
    for (const [promise, message] of cases) {
      const error = await prometheusFailure(promise);
      expect(error.code).toBe("PROMETHEUS_BAD_QUERY");
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(message);
    }
    expect(received).toHaveLength(0);
    expect(c.queries).toBe(0);
  });
});

describe("answers", () => {
  it("parses a vector's labels and values, NaN and the infinities included", async () => {
    respond = (_req, res) =>
      json(
        res,
        200,
        vector([
          { metric: { __name__: "up", job: "a" }, value: [1700000000, "1"] },
          { metric: { job: "b" }, value: [1700000000, "+Inf"] },
          { metric: { job: "c" }, value: [1700000000, "-Inf"] },
          { metric: { job: "d" }, value: [1700000000, "NaN"] },
          { metric: { job: "e" }, value: [1700000000, "1.5e-7"] },
        ]),
      );
    expect(await client().instant("x")).toEqual([
      { labels: { __name__: "up", job: "a" }, value: 1 },
      { labels: { job: "b" }, value: Number.POSITIVE_INFINITY },
      { labels: { job: "c" }, value: Number.NEGATIVE_INFINITY },
      { labels: { job: "d" }, value: Number.NaN },
      { labels: { job: "e" }, value: 1.5e-7 },
    ]);
  });

  it("gives a scalar as one sample without labels", async () => {
    respond = (_req, res) => json(res, 200, success("scalar", [1700000000, "42.5"]));
    expect(await client().instant("scalar(x)")).toEqual([{ labels: {}, value: 42.5 }]);
  });

  it("parses a matrix into points of [time, value]", async () => {
    respond = (_req, res) =>
      json(
        res,
        200,
        success("matrix", [
          {
            metric: { pod: "a" },
            values: [
              [100, "1"],
              [115, "NaN"],
            ],
          },
          { metric: {}, values: [[100.5, "-3"]] },
        ]),
      );
    expect(await client().range("x", { start: 100, end: 115, step: 15 })).toEqual([
      {
        labels: { pod: "a" },
        points: [
          [100, 1],
          [115, Number.NaN],
        ],
      },
      { labels: {}, points: [[100.5, -3]] },
    ]);
  });

  it("refuses a range vector or a string from an instant query as PROMETHEUS_BAD_QUERY, which the breaker does not count", async () => {
    const c = client({}, { breaker: { failureThreshold: 1 } });
    respond = (_req, res) => json(res, 200, success("matrix", []));
    const matrix = await prometheusFailure(c.instant("up[5m]"));
    expect(matrix.code).toBe("PROMETHEUS_BAD_QUERY");
    expect(matrix.message).toContain(
      "the query gives a range vector, but an instant query needs an instant vector or a scalar",
    );
    respond = (_req, res) => json(res, 200, success("string", [1, "hello"]));
    expect((await prometheusFailure(c.instant('"hello"'))).message).toContain("gives a string");
    expect(c.breakerState).toBe("closed");
  });

  it("hands warnings of a successful answer to onWarnings", async () => {
    const seen: Array<[string[], string]> = [];
    respond = (_req, res) =>
      json(res, 200, success("vector", [], { warnings: ["partial answer: store b down"] }));
    await client({}, { onWarnings: (warnings, query) => seen.push([warnings, query]) }).instant("up");
    expect(seen).toEqual([[["partial answer: store b down"], "up"]]);
  });

  it("a 2xx answer that is not the query API's JSON -> PROMETHEUS_UNAVAILABLE saying so", async () => {
    const c = client();
    respond = (_req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end("<html>login</html>");
    const html = await prometheusFailure(c.instant("up"));
    expect(html.code).toBe("PROMETHEUS_UNAVAILABLE");
    expect(html.retryable).toBe(false);
    expect(html.message).toBe(
      `Prometheus at ${url} answered POST /api/v1/query with something other than Prometheus's query API (the body is not JSON); is the url right?`,
    );
    respond = (_req, res) => json(res, 200, vector([{ metric: {}, value: [1, "many"] }]));
    expect((await prometheusFailure(c.instant("up"))).message).toContain('"many" is not a sample value');
  });
});

describe("failures", () => {
  it("HTTP 400 bad_data and 422 execution -> PROMETHEUS_BAD_QUERY carrying Prometheus's message", async () => {
    const c = client();
    respond = (_req, res) =>
      json(res, 400, errorBody("bad_data", "1:5: parse error: unclosed left parenthesis"));
    const parse = await prometheusFailure(c.instant("sum("));
    expect(parse).toMatchObject({
      code: "PROMETHEUS_BAD_QUERY",
      retryable: false,
      status: 400,
      backend: url,
    });
    expect(parse.message).toBe(
      `Prometheus at ${url} refused the query: 1:5: parse error: unclosed left parenthesis`,
    );
    respond = (_req, res) =>
      json(res, 422, errorBody("execution", "found duplicate series for the match group"));
    const execution = await prometheusFailure(c.instant("a * on(x) b"));
    expect(execution).toMatchObject({ code: "PROMETHEUS_BAD_QUERY", status: 422 });
    expect(execution.message).toContain("found duplicate series for the match group");
  });

  it.each([
    [
      500,
      errorBody("internal", "out of memory"),
      "PROMETHEUS_UNAVAILABLE",
      true,
      "failed (HTTP 500: out of memory)",
    ],
    [503, "Service Unavailable", "PROMETHEUS_UNAVAILABLE", true, "is not ready (HTTP 503)"],
    [
      503,
      errorBody("timeout", "query timed out in expression evaluation"),
      "PROMETHEUS_TIMEOUT",
      true,
      "stopped evaluating the query at its 2000 ms deadline: query timed out",
    ],
    [429, "slow down", "PROMETHEUS_UNAVAILABLE", true, "failed (HTTP 429)"],
    [401, "Unauthorized", "PROMETHEUS_UNAVAILABLE", false, "refused the gateway's credentials (HTTP 401)"],
    [403, "Forbidden", "PROMETHEUS_UNAVAILABLE", false, "refused the gateway's credentials (HTTP 403)"],
    [
      404,
      "404 page not found",
      "PROMETHEUS_UNAVAILABLE",
      false,
      "answered HTTP 404 to POST /api/v1/query; is the url right, path prefix included?",
    ],
  ])("HTTP %i %j -> %s (retryable: %s)", async (status, body, code, retryable, message) => {
    respond = (_req, res) =>
      typeof body === "string"
        ? res.writeHead(status, { "Content-Type": "text/plain" }).end(body)
        : json(res, status, body);
    const error = await prometheusFailure(client().instant("up"));
    expect(error).toMatchObject({ code, retryable, status, backend: url });
    expect(error.message).toContain(`Prometheus at ${url} ${message}`);
  });

  it("connection refused -> PROMETHEUS_UNAVAILABLE (retryable), naming the address", async () => {
    const port = await refusedPort();
    const error = await prometheusFailure(client({ url: `http://127.0.0.1:${port}` }).instant("up"));
    expect(error).toMatchObject({ code: "PROMETHEUS_UNAVAILABLE", retryable: true, status: undefined });
    expect(error.message).toMatch(
      new RegExp(`^Prometheus at http://127.0.0.1:${port} is unreachable \\(ECONNREFUSED: `),
    );
  });

  it("a hung Prometheus -> PROMETHEUS_TIMEOUT at the deadline, and the request is abandoned", async () => {
    let closed = 0;
    respond = (_req, res) => res.on("close", () => closed++);
    const started = Date.now();
    const error = await prometheusFailure(client({ timeoutMs: 300 }).instant("up"));
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ code: "PROMETHEUS_TIMEOUT", retryable: true });
    expect(error.message).toBe(`Prometheus at ${url} did not answer within 300 ms`);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1000);
    await sleep(50);
    expect(closed).toBe(1);
  });

  it("a query that never got a slot times out saying so", async () => {
    respond = () => {}; // never answers
    const c = client({ timeoutMs: 200, maxConcurrentRequests: 1 });
    const [first, second] = await Promise.all([
      prometheusFailure(c.instant("a")),
      prometheusFailure(c.instant("b")),
    ]);
    expect(first.message).toBe(`Prometheus at ${url} did not answer within 200 ms`);
    expect(second.code).toBe("PROMETHEUS_TIMEOUT");
    expect(second.message).toContain("spent waiting for one of its 1 concurrent slots: ask less at once");
    expect(received).toHaveLength(1);
  });

  it("the caller's signal cancels with its own reason, which the breaker does not count", async () => {
    respond = () => {};
    const c = client({}, { breaker: { failureThreshold: 1 } });
    const controller = new AbortController();
    const pending = c.instant("up", undefined, controller.signal);
    await sleep(30);
    const reason = new Error("the GraphQL request ended");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(c.breakerState).toBe("closed");
  });

  it("a closed client fails at once", async () => {
    const c = client();
    c.close();
    const error = await prometheusFailure(c.instant("up"));
    expect(error.code).toBe("PROMETHEUS_UNAVAILABLE");
    expect(error.message).toContain("the client was closed");
    expect(received).toHaveLength(0);
  });
});

describe("circuit breaker", () => {
  it("opens after N consecutive failures, fails at once without a request while open, and a half-open probe recovers", async () => {
    let clock = 1_000_000;
    const c = client({}, { now: () => clock, breaker: { failureThreshold: 3, cooldownMs: 5000 } });
    respond = (_req, res) => json(res, 500, errorBody("internal", "disk full"));
    for (let i = 0; i < 3; i++)
      expect((await prometheusFailure(c.instant("up"))).code).toBe("PROMETHEUS_UNAVAILABLE");
    expect(c.breakerState).toBe("open");
    expect(received).toHaveLength(3);

    clock += 1000;
    const started = Date.now();
    const open = await prometheusFailure(c.instant("up"));
    expect(Date.now() - started).toBeLessThan(50);
    expect(received).toHaveLength(3);
    expect(open).toMatchObject({ code: "PROMETHEUS_UNAVAILABLE", retryable: true });
    expect(open.message).toBe(
      `Prometheus at ${url} is not being asked: circuit open after 3 consecutive failures; next try in 4.0 s (last: Prometheus at ${url} failed (HTTP 500: disk full))`,
    );
    expect(c.queries).toBe(3);

    clock += 4001;
    respond = (_req, res) => json(res, 200, vector([{ metric: {}, value: [1, "1"] }]));
    expect(await c.instant("up")).toEqual([{ labels: {}, value: 1 }]);
    expect(c.breakerState).toBe("closed");
    expect(received).toHaveLength(4);
  });

  it("counts timeouts, and a failed probe opens it again", async () => {
    let clock = 0;
    const c = client(
      { timeoutMs: 100 },
      { now: () => clock, breaker: { failureThreshold: 2, cooldownMs: 1000 } },
    );
    respond = () => {};
    await prometheusFailure(c.instant("up"));
    await prometheusFailure(c.instant("up"));
    expect(c.breakerState).toBe("open");
    clock += 1000;
    expect((await prometheusFailure(c.instant("up"))).code).toBe("PROMETHEUS_TIMEOUT"); // the probe
    expect(c.breakerState).toBe("open");
    expect(received).toHaveLength(3);
  });

  it("does not count bad queries: Prometheus answered", async () => {
    const c = client({}, { breaker: { failureThreshold: 2 } });
    respond = (_req, res) => json(res, 400, errorBody("bad_data", "parse error"));
    for (let i = 0; i < 4; i++) await prometheusFailure(c.instant("sum("));
    expect(c.breakerState).toBe("closed");
    expect(c.queries).toBe(4);
  });
});

describe("concurrency", () => {
  it("keeps at most maxConcurrentRequests queries in flight, and counts every one sent", async () => {
    let inFlight = 0;
    let most = 0;
    respond = (_req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, vector([]));
      }, 40);
    };
    const c = client({ maxConcurrentRequests: 3 });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => c.instant(`q${i}`)));
    expect(answers).toHaveLength(10);
    expect(most).toBe(3);
    expect(c.queries).toBe(10);
    expect(received.map((r) => r.form.get("query")).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `q${i}`).sort(),
    );
  });
});

describe("credentials", () => {
  it("sends a bearer token", async () => {
    await client({ auth: { token: "s3cret" } }).instant("up");
    expect(received[0]!.headers.authorization).toBe("Bearer s3cret");
  });

  it("re-reads a token file once it is a minute old, so a rotated token is used", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fleetgraph-prom-token-"));
    try {
      const path = join(dir, "token");
      await writeFile(path, "first-token\n");
      let clock = 0;
      const c = client({ auth: { tokenFile: path } }, { now: () => clock });
      await c.instant("up");
      await writeFile(path, "second-token\n");
      clock += 30_000;
      await c.instant("up");
      clock += 31_000;
      await c.instant("up");
      expect(received.map((r) => r.headers.authorization)).toEqual([
        "Bearer first-token",
        "Bearer first-token",
        "Bearer second-token",
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a token file gone -> PROMETHEUS_UNAVAILABLE naming the file, without a request", async () => {
    const path = join(tmpdir(), "fleetgraph-no-such-token");
    const error = await prometheusFailure(client({ auth: { tokenFile: path } }).instant("up"));
    expect(error.code).toBe("PROMETHEUS_UNAVAILABLE");
    expect(error.message).toBe(`Prometheus at ${url}: cannot read the token file ${path} (ENOENT)`);
    expect(received).toHaveLength(0);
  });

  it("sends the URL's user and password as basic auth, and never shows them", async () => {
    const port = new URL(url).port;
    const c = client({ url: `http://reader:p%40ss@127.0.0.1:${port}/prefix` });
    expect(c.backend).toBe(`http://127.0.0.1:${port}/prefix`);
    respond = (_req, res) => json(res, 401, errorBody("unauthorized", "bad password"));
    const error = await prometheusFailure(c.instant("up"));
    expect(received[0]!.headers.authorization).toBe(`Basic ${Buffer.from("reader:p@ss").toString("base64")}`);
    expect(error.backend).toBe(`http://127.0.0.1:${port}/prefix`);
    expect(error.message).not.toContain("p@ss");
    expect(error.message).not.toContain("p%40ss");
  });
});

describe("TLS", () => {
  it("verifies the server against the configured CA, refuses another CA's certificate, and can skip verification", async () => {
    const [serving, stranger] = await Promise.all([generateClusterTls("prom"), generateClusterTls("other")]);
    const https = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, handle);
    const port = await listen(https);
    try {
      const secureUrl = `https://127.0.0.1:${port}`;
      respond = (_req, res) => json(res, 200, vector([{ metric: { tls: "yes" }, value: [1, "1"] }]));
      const trusted = client({ url: secureUrl, tls: { caData: serving.caPem, insecureSkipVerify: false } });
      expect(await trusted.instant("up")).toEqual([{ labels: { tls: "yes" }, value: 1 }]);

      const wrongCa = client({ url: secureUrl, tls: { caData: stranger.caPem, insecureSkipVerify: false } });
      const error = await prometheusFailure(wrongCa.instant("up"));
      expect(error).toMatchObject({ code: "PROMETHEUS_UNAVAILABLE", retryable: false });
      expect(error.message).toContain(`Prometheus at ${secureUrl} failed TLS verification`);
      expect(error.message).toContain("check the CA configured for it");

      const systemCas = await prometheusFailure(client({ url: secureUrl }).instant("up"));
      expect(systemCas.message).toContain("failed TLS verification");

      const skipping = client({ url: secureUrl, tls: { insecureSkipVerify: true } });
      expect(await skipping.instant("up")).toHaveLength(1);
      expect(received).toHaveLength(2);
    } finally {
      https.closeAllConnections();
      await new Promise((resolve) => https.close(resolve));
    }
  });
});
