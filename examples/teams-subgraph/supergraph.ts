/**
 * The supergraph of Fleetgraph and the teams subgraph, composed with The Guild's
 * federation-composition from each subgraph's `_service { sdl }` (router.ts serves it).
 */
import { composeServices } from "@theguild/federation-composition";
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
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, typeDefs: parse(s.sdl), url: s.url })),
  );
  if (result.errors)
    throw new Error(`composition failed:\n${result.errors.map((e) => e.message).join("\n")}`);
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
  if (typeof sdl !== "string")
    throw new Error(`${url} answered no _service.sdl: ${JSON.stringify(body.errors)}`);
  return sdl;
}
