/**
 * docs/clients.md's operations match the schema: every `graphql` block, every operation inside
 * its JavaScript and TypeScript snippets, and the queries of its curl lines are validated against
 * schema/schema.graphql, so a renamed field breaks this test rather than a reader's client.
 */
import { readFile } from "node:fs/promises";
import { buildSchema, parse, validate, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";

const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), "utf8");

let schema: GraphQLSchema;
let doc: string;

beforeAll(async () => {
  schema = buildSchema(await read("schema/schema.graphql"));
  doc = await read("docs/clients.md");
});

function fenced(markdown: string, languages: string[]): string[] {
  const fence = new RegExp("```(" + languages.join("|") + ")\\n([\\s\\S]*?)```", "g");
  return [...markdown.matchAll(fence)].map((m) => m[2]!);
}

/** The operations a snippet holds as template literals (graphql(`…`), query: `…`). */
function templateOperations(code: string): string[] {
  return [...code.matchAll(/`\s*((?:query|mutation|subscription)\b[^`]*)`/g)].map((m) => m[1]!);
}

/** The operations of curl lines: a JSON body's "query", or a GET's ?query=. */
function curlOperations(sh: string): string[] {
  const posted = [...sh.matchAll(/-d '(\{"query".*?\})'/g)].map(
    (m) => (JSON.parse(m[1]!) as { query: string }).query,
  );
  const got = [...sh.matchAll(/\?query=([^']+)'/g)].map((m) => m[1]!);
  return [...posted, ...got];
}

function problems(operation: string): string[] {
  return validate(schema, parse(operation)).map((e) => e.message);
}

describe("docs/clients.md", () => {
  it("every graphql block validates against the schema", () => {
    const blocks = fenced(doc, ["graphql"]);
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    for (const block of blocks) expect(problems(block), block).toEqual([]);
  });

  it("every operation in the JavaScript and TypeScript snippets validates", () => {
    const operations = fenced(doc, ["js", "ts"]).flatMap(templateOperations);
    expect(operations.length).toBeGreaterThanOrEqual(2);
    for (const operation of operations) expect(problems(operation), operation).toEqual([]);
  });

  it("every curl query validates", () => {
    const operations = fenced(doc, ["sh"]).flatMap(curlOperations);
    expect(operations.length).toBeGreaterThanOrEqual(2);
    for (const operation of operations) expect(problems(operation), operation).toEqual([]);
  });
});
