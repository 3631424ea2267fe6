/**
 * ClusterConnection's impersonation against a capturing node:http server: which headers reach
 * the API server (repeated, never joined), when none are sent, and how a refusal is restated.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClusterConfig } from "../../src/config/index.js";
import { ClusterConnection } from "../../src/fleet/cluster-connection.js";
import { ClusterError } from "../../src/fleet/errors.js";
import { pathOf } from "../../src/kinds/index.js";

let server: Server;
let url: string;
let seen: IncomingMessage[];
let answer: (req: IncomingMessage, res: ServerResponse) => void;
const connections: ClusterConnection[] = [];

beforeEach(async () => {
  seen = [];
  answer = (_req, res) => res.end(JSON.stringify({ items: [], metadata: { resourceVersion: "7" } }));
  server = createServer((req, res) => {
    seen.push(req);
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function connect(overrides: Partial<ClusterConfig> = {}): ClusterConnection {
  const connection = new ClusterConnection({
    name: "east",
    displayName: "East",
    labels: {},
    server: url,
    tls: { insecureSkipVerify: false },
    auth: { token: "gateway-token" },
    requestTimeoutMs: 2000,
    maxConcurrentRequests: 4,
    source: "config",
    ...overrides,
  });
  connections.push(connection);
  return connection;
}

/** Every value of a header as the lines on the wire carried it (rawHeaders keeps repeats apart). */
function headerLines(req: IncomingMessage, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === name.toLowerCase()) values.push(req.rawHeaders[i + 1]!);
  }
  return values;
}

function forbid(res: ServerResponse, message: string): void {
  res.writeHead(403, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ kind: "Status", status: "Failure", code: 403, reason: "Forbidden", message }));
}

async function failure(promise: Promise<unknown>): Promise<ClusterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClusterError);
  return error as ClusterError;
}

const ERIN = { user: "erin", groups: ["team-a", "ops,oncall", "auditors"] };

describe("impersonation headers", () => {
  it("sends the user once and one Impersonate-Group line per group, beside the gateway's own token", async () => {
    await connect().listPage(pathOf("Pod"), { namespace: "search", impersonate: ERIN });
    const [req] = seen;
    expect(headerLines(req!, "Impersonate-User")).toEqual(["erin"]);
    // A comma inside a group name survives: the groups were never joined.
    expect(headerLines(req!, "Impersonate-Group")).toEqual(["team-a", "ops,oncall", "auditors"]);
    expect(headerLines(req!, "Authorization")).toEqual(["Bearer gateway-token"]);
    expect(req!.url).toBe("/api/v1/namespaces/search/pods");
  });

  it("sends no group header for a user without groups", async () => {
    await connect().request("/api/v1/pods", { impersonate: { user: "bob", groups: [] } });
    expect(headerLines(seen[0]!, "Impersonate-User")).toEqual(["bob"]);
    expect(headerLines(seen[0]!, "Impersonate-Group")).toEqual([]);
  });

  it("sends nothing for the gateway's own reads, on the same keep-alive connection", async () => {
    const connection = connect();
    await connection.listPage(pathOf("Pod"), { impersonate: ERIN });
    await connection.listPage(pathOf("Pod"));
    await connection.requestText("/readyz", { accept: "text/plain" });
    expect(seen.map((req) => headerLines(req, "Impersonate-User"))).toEqual([["erin"], [], []]);
    expect(headerLines(seen[1]!, "Impersonate-Group")).toEqual([]);
  });

  it("sends nothing to a cluster that trusts the gateway's grants, and follows a reload of that setting", async () => {
    const connection = connect({ trustGatewayGrants: true });
    await connection.listPage(pathOf("Pod"), { impersonate: ERIN });
    expect(headerLines(seen[0]!, "Impersonate-User")).toEqual([]);
    expect(headerLines(seen[0]!, "Impersonate-Group")).toEqual([]);
    connection.describe({ ...connection.config, trustGatewayGrants: false });
    await connection.listPage(pathOf("Pod"), { impersonate: ERIN });
    expect(headerLines(seen[1]!, "Impersonate-User")).toEqual(["erin"]);
  });

  it("refuses a name that cannot be a header value before anything is sent", async () => {
    const connection = connect();
    const error = await failure(
      connection.request("/api/v1/pods", { impersonate: { user: "eve\r\nX: 1", groups: [] } }),
    );
    expect(error.code).toBe("CLUSTER_ERROR");
    expect(error.message).toContain("cannot impersonate");
    expect(seen).toHaveLength(0);
    expect(connection.breaker.state).toBe("closed");
  });
});

describe("a refused impersonated call", () => {
  it("names the cluster and what was denied, not the API server's words", async () => {
    answer = (_req, res) =>
      forbid(res, 'pods is forbidden: webhook says tenant "zeta-bank" owns namespace "payments"');
    const error = await failure(
      connect().listPage(pathOf("Pod"), { namespace: "payments", limit: 5, impersonate: ERIN }),
    );
    expect(error.code).toBe("CLUSTER_FORBIDDEN");
    expect(error.httpStatus).toBe(403);
    expect(error.message).toBe(
      'cluster east: forbidden: user "erin" may not list pods in namespace "payments"',
    );
    expect(error.message).not.toContain("zeta");
  });

  it("says when the gateway itself may not impersonate", async () => {
    answer = (_req, res) =>
      forbid(res, 'users "erin" is forbidden: User "fleetgraph-gateway" cannot impersonate resource "users"');
    const error = await failure(connect().request("/apis/apps/v1/deployments", { impersonate: ERIN }));
    expect(error.code).toBe("CLUSTER_FORBIDDEN");
    expect(error.message).toContain('the gateway may not act as user "erin"');
  });

  it("keeps the API server's message for the gateway's own refused reads", async () => {
    answer = (_req, res) => forbid(res, 'pods is forbidden: User "fleetgraph-gateway" cannot list pods');
    const error = await failure(connect().listPage(pathOf("Pod")));
    expect(error.message).toBe('cluster east: pods is forbidden: User "fleetgraph-gateway" cannot list pods');
  });
});
