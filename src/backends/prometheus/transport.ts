/**
 * Form-encoded POSTs and GETs to one Prometheus (or Alertmanager; JSON POSTs and DELETEs for its silences) over node:http(s) with a keep-alive agent, TLS as the
 * config resolved it (CA, client certificate, insecureSkipVerify), and basic auth when the URL
 * carries `user:password@`. It only moves bytes: what an answer means is the client's to decide.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from "node:https";
import type { ClusterTls } from "../../config/index.js";

export interface Answer {
  status: number;
  body: string;
}

export class PrometheusTransport {
  /** The base URL without credentials: what errors and logs may show. */
  readonly backend: string;
  private readonly base: URL;
  private readonly secure: boolean;
  private readonly basicAuth: string | undefined;
  private readonly agent: HttpAgent;

  constructor(url: string, tls: ClusterTls, maxSockets: number) {
    this.base = new URL(url);
    this.secure = this.base.protocol === "https:";
    this.basicAuth =
      this.base.username === ""
        ? undefined
        : `${decodeURIComponent(this.base.username)}:${decodeURIComponent(this.base.password)}`;
    this.backend = `${this.base.origin}${this.base.pathname.replace(/\/+$/, "")}`;
    // Every request passes the client's concurrency limit first, so that many sockets suffice.
    const common = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
    this.agent = this.secure
      ? new HttpsAgent({
          ...common,
          ...(tls.caData !== undefined ? { ca: tls.caData } : {}),
          ...(tls.certData !== undefined ? { cert: tls.certData } : {}),
          ...(tls.keyData !== undefined ? { key: tls.keyData } : {}),
          rejectUnauthorized: !tls.insecureSkipVerify,
        })
      : new HttpAgent(common);
  }

  /** POSTs `form` to `path` (below the base URL's prefix); resolves with any HTTP answer. */
  post(
    path: string,
    form: URLSearchParams,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Answer> {
    const body = form.toString();
    return this.send(
      "POST",
      path,
      body,
      {
        ...headers,
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": String(Buffer.byteLength(body)),
      },
      signal,
    );
  }

  /**
   * GETs `path` with `query` (endpoints that take no POST: Prometheus's rules and alerts,
   * Alertmanager's API v2); resolves with any HTTP answer.
   */
  get(
    path: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Answer> {
    const search = query.toString();
    return this.send("GET", search === "" ? path : `${path}?${search}`, undefined, headers, signal);
  }

  /** POSTs a JSON body (Alertmanager's API v2 writes: silences); resolves with any HTTP answer. */
  postJson(
    path: string,
    body: unknown,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Answer> {
    const text = JSON.stringify(body);
    return this.send(
      "POST",
      path,
      text,
      {
        ...headers,
        "Content-Type": "application/json",
        "Content-Length": String(Buffer.byteLength(text)),
      },
      signal,
    );
  }

  /** DELETEs `path` (Alertmanager's expiry of a silence); resolves with any HTTP answer. */
  delete(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Answer> {
    return this.send("DELETE", path, undefined, headers, signal);
  }

  private send(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Answer> {
    const options: RequestOptions = {
      protocol: this.base.protocol,
      hostname: this.base.hostname,
      port: this.base.port,
      path: this.backend.slice(this.base.origin.length) + path,
      method,
      headers: { ...headers, Accept: "application/json" },
      agent: this.agent,
      signal,
      ...(this.basicAuth !== undefined ? { auth: this.basicAuth } : {}),
    };
    return new Promise<Answer>((resolve, reject) => {
      const req = (this.secure ? httpsRequest : httpRequest)(options, (res) => {
        readBody(res).then((text) => resolve({ status: res.statusCode ?? 0, body: text }), reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  /** Destroys the idle keep-alive sockets; requests in flight fail as unreachable. */
  close(): void {
    this.agent.destroy();
  }
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    // Node's agent keeps a keep-alive socket's first request (and its listeners) reachable for
    // the socket's life: the chunks must not be, so they are dropped once the answer is settled.
    let chunks: Buffer[] = [];
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      chunks = [];
      resolve(text);
    });
    res.on("error", (error) => {
      chunks = [];
      reject(error);
    });
    res.on("close", () => {
      if (res.complete) return;
      chunks = [];
      reject(
        Object.assign(new Error("the connection closed before the answer ended"), { code: "ECONNRESET" }),
      );
    });
  });
}
