/**
 * One Apollo Client for the page: queries over HTTP, subscriptions over graphql-ws, both on this
 * origin's /graphql (the dashboard's server proxies it to the gateway) and both carrying the
 * session's bearer token. Built with VITE_PERSISTED_DOCUMENTS=true, operations are named by their
 * registered hash instead of sent as text (a gateway in trusted-documents mode).
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { OperationTypeNode } from "graphql";
import { createClient } from "graphql-ws";
import { freshAccessToken } from "../auth/session";
import possibleTypes from "../gql/possible-types";
import { persistedDocumentsLink } from "./persisted-documents";

export function createFleetClient(): ApolloClient {
  const http = new HttpLink({ uri: "/graphql" });
  const bearer = new SetContextLink(async (prevContext) => {
    const token = await freshAccessToken();
    return {
      headers: {
        ...(prevContext.headers as Record<string, string> | undefined),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    };
  });

  // The socket authenticates once, in connection_init; a new socket (after a drop) asks for a
  // fresh token again. `lazy`: no socket until the first subscription.
  const ws = new GraphQLWsLink(
    createClient({
      url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
      lazy: true,
      connectionParams: async () => {
        const token = await freshAccessToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
    }),
  );

  const transports = ApolloLink.split(
    ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
    ws,
    bearer.concat(http),
  );
  return new ApolloClient({
    link:
      import.meta.env.VITE_PERSISTED_DOCUMENTS === "true"
        ? persistedDocumentsLink().concat(transports)
        : transports,
    cache: new InMemoryCache({
      // Without the schema's interfaces the cache cannot tell that a Deployment is a Workload,
      // and drops the fields a `... on Workload` fragment asked for.
      possibleTypes: possibleTypes.possibleTypes,
      // Every Kubernetes object has a global `id` (Relay's Node), so a subscription event
      // about a workload updates the row a query put on screen, in place. Outcomes are values.
      typePolicies: { ClusterOutcome: { keyFields: false } },
    }),
    defaultOptions: {
      // A cluster that is down puts an error in `errors[]` beside the other clusters' data.
      // Apollo's default ("none") would throw that data away: keep both and show both.
      watchQuery: { errorPolicy: "all" },
      query: { errorPolicy: "all" },
    },
  });
}
