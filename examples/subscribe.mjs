// Live pod changes from a Fleetgraph gateway, with the graphql-ws client.
// Run from the repository (graphql-ws and ws are its dependencies):
//   TOKEN=$(npm run --silent fleetgraph -- login --user admin) node examples/subscribe.mjs
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const client = createClient({
  url: process.env.FLEETGRAPH_URL ?? "ws://localhost:4000/graphql",
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${process.env.TOKEN}` },
});

client.subscribe(
  {
    query: `subscription {
      podChanges(filter: { namespaces: ["monitoring"] }, sendInitial: true) {
        type cluster cursor object { name phase node { name } }
      }
    }`,
  },
  {
    next: ({ data, errors }) => {
      if (errors) console.error(errors);
      else {
        const { type, cluster, object } = data.podChanges;
        console.log(type, cluster ?? "", object ? `${object.name} ${object.phase}` : "");
      }
    },
    error: (error) => {
      // A close event (code and reason), a socket error (message) or GraphQL errors (an array).
      const why = error.code ? `${error.code} ${error.reason}` : (error.message ?? JSON.stringify(error));
      console.error("subscription ended:", why);
      process.exitCode = 1;
    },
    complete: () => client.dispose(),
  },
);
