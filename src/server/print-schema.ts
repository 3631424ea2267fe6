/**
 * Writes schema/schema.graphql (the committed SDL) and schema/subgraph.graphql (the same schema as
 * a Federation 2 subgraph, docs/federation.md) from the code: `npm run schema:print`.
 * Unit tests fail when the committed files and the code disagree.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  buildFleetgraphSchema,
  buildFleetgraphSubgraph,
  printFleetgraphSchema,
  printFleetgraphSubgraph,
} from "./schema.js";

const schema = await buildFleetgraphSchema();
const target = resolve(process.argv[2] ?? "schema/schema.graphql");
await writeFile(target, printFleetgraphSchema(schema));
console.log(`wrote ${target}`);
const subgraph = resolve(process.argv[3] ?? "schema/subgraph.graphql");
await writeFile(subgraph, printFleetgraphSubgraph(await buildFleetgraphSubgraph(schema)));
console.log(`wrote ${subgraph}`);
