/**
 * The page: who you are, the clusters, the workload table, live events and the selected
 * workload's pods and logs. Signed out, it offers the gateway's login and nothing else.
 */
import { useMemo, useState } from "react";
import { ApolloProvider, useApolloClient, useQuery, useSubscription } from "@apollo/client/react";
import { createFleetClient } from "./apollo/client";
import { login, logout, storedTokens } from "./auth/session";
import { ClusterList, FleetClusters } from "./clusters/ClusterList";
import { LiveEvents } from "./events/LiveEvents";
import { graphql } from "./gql";
import { PodLogs } from "./logs/PodLogs";
import { WorkloadTable, type WorkloadRow } from "./workloads/WorkloadTable";

export function App() {
  const signedIn = storedTokens() !== undefined;
  const client = useMemo(() => (signedIn ? createFleetClient() : undefined), [signedIn]);
  if (!client) return <SignedOut />;
  return (
    <ApolloProvider client={client}>
      <Fleet />
    </ApolloProvider>
  );
}

function SignedOut() {
  return (
    <main className="signed-out">
      <h1>Fleetgraph</h1>
      <p>Sign in with your organisation&apos;s account to see the clusters you may read.</p>
      <button onClick={() => login("/")}>Sign in</button>
    </main>
  );
}

const Viewer = graphql(`
  query Viewer {
    viewer {
      user
    }
  }
`);

/**
 * A cluster going down, coming back or finishing a relist changes what every list on the page
 * says about it (health, staleSince, its outcome): on each such change, ask again.
 */
const ClusterOutcomeUpdates = graphql(`
  subscription ClusterOutcomeUpdates {
    clusterOutcomeChanged {
      status
      outcome {
        clusterName
        staleSince
      }
    }
  }
`);

function Fleet() {
  const client = useApolloClient();
  const viewer = useQuery(Viewer);
  const clusters = useQuery(FleetClusters);
  const [selected, setSelected] = useState<WorkloadRow | undefined>(undefined);
  useSubscription(ClusterOutcomeUpdates, {
    onData: () => void client.refetchQueries({ include: "active" }),
  });
  const clusterNames = clusters.data?.clusters.nodes.map((c) => c.name) ?? [];
  return (
    <>
      <header>
        <h1>Fleetgraph</h1>
        <span data-testid="viewer">{viewer.data?.viewer?.user ?? ""}</span>
        <button onClick={() => void logout()}>Sign out</button>
      </header>
      <main>
        <ClusterList />
        <WorkloadTable clusters={clusterNames} selected={selected?.id} onSelect={setSelected} />
        <div className="columns">
          <LiveEvents />
          {selected && <PodLogs workload={selected} />}
        </div>
      </main>
    </>
  );
}
