/**
 * Workloads across every cluster you may read, one page at a time, filtered by the gateway.
 * Paging follows the connection's cursors (`after: endCursor`); the cursors of the pages already
 * seen are kept so "Previous" goes back exactly. Cursors are positions, not offsets: a workload
 * created elsewhere never shifts the page you are on.
 */
import { useState } from "react";
import { useQuery } from "@apollo/client/react";
import { graphql } from "../gql";
import type { FleetWorkloadsQuery } from "../gql/graphql";
import { cpu, memory } from "../format/units";
import { ClusterOutcomes } from "./ClusterOutcomes";
import { NO_FILTER, toWorkloadFilter, WorkloadFilters, type FilterValues } from "./WorkloadFilters";
import { useLiveWorkloads } from "./useLiveWorkloads";

export const FleetWorkloads = graphql(`
  query FleetWorkloads($filter: WorkloadFilter, $first: Int!, $after: String) {
    workloads(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      outcomes {
        clusterName
        synced
        staleSince
        error {
          code
          message
          retryable
        }
      }
      nodes {
        id
        clusterName
        namespaceName
        name
        kind
        status
        ready
        replicas {
          desired
          ready
          available
        }
        usage {
          cpuUsage
          memoryWorkingSet
        }
      }
    }
  }
`);

export type WorkloadRow = FleetWorkloadsQuery["workloads"]["nodes"][number];

const PAGE_SIZE = 20;

interface Props {
  clusters: readonly string[];
  selected: string | undefined;
  onSelect: (workload: WorkloadRow) => void;
}

export function WorkloadTable({ clusters, selected, onSelect }: Props) {
  const [values, setValues] = useState<FilterValues>(NO_FILTER);
  // The `after` of every page before this one; the last entry is this page's.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const filter = toWorkloadFilter(values);
  const after = cursors[cursors.length - 1] ?? null;
  const { data, error, loading, refetch } = useQuery(FleetWorkloads, {
    variables: { filter, first: PAGE_SIZE, after },
  });
  const live = useLiveWorkloads(filter, refetch);

  const page = data?.workloads;
  const changeFilter = (next: FilterValues) => {
    setValues(next);
    setCursors([null]); // a new filter starts at its first page
  };

  return (
    <section aria-labelledby="workloads-heading">
      <h2 id="workloads-heading">
        Workloads <span data-testid="workload-total">{page?.totalCount ?? "…"}</span>
        {live.error ? (
          <button className="badge problem" onClick={() => live.restart()}>
            live updates stopped — resume
          </button>
        ) : (
          <span className="badge">live</span>
        )}
      </h2>
      <WorkloadFilters values={values} clusters={clusters} onChange={changeFilter} />
      {page && <ClusterOutcomes outcomes={page.outcomes} />}
      {error && !page && <p className="problem">Could not load workloads: {error.message}</p>}
      {loading && !page && <p>Loading workloads…</p>}
      {page && (
        <table data-testid="workload-table">
          <thead>
            <tr>
              <th>Cluster</th>
              <th>Namespace</th>
              <th>Kind</th>
              <th>Name</th>
              <th>Status</th>
              <th>Ready / desired</th>
              <th>CPU</th>
              <th>Memory</th>
            </tr>
          </thead>
          <tbody>
            {page.nodes.map((w) => (
              <tr
                key={w.id}
                className={w.id === selected ? "selected" : undefined}
                onClick={() => onSelect(w)}
                data-testid="workload-row"
                data-workload={`${w.clusterName}/${w.namespaceName}/${w.name}`}
              >
                <td>{w.clusterName}</td>
                <td>{w.namespaceName}</td>
                <td>{w.kind}</td>
                <td>{w.name}</td>
                <td>{w.status}</td>
                <td data-testid="replicas">
                  {w.replicas ? `${w.replicas.ready} / ${w.replicas.desired}` : "—"}
                </td>
                <td>{cpu(w.usage?.cpuUsage)}</td>
                <td>{memory(w.usage?.memoryWorkingSet)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && (
        <nav className="pager">
          <button disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous
          </button>
          <span>page {cursors.length}</span>
          <button
            disabled={!page.pageInfo.hasNextPage}
            onClick={() => setCursors([...cursors, page.pageInfo.endCursor ?? null])}
          >
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
