/**
 * The log store's HTTP server: plain HTTP (or HTTPS with given certificates) on 127.0.0.1, speaking
 * Elasticsearch 8's REST API as the official client uses it. Every response carries
 * `X-Elastic-Product: Elasticsearch` (the client refuses a server without it) and answers in the
 * media type the request used (`application/json`, or the client's
 * `application/vnd.elasticsearch+json; compatible-with=8`).
 *
 * Optional basic auth (or an API key) answers 401 `security_exception` with `WWW-Authenticate`
 * as ES does. Fault switches for the gateway's tests: `goDown` / `comeBack` (the listener closes
 * and open sockets are reset, like SimCluster.goDown), and `failNext(status, n)` (the next n
 * requests answer that status with ES's error body).
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { EsError, esErrors } from "./errors.js";
import { LogStore, type LogStoreOptions } from "./log-store.js";
import { route, type ClusterIdentity } from "./rest-routes.js";

export interface LogStoreServerOptions extends LogStoreOptions {
  /** Name of the simulated ES cluster (`cluster_name` in GET /). */
  clusterName?: string;
  /**
   * "opensearch": answer as OpenSearch 2 does — no X-Elastic-Product header, `distribution:
   * opensearch` in GET /, and 406 for Elasticsearch 8's `compatible-with` media types — so the
   * gateway's `flavor: opensearch` can be tested. Default "elasticsearch".
   */
  product?: "elasticsearch" | "opensearch";
  /** Basic auth credentials every request must carry. */
  username?: string;
  password?: string;
  /** An API key (the base64 `id:key` a client sends as `Authorization: ApiKey <key>`), accepted besides basic auth. */
  apiKey?: string;
  /** Serve HTTPS with this certificate and key. */
  tls?: { certPem: string; keyPem: string; caPem?: string };
  port?: number;
}

const JSON_TYPE = "application/json";
const COMPAT_JSON = "application/vnd.elasticsearch+json;compatible-with=8";

export class LogStoreServer {
  readonly store: LogStore;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly identity: ClusterIdentity;
  private boundPort = 0;
  private up = false;
  private failures: { status: number; remaining: number } | undefined;
  private readonly options: LogStoreServerOptions;
  /** Requests served (for tests and figures). */
  requests = 0;

