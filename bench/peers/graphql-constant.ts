/**
 * Peer `graphql-constant`: the gateway's own schema (schema/schema.graphql) executed by graphql-js
 * over a constant answer — the gateway's answer to the same operation, captured once by the
 * harness. The same document is parsed, validated, executed and serialized, but nothing is looked
 * up: the ceiling of GraphQL throughput on this machine for that operation.
 *
 *   node dist/bench/peers/graphql-constant.js <port> <constant data JSON file>
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema } from "graphql";
import { ROOT } from "../processes/child.js";
import { serveGraphQL } from "./graphql-http.js";

const [port = "0", dataFile] = process.argv.slice(2);
if (!dataFile) {
  process.stderr.write("usage: graphql-constant <port> <data.json>\n");
  process.exit(2);
}
const schema = buildSchema(readFileSync(join(ROOT, "schema/schema.graphql"), "utf8"));
// Interface-typed values carry __typename (the harness's documents select it), which graphql-js's
// default type resolver reads; every other field is a plain property of the constant.
const rootValue: unknown = JSON.parse(readFileSync(dataFile, "utf8"));
await serveGraphQL({ schema, rootValue, port: Number(port) });
