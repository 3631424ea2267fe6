/**
 * Runs the limits on every HTTP operation once it is parsed and validated: depth, aliases, root
 * fields, upstream calls and cost. (Tokens and variables are checked before parsing, by the
 * HTTP handler: a plugin cannot refuse a request before Apollo parses it.)
 */
import { requestLogger } from "../telemetry/request-scope.js";
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLError } from "graphql";
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
  /** Told of each refusal (the refusal counter). */
  refused?: (error: GraphQLError) => void;
  logger?: Logger;
}

export function queryLimitsPlugin<C extends object>(options: LimitsPluginOptions): ApolloServerPlugin<C> {
  const cache = options.cache ?? new LimitCache();
  const refuse = (error: GraphQLError, operationName: string | null | undefined): Promise<void> => {
    options.refused?.(error);
    if (options.logger)
      requestLogger(options.logger).debug({ operationName, error: error.message }, "query over limits");
    return Promise.reject(error);
  };
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
          if (outcome instanceof Error) return refuse(outcome, operationName);
          options.logger?.trace({ operationName, ...outcome }, "query measured");
          return Promise.resolve();
        },
      });
    },
  };
}
