/**
 * A TCP proxy in front of a real server (Redis, say) that a test can cut and restore: `cut`
 * stops listening and resets every proxied connection, as a network partition or a crashed
 * server would; `restore` listens again on the same port. `stall` keeps every connection open but
 * forwards nothing more, as a server that hangs would (its clients stay connected and wait).
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  cut(): Promise<void>;
  stall(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(
  target: { host: string; port: number },
  scheme = "tcp",
): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const pipes: [Socket, Socket][] = [];

  const listen = async (): Promise<void> => {
    const next = createServer((client) => {
      const upstream = createConnection(target);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.once("close", () => sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
      pipes.push([client, upstream]);
      client.once("close", () => upstream.destroy());
      upstream.once("close", () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      next.once("error", reject);
      next.listen({ port, host: "127.0.0.1" }, () => resolve());
    });
    const address = next.address();
    if (address && typeof address === "object") port = address.port;
    server = next;
  };

  const cut = async (): Promise<void> => {
    const closing = server;
    server = undefined;
    for (const s of sockets) s.resetAndDestroy();
    sockets.clear();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  // Unpiped sockets buffer what arrives and forward nothing: the connections stay up, unanswered.
  const stall = (): void => {
    for (const [client, upstream] of pipes) {
      client.unpipe(upstream);
      upstream.unpipe(client);
    }
  };

  await listen();
  return {
    get port() {
      return port;
    },
    get url() {
      return `${scheme}://127.0.0.1:${port}`;
    },
    cut,
    stall,
    restore: () => (server ? Promise.resolve() : listen()),
    close: cut,
  };
}
