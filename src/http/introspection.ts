/**
 * Introspection off (production mode): `__schema`, `__type` and (subgraph mode) `_service` refused with the code
 * INTROSPECTION_DISABLED, over HTTP (an Apollo plugin) and graphql-ws alike. Apollo's own
 * `introspection: false` is a validation rule whose code Apollo overwrites with
 * GRAPHQL_VALIDATION_FAILED and whose message names Apollo's option, not the gateway's.
 * `__typename` stays: clients (Apollo Client's cache among them) add it to every selection.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { BREAK, GraphQLError, visit, type DocumentNode, type FieldNode } from "graphql";

/**
 * The fields that show the schema, and where it is published instead. Federation's
 * `_service { sdl }` (subgraph mode) prints the whole schema as introspection would: off with it.
 */
const INTROSPECTION_FIELDS: ReadonlyMap<string, string> = new Map([
  ["__schema", "schema/schema.graphql"],
  ["__type", "schema/schema.graphql"],
  ["_service", "schema/subgraph.graphql (compose the supergraph from it)"],
]);

/** Why `document` may not run with introspection off, or undefined when it asks for none. */
export function introspectionRefusal(document: DocumentNode): GraphQLError | undefined {
  let field: FieldNode | undefined;
  visit(document, {
    Field(node) {
      if (!INTROSPECTION_FIELDS.has(node.name.value)) return undefined;
      field = node;
      return BREAK;
    },
  });
  if (field === undefined) return undefined;
  return new GraphQLError(
    `introspection is disabled on this gateway (production mode): ${field.name.value} cannot be ` +
      `queried. The schema is published as ${INTROSPECTION_FIELDS.get(field.name.value)}; set production.introspection: ` +
      "true to allow it (docs/configuration.md)",
    { nodes: field, extensions: { code: "INTROSPECTION_DISABLED" } },
  );
}

/** Refuses introspection once Apollo has validated the document, before anything runs. */
export function introspectionOffPlugin<C extends object>(
  /** Told of each refusal (the refusal counter). */
  refused?: (error: GraphQLError) => void,
): ApolloServerPlugin<C> {
  // Apollo keeps one DocumentNode per distinct text: judge each once.
  const judged = new WeakMap<DocumentNode, GraphQLError | undefined>();
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ document }) {
          if (!judged.has(document)) judged.set(document, httpRefusal(introspectionRefusal(document)));
          const refusal = judged.get(document);
          if (refusal) {
            refused?.(refusal);
            throw refusal;
          }
          return Promise.resolve();
        },
      });
    },
  };
}

/** Apollo takes the HTTP status from `extensions.http` (and drops it from the answer). */
function httpRefusal(refusal: GraphQLError | undefined): GraphQLError | undefined {
  if (refusal === undefined) return undefined;
  return new GraphQLError(refusal.message, {
    ...(refusal.nodes ? { nodes: refusal.nodes } : {}),
    extensions: { ...refusal.extensions, http: { status: 400 } },
  });
}
