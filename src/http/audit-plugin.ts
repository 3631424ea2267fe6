/**
 * Authorisation denials of GraphQL operations into the audit trail: one event per (code, cluster)
 * a response refuses — FORBIDDEN errors (a field or argument the caller may not use, a policy
 * refusal) and CLUSTER_FORBIDDEN outcomes (a cluster's own RBAC refused an impersonated call) —
 * recorded before the response is sent. Also names the operation in the request's audit binding,
 * so events recorded by resolvers carry `graphqlOperation`.
 */
import { requestLogger } from "../telemetry/request-scope.js";
import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, type GraphQLFormattedError, type OperationDefinitionNode } from "graphql";
import type { Logger } from "pino";
import type { AuditAction } from "../audit/event.js";
import type { RequestContext } from "../request/context.js";

const DENIAL_CODES = new Set(["FORBIDDEN", "CLUSTER_FORBIDDEN"]);

export function auditPlugin(logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    requestDidStart() {
      let operation = "graphql";
      return Promise.resolve({
        didResolveOperation({ contextValue, operation: op, operationName }) {
          operation = operationOf(op);
          if (operationName) contextValue.audit.describe({ graphqlOperation: operationName });
          return Promise.resolve();
        },
        async willSendResponse({ contextValue, response }) {
          const body = response.body;
          const errors = (body.kind === "single" ? body.singleResult : body.initialResult).errors ?? [];
          const denials = new Map<string, AuditAction>();
          for (const error of errors) {
            const denial = denialOf(error, operation);
            if (denial) denials.set(`${denial.reason}\u0000${denial.cluster ?? ""}`, denial);
          }
          if (denials.size === 0) return;
          try {
            await Promise.all([...denials.values()].map((d) => contextValue.audit.record(d)));
          } catch (error) {
            // The refusal stands either way; the trail has logged the event it could not keep.
            requestLogger(logger).error(
              { err: error, operation },
              "authorisation denial not recorded in the audit trail",
            );
          }
        },
      });
    },
  };
}

/** `query.pods`, `mutation.apiTokenCreate+roleBindingCreate`: the type and the root fields asked. */
function operationOf(op: OperationDefinitionNode | undefined): string {
  if (!op) return "graphql";
  const fields = op.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  return `${op.operation}.${fields.length > 0 ? fields.join("+") : "fragment"}`;
}

function denialOf(error: GraphQLFormattedError, operation: string): AuditAction | undefined {
  const code = error.extensions?.code;
  if (typeof code !== "string" || !DENIAL_CODES.has(code)) return undefined;
  const cluster = error.extensions?.cluster;
  const path = error.path?.filter((p) => typeof p === "string").join(".");
  return {
    operation,
    outcome: "denied",
    reason: `${code}: ${error.message}`,
    ...(typeof cluster === "string" ? { cluster } : {}),
    ...(path ? { resource: path } : {}),
  };
}
