/**
 * A recording proxy in front of a real Prometheus: the gateway is pointed at it, and every query
 * it sends (instant or range, with its form parameters) is kept for the test to read before the
 * request goes on, unchanged, to Prometheus — so a test can see exactly what PromQL a request cost.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedQuery {
  /** /api/v1/query or /api/v1/query_range. */
  path: string;
  /** The form's parameters: query, time or start/end/step, timeout. */
  params: Record<string, string>;
}

export interface PrometheusRecorder {
  /** http://127.0.0.1:<port>, to configure as the gateway's Prometheus. */
  readonly url: string;
  /** Every query received so far, oldest first. */
  readonly queries: RecordedQuery[];
  close(): Promise<void>;
}

export async function startPrometheusRecorder(target: string): Promise<PrometheusRecorder> {
  const queries: RecordedQuery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = new URL(req.url ?? "/", "http://recorder").pathname;
      queries.push({ path, params: Object.fromEntries(new URLSearchParams(body)) });
      fetch(`${target}${req.url ?? "/"}`, {
        method: req.method ?? "POST",
        headers: { "content-type": req.headers["content-type"] ?? "application/x-www-form-urlencoded" },
        ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
      }).then(
        async (answer) => {
          const text = await answer.text();
          res.writeHead(answer.status, {
            "content-type": answer.headers.get("content-type") ?? "application/json",
          });
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(502, { "content-type": "text/plain" });
          res.end(`the recorder could not reach ${target}: ${String(error)}`);
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
