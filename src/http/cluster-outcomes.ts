/**
 * Per-cluster problems of a request (a cluster down, slow, forbidden, not yet synced) become
 * GraphQL errors beside the data, one per (cluster, code), so a client can tell a complete answer
 * from a partial or stale one and which cluster to blame. One cluster never fails the query.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import type { ClusterOutcome, RequestContext } from "../query-service/index.js";

export function clusterOutcomeError(outcome: ClusterOutcome): GraphQLFormattedError {
  const hint = outcome.retryable ? " (retry later)" : "";
  return {
    message: `${outcome.message}${hint}`,
    extensions: { code: outcome.code, cluster: outcome.cluster, retryable: outcome.retryable },
  };
}

export function clusterOutcomesPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ contextValue, response }) {
          const outcomes = contextValue.outcomes.list();
          if (outcomes.length === 0) return Promise.resolve();
          const added = outcomes.map(clusterOutcomeError);
          const body = response.body;
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
