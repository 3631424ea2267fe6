/**
 * The selected workload's pods, and the log of the one picked, followed as it is written
 * (podLogs over graphql-ws, read as you: the cluster's RBAC must allow pods/log too). Picking
 * another pod changes the subscription's variables, which ends the old read and starts a new one.
 */
import { useState } from "react";
import { useQuery, useSubscription } from "@apollo/client/react";
import { graphql } from "../gql";
import type { WorkloadRow } from "../workloads/WorkloadTable";

export const WorkloadPods = graphql(`
  query WorkloadPods($id: ID!) {
    node(id: $id) {
      id
      ... on Workload {
        pods(first: 20) {
          nodes {
            id
            clusterName
            namespaceName
            name
            phase
          }
        }
      }
    }
  }
`);

export const PodLogLines = graphql(`
  subscription PodLogLines($cluster: String!, $namespace: String!, $pod: String!) {
    podLogs(cluster: $cluster, namespace: $namespace, pod: $pod, tailLines: 50, timestamps: true) {
      line
      timestamp
      container
    }
  }
`);

interface Pod {
  clusterName: string;
  namespaceName: string;
  name: string;
}

export function PodLogs({ workload }: { workload: WorkloadRow }) {
  const { data, loading, error } = useQuery(WorkloadPods, { variables: { id: workload.id } });
  const [pod, setPod] = useState<Pod | undefined>(undefined);
  const pods = data?.node && "pods" in data.node ? data.node.pods.nodes : [];
  return (
    <section aria-labelledby="logs-heading">
      <h2 id="logs-heading">
        Pods of {workload.namespaceName}/{workload.name}
      </h2>
      {loading && <p>Loading pods…</p>}
      {error && <p className="problem">{error.message}</p>}
      {!loading && pods.length === 0 && <p>No pods.</p>}
      <ul className="pods">
        {pods.map((p) => (
          <li key={p.id}>
            <button
              className={p.name === pod?.name ? "selected" : undefined}
              onClick={() => setPod(p)}
              data-testid="pod"
            >
              {p.name} <small>{p.phase}</small>
            </button>
          </li>
        ))}
      </ul>
      {pod && <LogTail key={`${pod.clusterName}/${pod.namespaceName}/${pod.name}`} pod={pod} />}
    </section>
  );
}

const KEPT_LINES = 200;

function LogTail({ pod }: { pod: Pod }) {
  const [lines, setLines] = useState<string[]>([]);
  const { error } = useSubscription(PodLogLines, {
    variables: { cluster: pod.clusterName, namespace: pod.namespaceName, pod: pod.name },
    onData: ({ data }) => {
      const l = data.data?.podLogs;
      if (l) setLines((kept) => [...kept, `${l.timestamp ?? ""} ${l.line}`].slice(-KEPT_LINES));
    },
  });
  return (
    <>
      <h3>Log of {pod.name}</h3>
      {error && <p className="problem">{error.message}</p>}
      <pre className="log" data-testid="pod-log">
        {lines.length === 0 ? "waiting for lines…" : lines.join("\n")}
      </pre>
    </>
  );
}
