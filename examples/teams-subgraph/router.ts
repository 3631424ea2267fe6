/**
 * A Federation 2 router over a composed supergraph: Hive Gateway's runtime on node:http. It
 * forwards the client's Authorization header (and request id) to every subgraph: Fleetgraph checks
 * the token itself and answers with what that caller may read (docs/federation.md).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";

/** The headers the router forwards from the client to every subgraph. */
export const FORWARDED_HEADERS = ["authorization", "x-request-id"] as const;

export interface RunningRouter {
  /** http://host:port/graphql */
  url: string;
  stop(): Promise<void>;
}

export async function startRouter(options: {
  supergraph: string;
  port?: number;
  host?: string;
}): Promise<RunningRouter> {
  const runtime = createGatewayRuntime({
    supergraph: options.supergraph,
    logging: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => {
        const forwarded: Record<string, string> = {};
        for (const name of FORWARDED_HEADERS) {
          const value = request.headers.get(name);
          if (value !== null) forwarded[name] = value;
        }
        return forwarded;
      },
    },
  });
  // The runtime answers node:http's requests itself (a promise per request, settled by it).
  const server = createServer((req, res) => void runtime(req, res));
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/graphql`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.dispose();
    },
  };
}
