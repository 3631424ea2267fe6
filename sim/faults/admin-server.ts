/**
 * The fault admin endpoint: a small JSON-over-HTTP API on 127.0.0.1 that flips one cluster's
 * fault switches, takes it down and back up, drops its watches, expires its history, and sets
 * the fleet's churn rate. Documented in docs/simulator.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { ClusterStore } from "../store/cluster-store.js";
import { findResource } from "../kinds.js";
import type { FaultState } from "./fault-state.js";
import { AdminRequestError, parseChurnRate, parseFaultSettings, parseRotation } from "./fault-body.js";
import type { CrashLoops } from "../controllers/crash-loop.js";
import { StatusError } from "../errors.js";
import { prometheusScrapeConfig, scrapeTargetGroups, type ScrapeTarget } from "../metrics/scrape-config.js";

/** What the endpoint needs of a cluster (SimCluster has it). */
export interface FaultTarget {
  readonly name: string;
  readonly state: string;
  readonly url: string;
  readonly labels: Record<string, string>;
  readonly faults: FaultState;
  readonly store: ClusterStore;
  goDown(): Promise<void>;
  comeBack(): Promise<void>;
  dropWatches(): number;
  requestsByVerb(): Record<string, number>;
  expireHistory(): void;
  rotateCertificate(newCa?: boolean): Promise<unknown>;
  serveUntrustedCertificate(): Promise<void>;
  readonly crashLoops: CrashLoops;
  setNodeReady(node: string, ready: boolean): void;
}

export interface ChurnControl {
  readonly rate: number;
  readonly changes: number;
  setRate(rate: number): void;
}

export interface AdminServerOptions {
  clusters: readonly FaultTarget[];
  churn: ChurnControl;
  /** 0 (default) picks a free port. */
  port?: number;
  /** After a CA rotation: the fleet rewrites its kubeconfig with the new CA. */
  onCaRotated?: () => Promise<unknown>;
  /** The clusters' metrics endpoints, for `GET /prometheus.yml` (absent: no metrics served). */
  scrapeTargets?: readonly ScrapeTarget[];
}

export interface AdminServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const POD = findResource("", "pods")!;
const MAX_BODY = 64 * 1024;
const CLUSTER_ACTIONS = [
  "down",
  "up",
  "drop-watches",
  "expire-history",
  "rotate-certificate",
  "untrusted-certificate",
] as const;

function view(c: FaultTarget) {
  return {
    name: c.name,
    server: c.url,
    state: c.state,
    labels: c.labels,
    faults: c.faults.settings,
    revision: c.store.revision,
    compactedRevision: c.store.compactedRevision,
    watches: c.store.watcherCount(),
    requests: c.requestsByVerb(),
    pods: c.store.count(POD),
  };
}

/** A revision from the query: a non-negative integer, or `fallback` when absent. */
function revisionParam(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new AdminRequestError(400, `${name} must be a non-negative integer revision, got "${text}"`);
  return n;
}

/**
 * When the cluster's recent revisions were committed (epoch ms, sub-millisecond): what the
 * benchmark harness measures a change's way to a subscriber from. `from` is exclusive.
 */
