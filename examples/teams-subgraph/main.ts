/**
 * Runs the example: the teams subgraph, the supergraph composed from it and a running Fleetgraph
 * subgraph (`fleetgraph serve --subgraph`), and a router in front of both.
 *
 *   FLEETGRAPH_TOKEN=<a bearer token> node examples/teams-subgraph/main.ts \
 *     --fleetgraph http://localhost:4000/graphql [--port 4100] [--supergraph-out supergraph.graphql]
 *     [--fleetgraph-sdl schema/subgraph.graphql]
 *
 * The token is used once, to read Fleetgraph's `_service { sdl }` (every request to the gateway
 * is authenticated); clients then send their own tokens to the router, which forwards them to Fleetgraph only.
 * A gateway in production mode does not serve `_service`: `--fleetgraph-sdl` composes from the
 * SDL committed with the build instead.
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { FLEETGRAPH_SUBGRAPH, startRouter } from "./router.ts";
import { composeSupergraph, fetchSubgraphSdl } from "./supergraph.ts";
import { startTeamsSubgraph, TEAMS_SDL } from "./teams-subgraph.ts";

const { values } = parseArgs({
  options: {
    fleetgraph: { type: "string" },
    port: { type: "string", default: "4100" },
    "teams-port": { type: "string", default: "0" },
    "supergraph-out": { type: "string" },
    "fleetgraph-sdl": { type: "string" },
  },
});
if (!values.fleetgraph) {
  process.stderr.write(
    "usage: main.ts --fleetgraph http://host:port/graphql [--port N] [--supergraph-out FILE] [--fleetgraph-sdl FILE]\n",
  );
  process.exit(2);
}
const token = process.env.FLEETGRAPH_TOKEN;
const sdl = values["fleetgraph-sdl"]
  ? await readFile(values["fleetgraph-sdl"], "utf8")
  : await fetchSubgraphSdl(values.fleetgraph, token ? { authorization: `Bearer ${token}` } : {});
const teams = await startTeamsSubgraph({ port: Number(values["teams-port"]) });
const supergraph = composeSupergraph([
  { name: FLEETGRAPH_SUBGRAPH, sdl, url: values.fleetgraph },
  { name: "teams", sdl: TEAMS_SDL, url: teams.url },
]);
if (values["supergraph-out"]) await writeFile(values["supergraph-out"], supergraph);
const router = await startRouter({ supergraph, port: Number(values.port) });
console.log(`teams subgraph on ${teams.url}`);
console.log(`router listening on ${router.url}`);

for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.once(signal, () => {
    void Promise.all([router.stop(), teams.stop()]).then(() => process.exit(0));
  });
