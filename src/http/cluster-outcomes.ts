/**
 * Per-cluster problems of a request (a cluster down, slow, forbidden, not yet synced) become
 * GraphQL errors beside the data, one per (cluster, code), so a client can tell a complete answer
 * from a partial or stale one and which cluster to blame. One cluster never fails the query.
 * Warnings (a filter naming an unknown cluster) go to the response's `extensions.warnings`.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import type { ClusterOutcome } from "../query-service/index.js";
import type { RequestContext } from "../request/context.js";
import { withoutAddresses } from "./error-masking.js";

/** `hideAddresses`: production mode, where every tenant reads the message (docs/security.md). */
export function clusterOutcomeError(outcome: ClusterOutcome, hideAddresses = false): GraphQLFormattedError {
  const hint = outcome.retryable ? " (retry later)" : "";
  return {
    message: `${hideAddresses ? withoutAddresses(outcome.message) : outcome.message}${hint}`,
    extensions: {
      code: outcome.code,
      cluster: outcome.cluster,
      retryable: outcome.retryable,
      ...(outcome.source ? { source: outcome.source } : {}),
      ...(outcome.retryAfterSeconds !== undefined ? { retryAfterSeconds: outcome.retryAfterSeconds } : {}),
    },
  };
}

export function clusterOutcomesPlugin(hideAddresses = false): ApolloServerPlugin<RequestContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ contextValue, response }) {
          const outcomes = contextValue.outcomes.list();
          const warnings = contextValue.outcomes.listWarnings();
          const body = response.body;
          if (warnings.length > 0) {
            const result = body.kind === "single" ? body.singleResult : body.initialResult;
            result.extensions = { ...result.extensions, warnings };
          }
          if (outcomes.length === 0) return Promise.resolve();
          const added = outcomes.map((outcome) => clusterOutcomeError(outcome, hideAddresses));
          if (body.kind === "single") {
            body.singleResult.errors = [...(body.singleResult.errors ?? []), ...added];
          } else {
            body.initialResult.errors = [...(body.initialResult.errors ?? []), ...added];
          }
          return Promise.resolve();
        },
      });
    },
  };
}
