/**
 * A cluster's metrics endpoint: plain HTTP on 127.0.0.1, its own port, `GET /metrics`. One port
 * per cluster makes each cluster one ordinary scrape target, so a Prometheus scrape config gives
 * it its `cluster` label the usual way (a target label), and the exporter never names the
 * cluster itself — as with a real cluster's exporters.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { EXPOSITION_CONTENT_TYPE } from "./exposition.js";

export interface Scrapeable {
  scrape(): string;
}

export class MetricsServer {
  private readonly server: Server;
  private boundPort = 0;

  constructor(private readonly source: Scrapeable) {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 65_000;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}/metrics`;
  }

  listen(port = 0): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ port, host: "127.0.0.1" }, () => {
        this.server.off("error", reject);
        const address = this.server.address();
        if (address && typeof address === "object") this.boundPort = address.port;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (path !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found: try /metrics\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" }).end("method not allowed\n");
      return;
    }
    let body: string;
    try {
      body = this.source.scrape();
    } catch (error) {
      res.writeHead(500, { "Content-Type": "text/plain" }).end(`scrape failed: ${String(error)}\n`);
      return;
    }
    res.writeHead(200, {
      "Content-Type": EXPOSITION_CONTENT_TYPE,
      "Content-Length": Buffer.byteLength(body),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  }
}
