/**
 * A TCP port free on 127.0.0.1 now, for a child process to listen on (the demo's Prometheus, the
 * benchmark's processes, tests' servers). Another process may take it before the child binds:
 * callers that start a child check it came up.
 */
import { createServer } from "node:net";

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
