/**
 * Operations the HTTP endpoint cannot run are the caller's mistake, answered 400 BAD_REQUEST with
 * a message saying what the API offers. Left to execution, graphql-js reports a mutation on a
 * schema without mutations as a server fault ("Schema is not configured to execute mutation
 * operation", INTERNAL_SERVER_ERROR), and graphql-jit refuses to compile it at all.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, OperationTypeNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";

/** Why `operation` cannot run over HTTP against `schema`, or undefined when it can. */
export function unsupportedOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): GraphQLError | undefined {
  if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
    // A POST answers once; a subscription needs a socket.
    return badRequest(
      "subscriptions are not served over HTTP POST: open a WebSocket to this same URL with a " +
        "graphql-ws client (protocol graphql-transport-ws) and subscribe there",
      operation,
    );
  }
  if (operation.operation === OperationTypeNode.MUTATION && !schema.getMutationType()) {
    return badRequest(
      "this API has no mutations yet: it is read-only for now; send a query instead",
      operation,
    );
  }
  return undefined;
}

function badRequest(message: string, operation: OperationDefinitionNode): GraphQLError {
  return new GraphQLError(message, {
    nodes: operation,
    // Apollo takes the HTTP status from `extensions.http` and drops it from the answer.
    extensions: { code: "BAD_REQUEST", http: { status: 400 } },
  });
}

/**
 * Refuses unsupported operations once Apollo has picked the operation, before the limits are
 * measured or anything runs. List it first: Apollo answers the first plugin that throws.
 */
export function operationSupportPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ schema, operation }) {
          // No operation: Apollo answers the executor's OPERATION_RESOLUTION_FAILURE (400).
          const refusal = operation && unsupportedOperation(schema, operation);
          if (refusal) throw refusal;
          return Promise.resolve();
        },
      });
    },
  };
}
