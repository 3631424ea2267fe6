/**
 * A local HTTP receiver for outgoing webhooks: records every request (headers and JSON body) and
 * answers the first `failFirst` of them with `failStatus`, the rest 200.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The status it was answered with. */
  status: number;
}

export interface HttpReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Requests answered 2xx. */
  accepted(): ReceivedRequest[];
  /** Answer the next `count` requests with `status` (default 503). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startHttpReceiver(path = "/hook"): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  let failing = 0;
  let failStatus = 503;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const status = failing > 0 ? failStatus : 200;
      if (failing > 0) failing--;
      requests.push({
        path: req.url ?? "",
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
        status,
      });
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "unavailable");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    accepted: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    failNext(count, status = 503) {
      failing = count;
      failStatus = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
