/**
 * The shape of an operation, measured in one validation pass: how deep it nests (graphql-armor's
 * max-depth: fragments flattened, introspection's `__schema` not counted) and how many aliases it
 * uses (graphql-armor's max-aliases: through fragments, `__typename` free), plus how many root
 * fields it asks for. The rules run with no limit of their own and only report: the gateway
 * judges, so its errors carry its codes and say by how much an operation is over.
 */
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import {
  Kind,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

export interface QueryShape {
  /** The deepest operation's depth; 0 for a document without operations. */
  depth: number;
  /** The most aliases of one operation. */
  aliases: number;
  /** The most root fields of one operation (each alias of a field counts). */
  rootFields: number;
}

export function queryShape(schema: GraphQLSchema, document: DocumentNode): QueryShape {
  const shape: QueryShape = { depth: 0, aliases: 0, rootFields: rootFieldCount(document) };
  const unlimited = Number.MAX_SAFE_INTEGER;
  const depth = maxDepthRule({
    n: unlimited,
    flattenFragments: true,
    ignoreIntrospection: true,
    onAccept: [(_context, details: { n: number }) => void (shape.depth = Math.max(shape.depth, details.n))],
  });
  const aliases = maxAliasesRule({
    n: unlimited,
    onAccept: [
      (_context, details: { n: number }) => void (shape.aliases = Math.max(shape.aliases, details.n)),
    ],
  });
  validate(schema, document, [depth, aliases]);
  return shape;
}

/** Root fields per operation, fragments and inline fragments at the root followed (each once). */
function rootFieldCount(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let most = 0;
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    most = Math.max(most, countFields(d.selectionSet, fragments, new Set()));
  }
  return most;
}

function countFields(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visited: Set<string>,
): number {
  let count = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== "__typename") count++;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countFields(selection.selectionSet, fragments, visited);
    } else {
      // A fragment spread twice at the root selects the same fields: graphql-js merges them.
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visited.has(name)) continue;
      visited.add(name);
      count += countFields(fragment.selectionSet, fragments, visited);
    }
  }
  return count;
}