  constructor(options: LogStoreServerOptions = {}) {
    this.options = options;
    this.store = new LogStore(options);
    this.identity = {
      name: "fleetgraph-sim-es-0",
      clusterName: options.clusterName ?? "fleetgraph-sim",
      clusterUuid: randomBytes(16).toString("base64url").slice(0, 22),
      product: options.product ?? "elasticsearch",
    };
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    this.server = options.tls
      ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, handler)
      : createHttpServer(handler);
    this.server.keepAliveTimeout = 65_000;
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `${this.options.tls ? "https" : "http"}://127.0.0.1:${this.boundPort}`;
  }

  get isUp(): boolean {
    return this.up;
  }

  async listen(): Promise<void> {
    if (this.up) return;
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ port: this.boundPort || this.options.port || 0, host: "127.0.0.1" }, () => {
        this.server.off("error", reject);
        const address = this.server.address();
        if (address && typeof address === "object") this.boundPort = address.port;
        this.up = true;
        resolve();
      });
    });
  }

  /** Unreachable: no listener (ECONNREFUSED), open connections reset. The data stays. */
  async goDown(): Promise<void> {
    if (!this.up) return;
    this.up = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  /** Listens again on the same port. */
  comeBack(): Promise<void> {
    return this.listen();
  }

  /** The next `count` requests answer `status` (503: cluster_block_exception, 429: es_rejected_execution_exception, others: an internal error). */
  failNext(status: number, count = 1): void {
    this.failures = count > 0 ? { status, remaining: count } : undefined;
  }

  close(): Promise<void> {
    return this.goDown();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      this.requests++;
      const contentType = responseType(req);
      let status: number;
      let body: unknown;
      const headers: Record<string, string> = {};
      try {
        const fault = this.takeFailure();
        if (fault) throw fault;
        this.authenticate(req);
        checkContentType(req, this.identity.product);
        const url = new URL(req.url ?? "/", "http://localhost");
        const segments = url.pathname
          .split("/")
          .filter((s) => s !== "")
          .map((s) => decodeURIComponent(s));
        const answer = route(this.store, this.identity, {
          method: req.method ?? "GET",
          segments,
          params: url.searchParams,
          body: Buffer.concat(chunks).toString("utf8"),
          path: url.pathname,
        });
        status = answer.status;
        body = answer.body;
      } catch (error) {
        const es =
          error instanceof EsError
            ? error
            : new EsError(500, "exception", error instanceof Error ? error.message : String(error));
        status = es.status;
        Object.assign(headers, es.headers);
        body =
          es.type === "no_handler" || es.type === "method_not_allowed"
            ? { error: es.reason, status: es.status }
            : es.body();
      }
      const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
      res.writeHead(status, {
        ...headers,
        ...(this.identity.product === "elasticsearch" ? { "X-Elastic-Product": "Elasticsearch" } : {}),
        "Content-Type": typeof body === "string" ? "text/plain; charset=UTF-8" : contentType,
        "Content-Length": String(req.method === "HEAD" ? 0 : Buffer.byteLength(text)),
      });
      res.end(req.method === "HEAD" ? undefined : text);
    });
  }

  private takeFailure(): EsError | undefined {
    const f = this.failures;
    if (!f) return undefined;
    if (--f.remaining <= 0) this.failures = undefined;
    return f.status === 503 || f.status === 429
      ? esErrors.unavailable(f.status)
      : new EsError(f.status, "exception", `simulated failure (HTTP ${f.status})`);
  }

  private authenticate(req: IncomingMessage): void {
    const { username, password, apiKey } = this.options;
    if (username === undefined && apiKey === undefined) return;
    const path = (req.url ?? "/").split("?")[0];
    const auth = req.headers.authorization;
    if (!auth) throw esErrors.security(`missing authentication credentials for REST request [${path}]`);
    const [scheme, value = ""] = auth.split(" ", 2);
    if (scheme?.toLowerCase() === "apikey" && apiKey !== undefined) {
      if (same(value, apiKey)) return;
      throw esErrors.security(
        `unable to authenticate with provided credentials and anonymous access is not allowed for this request`,
      );
    }
    if (scheme?.toLowerCase() === "basic" && username !== undefined) {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const user = colon < 0 ? decoded : decoded.slice(0, colon);
      const pass = colon < 0 ? "" : decoded.slice(colon + 1);
      if (same(user, username) && same(pass, password ?? "")) return;
      throw esErrors.security(`unable to authenticate user [${user}] for REST request [${path}]`);
    }
    throw esErrors.security(`missing authentication credentials for REST request [${path}]`);
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** ES answers in the media type family the request used (OpenSearch refused the other family already). */
function responseType(req: IncomingMessage): string {
  const accept = `${req.headers.accept ?? ""} ${req.headers["content-type"] ?? ""}`;
  return accept.includes("vnd.elasticsearch+") ? COMPAT_JSON : JSON_TYPE;
}

function checkContentType(req: IncomingMessage, product: "elasticsearch" | "opensearch"): void {
  const type = req.headers["content-type"];
  if (!type) return;
  const base = type.split(";")[0]!.trim().toLowerCase();
  // OpenSearch knows only the plain JSON types: an Elasticsearch 8 client's request is refused.
  if (product === "opensearch" && base.startsWith("application/vnd.elasticsearch+"))
    throw new EsError(406, "no_handler", `Content-Type header [${type}] is not supported`);
  const ok = [
    "application/json",
    "application/x-ndjson",
    "application/vnd.elasticsearch+json",
    "application/vnd.elasticsearch+x-ndjson",
  ].includes(base);
  if (!ok) throw new EsError(406, "no_handler", `Content-Type header [${type}] is not supported`);
  const compat = /compatible-with=(\d+)/.exec(type)?.[1];
  if (compat !== undefined && compat !== "8" && compat !== "7") {
    throw new EsError(
      400,
      "media_type_header_exception",
      `Invalid media-type value on headers [Content-Type]`,
      {
        causedBy: new EsError(
          400,
          "status_exception",
          `A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version and the compatible versions must match. Accept=null, Content-Type=${compat}`,
        ),
      },
    );
  }
}
