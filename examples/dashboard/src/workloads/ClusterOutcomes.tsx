/**
 * What every list answer carries beside its items: one outcome per cluster read. A cluster that
 * failed is named here, with the gateway's error and how old its cached rows are — the rows of
 * the other clusters stay in the table below, so a dashboard never goes blank for one cluster.
 */
import type { FleetWorkloadsQuery } from "../gql/graphql";
import { time } from "../format/units";

type Outcome = FleetWorkloadsQuery["workloads"]["outcomes"][number];

export function ClusterOutcomes({ outcomes }: { outcomes: readonly Outcome[] }) {
  const troubled = outcomes.filter((o) => o.error != null || o.staleSince != null || !o.synced);
  if (troubled.length === 0) return null;
  return (
    <div className="problem" role="alert" data-testid="cluster-problems">
      {troubled.map((o) => (
        <p key={o.clusterName} data-cluster={o.clusterName}>
          <strong>{o.clusterName}</strong>: {o.error ? `${o.error.code} — ${o.error.message}` : "not synced"}
          {o.staleSince != null && <> (its rows are cached, stale since {time(o.staleSince)})</>}
          {o.error?.retryable && <> · retrying</>}
        </p>
      ))}
    </div>
  );
}
