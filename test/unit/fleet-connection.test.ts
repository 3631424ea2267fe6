/**
 * ClusterConnection against a plain node:http server: error mapping, deadline, concurrency limit,
 * circuit breaker, credentials, list pages and watch streams.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClusterConfig } from "../../src/config/index.js";
import { ClusterConnection, type WatchEventType } from "../../src/fleet/cluster-connection.js";
import { ClusterError } from "../../src/fleet/errors.js";
import { pathOf } from "../../src/kinds/index.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let handler: Handler;
let url: string;
let hits: number;
const connections: ClusterConnection[] = [];

beforeEach(async () => {
  hits = 0;
  handler = (_req, res) => res.end("{}");
  server = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function config(overrides: Partial<ClusterConfig> = {}): ClusterConfig {
  return {
    name: "east",
    displayName: "East",
    labels: {},
    server: url,
    tls: { insecureSkipVerify: false },
    auth: { token: "secret-token" },
    requestTimeoutMs: 2000,
    maxConcurrentRequests: 4,
    source: "config",
    ...overrides,
  };
}

function connect(overrides: Partial<ClusterConfig> = {}, breaker = { failureThreshold: 3, cooldownMs: 200 }) {
  const c = new ClusterConnection(config(overrides), { breaker });
  connections.push(c);
  return c;
}

function status(res: ServerResponse, code: number, reason: string, message = reason): void {
  res.writeHead(code, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message }));
}

async function failure(promise: Promise<unknown>): Promise<ClusterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClusterError);
  return error as ClusterError;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("error mapping", () => {
  it.each([
    [401, "Unauthorized", "CLUSTER_FORBIDDEN", false],
    [403, "Forbidden", "CLUSTER_FORBIDDEN", false],
    [429, "TooManyRequests", "CLUSTER_UNAVAILABLE", true],
    [500, "InternalError", "CLUSTER_UNAVAILABLE", true],
    [503, "ServiceUnavailable", "CLUSTER_UNAVAILABLE", true],
    [404, "NotFound", "CLUSTER_ERROR", false],
  ])("HTTP %i -> %s", async (code, reason, expected, retryable) => {
    handler = (_req, res) => status(res, code, reason, `the server says ${reason}`);
    const error = await failure(connect().request("/api/v1/pods"));
    expect(error.code).toBe(expected);
    expect(error.retryable).toBe(retryable);
    expect(error.cluster).toBe("east");
    expect(error.httpStatus).toBe(code);
    expect(error.reason).toBe(reason);
    expect(error.message).toContain(`the server says ${reason}`);
  });

  it("connection refused -> CLUSTER_UNAVAILABLE (retryable), with the socket error as cause", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(connect({ server: `http://127.0.0.1:${port}` }).request("/version"));
    expect(error.code).toBe("CLUSTER_UNAVAILABLE");
    expect(error.retryable).toBe(true);
    expect(error.httpStatus).toBeUndefined();
    expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED");
  });

  it("a reset mid-answer -> CLUSTER_UNAVAILABLE", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write('{"items": [');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const error = await failure(connect().request("/api/v1/pods"));
    expect(error.code).toBe("CLUSTER_UNAVAILABLE");
  });
});

describe("deadline", () => {
  it("a slow answer -> CLUSTER_TIMEOUT at the cluster's requestTimeoutMs", async () => {
    handler = (_req, res) => setTimeout(() => res.end("{}"), 1000);
    const started = Date.now();
    const error = await failure(connect({ requestTimeoutMs: 150 }).request("/version"));
    const elapsed = Date.now() - started;
    expect(error.code).toBe("CLUSTER_TIMEOUT");
    expect(error.retryable).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(800);
  });

  it("covers the wait for a concurrency slot", async () => {
    handler = (_req, res) => setTimeout(() => res.end("{}"), 120);
    const c = connect({ requestTimeoutMs: 180, maxConcurrentRequests: 1 });
    const first = c.request("/a");
    const second = c.request("/b");
    await expect(first).resolves.toEqual({});
    const error = await failure(second);
    expect(error.code).toBe("CLUSTER_TIMEOUT");
  });

  it("a per-request timeout overrides the cluster's", async () => {
    handler = (_req, res) => setTimeout(() => res.end("{}"), 300);
    const error = await failure(connect({ requestTimeoutMs: 5000 }).request("/version", { timeoutMs: 50 }));
    expect(error.code).toBe("CLUSTER_TIMEOUT");
  });
});

describe("concurrency limit", () => {
  it("never has more than maxConcurrentRequests in flight, and runs them all", async () => {
    let inFlight = 0;
    let peak = 0;
    handler = (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('{"ok":true}');
      }, 40);
    };
    const c = connect({ maxConcurrentRequests: 2 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => c.request(`/r/${i}`)));
    expect(results).toHaveLength(8);
    expect(peak).toBe(2);
  });
});

describe("circuit breaker", () => {
  it("opens after consecutive failures, fails fast without calling the server, probes after the cool-down", async () => {
    handler = (_req, res) => status(res, 500, "InternalError");
    const c = connect({}, { failureThreshold: 3, cooldownMs: 200 });
    const states: string[] = [];
    c.on("breaker", (state) => states.push(state));
    for (let i = 0; i < 3; i++) expect((await failure(c.request("/x"))).httpStatus).toBe(500);
    expect(c.breaker.state).toBe("open");
    const fast = await failure(c.request("/x"));
    expect(fast.code).toBe("CLUSTER_UNAVAILABLE");
    // The root cause stays in the message (and health.lastError), not only the breaker's state.
    expect(fast.message).toMatch(/circuit breaker open after: HTTP 500: InternalError; next probe at /);
    expect(c.lastFailure?.httpStatus).toBe(500);
    expect(hits).toBe(3);

    handler = (_req, res) => res.end('{"back":true}');
    await sleep(220);
    await expect(c.request("/x")).resolves.toEqual({ back: true });
    expect(c.breaker.state).toBe("closed");
    expect(states).toEqual(["open", "half-open", "closed"]);
  });

  it("is not tripped by answers that prove the server is alive (403, 404)", async () => {
    handler = (_req, res) => status(res, 403, "Forbidden");
    const c = connect({}, { failureThreshold: 2, cooldownMs: 10_000 });
    for (let i = 0; i < 5; i++) expect((await failure(c.request("/x"))).code).toBe("CLUSTER_FORBIDDEN");
    expect(c.breaker.state).toBe("closed");
    expect(hits).toBe(5);
  });

  it("is not tripped by 429s, hands their Retry-After up, and does not call again before it ends", async () => {
    handler = (_req, res) => {
      res.setHeader("Retry-After", "3");
      status(res, 429, "TooManyRequests");
    };
    const c = connect({}, { failureThreshold: 2, cooldownMs: 10_000 });
    for (let i = 0; i < 5; i++)
      expect(await failure(c.request("/x"))).toMatchObject({
        code: "CLUSTER_UNAVAILABLE",
        httpStatus: 429,
        retryAfterSeconds: 3,
      });
    expect(c.breaker.state).toBe("closed");
    // The four after the first were answered from the remembered Retry-After.
    expect(hits).toBe(1);
  });

  it("holds back only the throttled identity: another user's and the gateway's own requests still go", async () => {
    const seen: string[] = [];
    handler = (req, res) => {
      const user = req.headers["impersonate-user"];
      seen.push(typeof user === "string" ? user : "gateway");
      if (user === "alice") {
        res.setHeader("Retry-After", "3");
        status(res, 429, "TooManyRequests");
      } else res.end('{"ok":true}');
    };
    const c = connect();
    const as = (user: string) => ({ impersonate: { user, groups: [] } });
    expect(await failure(c.request("/x", as("alice")))).toMatchObject({
      httpStatus: 429,
      retryAfterSeconds: 3,
    });
    await expect(c.request("/x", as("bob"))).resolves.toEqual({ ok: true });
    await expect(c.request("/x")).resolves.toEqual({ ok: true });
    expect(await failure(c.request("/x", as("alice")))).toMatchObject({ httpStatus: 429 });
    // alice's second request never left the gateway.
    expect(seen).toEqual(["alice", "bob", "gateway"]);
  });

  it("counts timeouts as failures", async () => {
    handler = (_req, res) => setTimeout(() => res.end("{}"), 500);
    const c = connect({ requestTimeoutMs: 30 }, { failureThreshold: 2, cooldownMs: 10_000 });
    await failure(c.request("/x"));
    await failure(c.request("/x"));
    expect(c.breaker.state).toBe("open");
  });
});

describe("credentials", () => {
  it("sends the bearer token", async () => {
    let seen: string | undefined;
    handler = (req, res) => {
      seen = req.headers.authorization;
      res.end("{}");
    };
    await connect().request("/version");
    expect(seen).toBe("Bearer secret-token");
  });

  it("reads a token file (trimming its newline) and keeps clusters' credentials apart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fleet-token-"));
    try {
      await writeFile(join(dir, "token"), "file-token\n");
      const seen: string[] = [];
      handler = (req, res) => {
        seen.push(req.headers.authorization ?? "");
        res.end("{}");
      };
      await connect({ name: "a", auth: { tokenFile: join(dir, "token") } }).request("/version");
      await connect({ name: "b", auth: { token: "b-token" } }).request("/version");
      expect(seen).toEqual(["Bearer file-token", "Bearer b-token"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("listPage", () => {
  it("asks for limit/continue on the kind's path and returns items, resourceVersion and the next token", async () => {
    const paths: string[] = [];
    handler = (req, res) => {
      paths.push(req.url ?? "");
      res.end(
        JSON.stringify({
          kind: "DeploymentList",
          metadata: { resourceVersion: "42", continue: "next-token", remainingItemCount: 3 },
          items: [{ metadata: { name: "web", namespace: "shop", uid: "u1" } }],
        }),
      );
    };
    const page = await connect().listPage(pathOf("Deployment"), {
      limit: 2,
      continue: "abc",
      namespace: "shop",
    });
    expect(paths).toEqual(["/apis/apps/v1/namespaces/shop/deployments?limit=2&continue=abc"]);
    expect(page.resourceVersion).toBe("42");
    expect(page.continue).toBe("next-token");
    expect(page.remainingItemCount).toBe(3);
    expect(page.items.map((i) => i.metadata.uid)).toEqual(["u1"]);
  });
});

describe("watch", () => {
  function streamLines(lines: unknown[], end: "end" | "hold" = "end"): Handler {
    return (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.flushHeaders();
      // Split mid-line to exercise line reassembly across chunks.
      const text = lines.map((l) => JSON.stringify(l) + "\n").join("");
      const cut = Math.floor(text.length / 2);
      res.write(text.slice(0, cut));
      setTimeout(() => {
        res.write(text.slice(cut));
        if (end === "end") res.end();
      }, 10);
    };
  }

  it("streams events in order from the given resourceVersion with bookmarks asked for", async () => {
    let path = "";
    const events = [
      { type: "ADDED", object: { metadata: { name: "a", uid: "1", resourceVersion: "11" } } },
      { type: "MODIFIED", object: { metadata: { name: "a", uid: "1", resourceVersion: "12" } } },
      { type: "BOOKMARK", object: { metadata: { resourceVersion: "15" } } },
      { type: "DELETED", object: { metadata: { name: "a", uid: "1", resourceVersion: "16" } } },
    ];
    const inner = streamLines(events);
    handler = (req, res) => {
      path = req.url ?? "";
      inner(req, res);
    };
    const seen: [WatchEventType, string | undefined][] = [];
    const closed = new Promise<ClusterError | undefined>((resolve) => {
      void connect().watch(pathOf("Pod"), "10", {
        onEvent: (type, obj) => seen.push([type, obj.metadata.resourceVersion]),
        onClose: resolve,
      });
    });
    expect(await closed).toBeUndefined();
    expect(path).toBe("/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=10");
    expect(seen).toEqual([
      ["ADDED", "11"],
      ["MODIFIED", "12"],
      ["BOOKMARK", "15"],
      ["DELETED", "16"],
    ]);
  });

  it("turns an ERROR event with a 410 Status into an expired error", async () => {
    handler = streamLines(
      [
        {
          type: "ERROR",
          object: { kind: "Status", code: 410, reason: "Expired", message: "too old resource version" },
        },
      ],
      "hold",
    );
    const error = await new Promise<ClusterError | undefined>((resolve) => {
      void connect().watch(pathOf("Pod"), "1", { onEvent: () => undefined, onClose: resolve });
    });
    expect(error?.expired).toBe(true);
    expect(error?.reason).toBe("Expired");
  });

  it("rejects on an HTTP error answer (410 -> expired, 403 -> forbidden)", async () => {
    handler = (_req, res) => status(res, 410, "Gone");
    expect(
      (
        await failure(
          connect().watch(pathOf("Pod"), "1", { onEvent: () => undefined, onClose: () => undefined }),
        )
      ).expired,
    ).toBe(true);
    handler = (_req, res) => status(res, 403, "Forbidden");
    expect(
      (
        await failure(
          connect({ name: "b" }).watch(pathOf("Pod"), "1", {
            onEvent: () => undefined,
            onClose: () => undefined,
          }),
        )
      ).code,
    ).toBe("CLUSTER_FORBIDDEN");
  });

  it("reports a server that dies mid-stream as CLUSTER_UNAVAILABLE; stop() ends quietly", async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.flushHeaders();
      setTimeout(() => res.socket?.destroy(), 30);
    };
    const error = await new Promise<ClusterError | undefined>((resolve) => {
      void connect().watch(pathOf("Node"), "1", { onEvent: () => undefined, onClose: resolve });
    });
    expect(error?.code).toBe("CLUSTER_UNAVAILABLE");

    handler = streamLines([], "hold");
    let closes = 0;
    const handle = await connect({ name: "c" }).watch(pathOf("Node"), "1", {
      onEvent: () => undefined,
      onClose: () => closes++,
    });
    handle.stop();
    await sleep(30);
    expect(closes).toBe(0);
  });
});
