/**
 * The supergraph of Fleetgraph and the teams subgraph: composed with The Guild's
 * federation-composition, served by Hive Gateway's runtime (a Federation 2 router) over node:http.
 * The router forwards the client's Authorization header to every subgraph: Fleetgraph checks the
 * token itself and answers with what that caller may read.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { composeServices } from "@theguild/federation-composition";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";
import { parse } from "graphql";

export interface SubgraphSource {
  name: string;
  /** Its `_service { sdl }`. */
  sdl: string;
  /** Where the router sends its queries. */
  url: string;
}

/** Throws with every composition error when the subgraphs do not compose. */
export function composeSupergraph(subgraphs: readonly SubgraphSource[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, typeDefs: parse(s.sdl), url: s.url })));
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join("\n")}`);
  return result.supergraphSdl;
}

/** A subgraph's SDL as the federation spec serves it: `{ _service { sdl } }`. */
export async function fetchSubgraphSdl(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: "{ _service { sdl } }" }),
  });
  const body = (await response.json()) as { data?: { _service?: { sdl?: string } }; errors?: unknown };
  const sdl = body.data?._service?.sdl;
  if (typeof sdl !== "string") throw new Error(`${url} answered no _service.sdl: ${JSON.stringify(body.errors)}`);
  return sdl;
}

/** The headers the router forwards from the client to every subgraph. */
export const FORWARDED_HEADERS = ["authorization", "x-request-id"] as const;

export interface RunningRouter {
  /** http://host:port/graphql */
  url: string;
  stop(): Promise<void>;
}

export async function startRouter(options: { supergraph: string; port?: number; host?: string }): Promise<RunningRouter> {
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
  const server = createServer(runtime);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
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
