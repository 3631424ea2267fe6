/**
 * How deep a query nests its selections, measured by graphql-armor's max-depth rule (fragments
 * flattened, so `...F` adds no level of its own, and introspection's `__schema` not counted).
 * The rule is run with no limit of its own and only reports the depth: the gateway judges it,
 * so the error can carry the gateway's code and say by how much the query is over.
 */
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { validate, type DocumentNode, type GraphQLSchema } from "graphql";

/** The deepest operation of `document`; 0 for a document without operations. */
export function queryDepth(schema: GraphQLSchema, document: DocumentNode): number {
  let deepest = 0;
  const rule = maxDepthRule({
    n: Number.MAX_SAFE_INTEGER,
    flattenFragments: true,
    ignoreIntrospection: true,
    onAccept: [
      (_context, details: { n: number }) => {
        deepest = Math.max(deepest, details.n);
      },
    ],
  });
  validate(schema, document, [rule]);
  return deepest;
}
