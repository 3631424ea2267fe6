/**
 * Writes schema/schema.graphql (the committed SDL) from the code: `npm run schema:print`.
 * A unit test fails when the committed file and the code disagree.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { buildFleetgraphSchema, printFleetgraphSchema } from "./schema.js";

const target = resolve(process.argv[2] ?? "schema/schema.graphql");
await writeFile(target, printFleetgraphSchema(await buildFleetgraphSchema()));
console.log(`wrote ${target}`);
