/**
 * An Apollo plugin: each GraphQL operation into the request metrics (by operation name, type
 * and outcome, with its duration), each mutation field into the mutation counter, and the
 * operation's name, type and outcome onto the request's span (request-telemetry.ts started it).
 */
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from "@apollo/server";
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { Kind, OperationTypeNode, type GraphQLFormattedError, type OperationDefinitionNode } from "graphql";
import { BoundedNames } from "./bounded-names.js";
import type { GatewayMetrics } from "./gateway-metrics.js";

export type Outcome = "ok" | "partial" | "errors";

export const ATTR_OPERATION_NAME = "graphql.operation.name";
export const ATTR_OPERATION_TYPE = "graphql.operation.type";
export const ATTR_OUTCOME = "fleetgraph.outcome";

export function operationTelemetry<C extends BaseContext>(
  metrics: GatewayMetrics,
  names = new BoundedNames(),
): ApolloServerPlugin<C> {
  return {
    requestDidStart() {
      const startedAt = performance.now();
      return Promise.resolve({
        willSendResponse(rc) {
          const { errors, hasData } = resultOf(rc);
          const outcome: Outcome = !errors?.length ? "ok" : hasData ? "partial" : "errors";
          const type = rc.operation?.operation ?? "unknown";
          const operation = names.label(rc.operationName ?? rc.request.operationName ?? documentName(rc));
          metrics.graphqlRequests.inc({ operation, type, outcome });
          metrics.graphqlDuration.observe({ operation, type }, (performance.now() - startedAt) / 1000);
          if (rc.operation?.operation === OperationTypeNode.MUTATION)
            countMutations(metrics, rc.operation, errors, hasData);
          const span = trace.getActiveSpan();
          if (span) {
            span.updateName(`${type} ${operation}`);
            span.setAttributes({
              [ATTR_OPERATION_NAME]: operation,
              [ATTR_OPERATION_TYPE]: type,
              [ATTR_OUTCOME]: outcome,
            });
            if (outcome !== "ok") span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
          }
          return Promise.resolve();
        },
      });
    },
  };
}

function resultOf<C extends BaseContext>(
  rc: GraphQLRequestContextWillSendResponse<C>,
): { errors: readonly GraphQLFormattedError[] | undefined; hasData: boolean } {
  const body = rc.response.body;
  if (body.kind !== "single") return { errors: undefined, hasData: true };
  const result = body.singleResult;
  return { errors: result.errors, hasData: result.data !== undefined && result.data !== null };
}

/** One count per root field: failed when an error's path starts at its response key, or no data came back. */
function countMutations(
  metrics: GatewayMetrics,
  operation: OperationDefinitionNode,
  errors: readonly GraphQLFormattedError[] | undefined,
  hasData: boolean,
): void {
  const failed = new Set(errors?.map((e) => e.path?.[0]).filter((key) => key !== undefined));
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value.startsWith("__")) continue;
    const key = selection.alias?.value ?? selection.name.value;
    metrics.mutations.inc({
      operation: selection.name.value,
      status: !hasData || failed.has(key) ? "failed" : "ok",
    });
  }
}

/** The name of a parsed document's only operation: a request refused at validation has no other. */
function documentName<C extends BaseContext>(
  rc: GraphQLRequestContextWillSendResponse<C>,
): string | undefined {
  const definitions = rc.document?.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return definitions?.length === 1 ? (definitions[0] as OperationDefinitionNode).name?.value : undefined;
}
