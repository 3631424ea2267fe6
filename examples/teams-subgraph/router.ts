/**
 * A Federation 2 router over a composed supergraph: Hive Gateway's runtime on node:http. It
 * forwards the client's Authorization header to the Fleetgraph subgraph only, which checks the
 * token itself and answers with what that caller may read; the request id goes to every subgraph
 * (docs/federation.md).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";

/** The name the supergraph gives Fleetgraph (main.ts and the tests compose it under this name). */
export const FLEETGRAPH_SUBGRAPH = "fleetgraph";

/** The headers the router forwards from the client to every subgraph. */
export const FORWARDED_HEADERS = ["x-request-id"] as const;

/**
 * The headers forwarded to Fleetgraph only: a Fleetgraph token is a credential for Fleetgraph, and
 * any other subgraph that received it could replay it to Fleetgraph as the user.
 */
export const FLEETGRAPH_ONLY_HEADERS = ["authorization"] as const;

/** What the router sends `subgraph` of the client's headers. */
export function forwardedHeaders(
  subgraph: string,
  headers: { get(name: string): string | null },
): Record<string, string> {
  const names =
    subgraph === FLEETGRAPH_SUBGRAPH ? [...FORWARDED_HEADERS, ...FLEETGRAPH_ONLY_HEADERS] : FORWARDED_HEADERS;
  const forwarded: Record<string, string> = {};
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) forwarded[name] = value;
  }
  return forwarded;
}

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
      fromClientToSubgraphs: ({ request, subgraphName }) => forwardedHeaders(subgraphName, request.headers),
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
