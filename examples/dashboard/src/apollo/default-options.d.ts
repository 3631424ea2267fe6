/**
 * Apollo Client 4 types its results by the client's default options, so the defaults set in
 * client.ts (errorPolicy "all": keep the clusters' data beside a failing cluster's error) are
 * declared here too.
 */
import "@apollo/client";

declare module "@apollo/client" {
  export namespace ApolloClient {
    export namespace DeclareDefaultOptions {
      interface WatchQuery {
        errorPolicy: "all";
      }
      interface Query {
        errorPolicy: "all";
      }
    }
  }
}
