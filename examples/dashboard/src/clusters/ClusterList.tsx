/**
 * One card per cluster you may read: its health as the gateway's probe sees it, and whether its
 * caches are live (synced, staleSince). A cluster that is down stays on screen, marked, with the
 * probe's last error: the gateway keeps serving its cached objects, so the page says how old.
 */
import { useQuery } from "@apollo/client/react";
import { graphql } from "../gql";
import type { FleetClustersQuery } from "../gql/graphql";
import { time } from "../format/units";

export const FleetClusters = graphql(`
  query FleetClusters {
    clusters {
      totalCount
      nodes {
        id
        name
        health {
          status
          kubernetesVersion
          lastError
        }
        freshness {
          synced
          staleSince
        }
        workloads(first: 1) {
          totalCount
        }
      }
    }
  }
`);

type Cluster = FleetClustersQuery["clusters"]["nodes"][number];

export function ClusterList() {
  const { data, error, loading } = useQuery(FleetClusters);
  if (loading && !data) return <p>Loading clusters…</p>;
  const clusters = data?.clusters.nodes ?? [];
  return (
    <section aria-labelledby="clusters-heading">
      <h2 id="clusters-heading">
        Clusters <span data-testid="cluster-count">{clusters.length}</span>
      </h2>
      {error && !data && <p className="problem">Could not load clusters: {error.message}</p>}
      {clusters.length === 0 && <p>You may read no cluster.</p>}
      <ul className="cards">
        {clusters.map((c) => (
          <ClusterCard key={c.id} cluster={c} />
        ))}
      </ul>
    </section>
  );
}

function ClusterCard({ cluster }: { cluster: Cluster }) {
  const { health, freshness } = cluster;
  const down = health.status !== "READY" || freshness.staleSince != null;
  return (
    <li className={down ? "card down" : "card"} data-testid="cluster-card" data-cluster={cluster.name}>
      <h3>{cluster.name}</h3>
      <p>
        <span className={`status ${health.status.toLowerCase()}`} data-testid="cluster-status">
          {health.status}
        </span>{" "}
        {health.kubernetesVersion ?? ""}
      </p>
      <p>
        {freshness.synced ? "synced" : "syncing…"}
        {freshness.staleSince != null && <> · stale since {time(freshness.staleSince)}</>}
      </p>
      <p>
        <span data-testid="cluster-workloads">{cluster.workloads.totalCount ?? "?"}</span> workloads
      </p>
      {health.lastError && <p className="problem">{health.lastError}</p>}
    </li>
  );
}
