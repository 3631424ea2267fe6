/** Runs the depth and cost limits on every HTTP operation once it is parsed and validated. */
import { requestLogger } from "../telemetry/request-scope.js";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "pino";
import { LimitCache, type CostModel, type QueryLimits } from "../limits/index.js";

export interface LimitsPluginOptions {
  /** Read per request, so a config reload changes the limits without a restart. */
  limits: () => QueryLimits;
  model: CostModel;
  /**
   * Keeps each operation's measures, so a document sent again is not walked again. Default: a
   * cache of the plugin's own; pass one to call its forget() when the fleet changes.
   */
  cache?: LimitCache;
  logger?: Logger;
}

export function queryLimitsPlugin<C extends object>(options: LimitsPluginOptions): ApolloServerPlugin<C> {
  const cache = options.cache ?? new LimitCache();
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ schema, document, operation, request, operationName }) {
          const outcome = cache.check(
            { schema, document, operation, variables: request.variables },
            options.limits(),
            options.model,
          );
          // Apollo answers a GraphQLError thrown here as the response, with its extensions.
          if (outcome instanceof Error) {
            if (options.logger)
              requestLogger(options.logger).debug(
                { operationName, error: outcome.message },
                "query over limits",
              );
            throw outcome;
          }
          options.logger?.trace({ operationName, ...outcome }, "query measured");
          return Promise.resolve();
        },
      });
    },
  };
}