function commits(c: FaultTarget, query: URLSearchParams) {
  const from = revisionParam(query, "from", 0);
  const to = revisionParam(query, "to", c.store.revision);
  const resource = query.get("resource") ?? undefined;
  return {
    cluster: c.name,
    revision: c.store.revision,
    from,
    to,
    commits: c.store.commitsBetween(from, to, resource),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY)
      throw new AdminRequestError(413, `the request body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AdminRequestError(400, `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body, null, 2) + "\n";
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

const DURATION = /^\d+(ms|s|m|h)$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A Prometheus config scraping every cluster; the query may choose the interval and the cluster label's name. */
function sendScrapeConfig(
  res: ServerResponse,
  targets: readonly ScrapeTarget[],
  query: URLSearchParams,
): void {
  const interval = query.get("interval") ?? "15s";
  if (!DURATION.test(interval))
    throw new AdminRequestError(400, `interval must be a duration such as 15s, got "${interval}"`);
  const text = prometheusScrapeConfig(targets, { scrapeInterval: interval, clusterLabel: labelParam(query) });
  res.writeHead(200, { "Content-Type": "application/yaml", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function labelParam(query: URLSearchParams): string {
  const label = query.get("label") ?? "cluster";
  if (!LABEL_NAME.test(label) || label.startsWith("__"))
    throw new AdminRequestError(400, `label must be a Prometheus label name, got "${label}"`);
  return label;
}

function methodNotAllowed(method: string, path: string, allowed: string[]): AdminRequestError {
  return new AdminRequestError(
    405,
    `${method} is not allowed on ${path}; use ${allowed.join(" or ")}`,
    allowed.join(", "),
  );
}

/**
 * A pod made to crash-loop (PUT, body `{"container"?, "intervalMs"?}`) or fixed (DELETE); a node
 * made not ready (PUT) or ready again (DELETE). The store's NotFound and BadRequest become 404/400.
 */
async function objectFault(
  target: FaultTarget,
  parts: readonly string[],
  method: string,
  req: IncomingMessage,
): Promise<Record<string, unknown>> {
  const path = `/clusters/${target.name}/${parts.join("/")}`;
  const crash = parts[0] === "pods" && parts.length === 4 && parts[3] === "crash-loop";
  const notReady = parts[0] === "nodes" && parts.length === 3 && parts[2] === "not-ready";
  if (!crash && !notReady)
    throw new AdminRequestError(
      404,
      `no such endpoint ${path}; expected pods/<namespace>/<pod>/crash-loop or nodes/<node>/not-ready`,
    );
  if (method !== "PUT" && method !== "DELETE") throw methodNotAllowed(method, path, ["PUT", "DELETE"]);
  try {
    if (notReady) {
      target.setNodeReady(parts[1]!, method === "DELETE");
      return { node: parts[1], ready: method === "DELETE" };
    }
    const [, namespace, pod] = parts as [string, string, string];
    if (method === "DELETE") {
      const body = (await readJson(req)) as { container?: unknown } | undefined;
      const container = typeof body?.container === "string" ? body.container : undefined;
      return {
        fixed: target.crashLoops.stop(namespace, pod, container),
        crashLooping: target.crashLoops.list(),
      };
    }
    const body = ((await readJson(req)) ?? {}) as { container?: unknown; intervalMs?: unknown };
    if (body.container !== undefined && typeof body.container !== "string")
      throw new AdminRequestError(400, "container must be a container name");
    if (
      body.intervalMs !== undefined &&
      (typeof body.intervalMs !== "number" || !(body.intervalMs >= 50 && body.intervalMs <= 600_000))
    )
      throw new AdminRequestError(400, "intervalMs must be a number of milliseconds between 50 and 600000");
    target.crashLoops.start(namespace, pod, body.container, body.intervalMs);
    return { crashLooping: target.crashLoops.list() };
  } catch (error) {
    if (error instanceof StatusError)
      throw new AdminRequestError(error.code === 404 ? 404 : 400, error.message);
    throw error;
  }
}

export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const byName = new Map(options.clusters.map((c) => [c.name, c]));

  const cluster = (name: string): FaultTarget => {
    const c = byName.get(name);
    if (!c) throw new AdminRequestError(404, `no cluster named "${name}"; GET /clusters lists them`);
    return c;
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://admin").pathname.replace(/\/+$/, "") || "/";
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);

    if (path === "/") {
      return send(res, 200, {
        endpoints: [
          "GET /clusters",
          "GET /clusters/<name>",
          "PUT|PATCH|DELETE /clusters/<name>/faults",
          ...CLUSTER_ACTIONS.map((a) => `POST /clusters/<name>/${a}`),
          "GET /clusters/<name>/commits?from=R&to=S&resource=pods",
          "PUT|DELETE /clusters/<name>/pods/<namespace>/<pod>/crash-loop",
          "PUT|DELETE /clusters/<name>/nodes/<node>/not-ready",
          "GET|POST /churn",
          "GET /prometheus.yml?interval=15s&label=cluster",
          "GET /targets.json?label=cluster",
        ],
      });
    }
    if (path === "/prometheus.yml") {
      if (method !== "GET") throw methodNotAllowed(method, path, ["GET"]);
      if (!options.scrapeTargets) throw new AdminRequestError(404, "this fleet serves no metrics");
      return sendScrapeConfig(
        res,
        options.scrapeTargets,
        new URL(req.url ?? "/", "http://admin").searchParams,
      );
    }
    if (path === "/targets.json") {
      // Prometheus's http_sd_configs: the same targets for a Prometheus with a config of its own.
      if (method !== "GET") throw methodNotAllowed(method, path, ["GET"]);
      if (!options.scrapeTargets) throw new AdminRequestError(404, "this fleet serves no metrics");
      const query = new URL(req.url ?? "/", "http://admin").searchParams;
      return send(res, 200, scrapeTargetGroups(options.scrapeTargets, { clusterLabel: labelParam(query) }));
    }
    if (path === "/churn") {
      if (method === "GET")
        return send(res, 200, { rate: options.churn.rate, changes: options.churn.changes });
      if (method !== "POST") throw methodNotAllowed(method, path, ["GET", "POST"]);
      options.churn.setRate(parseChurnRate(await readJson(req)));
      return send(res, 200, { rate: options.churn.rate, changes: options.churn.changes });
    }
    if (parts[0] !== "clusters")
      throw new AdminRequestError(404, `no such endpoint ${path}; GET / lists them`);
    if (parts.length === 1) {
      if (method !== "GET") throw methodNotAllowed(method, path, ["GET"]);
      return send(res, 200, { clusters: options.clusters.map(view) });
    }
    const target = cluster(parts[1]!);
    if (parts.length === 2) {
      if (method !== "GET") throw methodNotAllowed(method, path, ["GET"]);
      return send(res, 200, view(target));
    }
    const action = parts.slice(2).join("/");
    if (action === "faults") {
      if (method === "GET") return send(res, 200, target.faults.settings);
      if (method === "DELETE") target.faults.reset();
      else if (method === "PUT") {
        // PUT states the whole fault set: fields left out go back to "no fault".
        const settings = parseFaultSettings(await readJson(req));
        target.faults.reset();
        target.faults.set(settings);
      } else if (method === "PATCH") target.faults.set(parseFaultSettings(await readJson(req)));
      else throw methodNotAllowed(method, path, ["GET", "PUT", "PATCH", "DELETE"]);
      return send(res, 200, view(target));
    }
    if (action === "commits") {
      if (method !== "GET") throw methodNotAllowed(method, path, ["GET"]);
      return send(res, 200, commits(target, new URL(req.url ?? "/", "http://admin").searchParams));
    }
    if (parts[2] === "pods" || parts[2] === "nodes")
      return send(res, 200, { ...view(target), ...(await objectFault(target, parts.slice(2), method, req)) });
    if (!(CLUSTER_ACTIONS as readonly string[]).includes(action)) {
      throw new AdminRequestError(
        404,
        `no such cluster endpoint "${action}"; expected faults, commits, ${CLUSTER_ACTIONS.join(", ")}`,
      );
    }
    if (method !== "POST") throw methodNotAllowed(method, path, ["POST"]);
    let extra: Record<string, unknown> = {};
    switch (action) {
      case "down":
        await target.goDown();
        break;
      case "up":
        await target.comeBack();
        break;
      case "drop-watches":
        extra = { dropped: target.dropWatches() };
        break;
      case "expire-history":
        target.expireHistory();
        break;
      case "rotate-certificate": {
        const newCa = parseRotation(await readJson(req));
        await target.rotateCertificate(newCa);
        if (newCa) await options.onCaRotated?.();
        extra = { rotated: newCa ? "ca-and-certificate" : "certificate" };
        break;
      }
      case "untrusted-certificate":
        await target.serveUntrustedCertificate();
        break;
    }
    return send(res, 200, { ...view(target), ...extra });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof AdminRequestError) {
        send(
          res,
          error.status,
          { error: error.message, status: error.status },
          error.allow ? { Allow: error.allow } : {},
        );
      } else {
        send(res, 500, { error: `internal error: ${(error as Error).message}`, status: 500 });
      }
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port ?? 0, host: "127.0.0.1" }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address && typeof address === "object" ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
