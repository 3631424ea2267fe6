/** Runs the depth and cost limits on every HTTP operation once it is parsed and validated. */
import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "pino";
import { checkLimits, type CostModel, type QueryLimits } from "../limits/index.js";

export interface LimitsPluginOptions {
  /** Read per request, so a config reload changes the limits without a restart. */
  limits: () => QueryLimits;
  model: CostModel;
  logger?: Logger;
}

export function queryLimitsPlugin<C extends object>(options: LimitsPluginOptions): ApolloServerPlugin<C> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ schema, document, operation, request, operationName }) {
          const outcome = checkLimits(
            { schema, document, operation, variables: request.variables },
            options.limits(),
            options.model,
          );
          // Apollo answers a GraphQLError thrown here as the response, with its extensions.
          if (outcome instanceof Error) {
            options.logger?.debug({ operationName, error: outcome.message }, "query over limits");
            throw outcome;
          }
          options.logger?.trace({ operationName, ...outcome }, "query measured");
          return Promise.resolve();
        },
      });
    },
  };
}
