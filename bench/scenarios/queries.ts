/** The four query scenarios: which document, which variables, what raw-fanout repeats. */
import { postGraphQL } from "../http-client.js";
import {
  DASHBOARD,
  NODE_LOOKUP,
  POD_SELECTOR,
  PODS_QUERY,
  SMALL_QUERY,
  type PodsAnswer,
} from "../queries.js";
import { queryScenario, type GraphQLTarget } from "./query-scenario.js";

const FULL = { clusters: [50], pods: 2000, durationS: 10 };

export const podsQuery = queryScenario({
  name: "pods-query",
  summary: "filtered (label selector + phase), sorted, first 50 pods across the fleet",
  defaults: FULL,
  document: PODS_QUERY,
  defaultConnections: 1,
  variables: () => Promise.resolve({ selector: POD_SELECTOR }),
  fanout: () => ({ operation: "pods-query", selector: POD_SELECTOR }),
  method: { latency: "closed loop, one request at a time", selector: POD_SELECTOR, phase: "Running" },
});

/** A pod's id as this target spells it (each server has its own id scheme). */
async function firstPod(target: GraphQLTarget): Promise<PodsAnswer["pods"]["nodes"][number]> {
  const answer = await postGraphQL<PodsAnswer>(
    target.url,
    { query: PODS_QUERY, variables: { selector: POD_SELECTOR } },
    target.headers,
  );
  const pod = answer.pods.nodes[0];
  if (!pod) throw new Error(`${target.name} found no pod matching ${POD_SELECTOR}`);
  return pod;
}

export const nodeLookup = queryScenario({
  name: "node-lookup",
  summary: "one pod by its Relay id, with its node",
  defaults: FULL,
  document: NODE_LOOKUP,
  defaultConnections: 1,
  variables: async (target) =>
    // graphql-constant never reads variables; it is started with the gateway's answer.
    target.name === "graphql-constant" ? { id: "constant" } : { id: (await firstPod(target)).id },
  fanout: (_fleet, answer) => {
    const pod = (answer as { node: { clusterName: string; namespaceName: string; name: string } }).node;
    return {
      operation: "node-lookup",
      pod: { cluster: pod.clusterName, namespace: pod.namespaceName, name: pod.name },
    };
  },
  method: {
    latency: "closed loop, one request at a time",
    lookup: "node(id:) of the first pod of pods-query",
  },
});

export const dashboard = queryScenario({
  name: "dashboard",
  summary: "every cluster with its summary + the first 50 workloads with their pods and nodes",
  defaults: FULL,
  document: DASHBOARD,
  defaultConnections: 1,
  variables: () => Promise.resolve({}),
  fanout: () => ({ operation: "dashboard" }),
  method: { latency: "closed loop, one request at a time" },
});

export const throughput = queryScenario({
  name: "throughput",
  summary:
    "requests per second of a small query (5 pods of one namespace of one cluster) at fixed concurrency",
  defaults: FULL,
  document: SMALL_QUERY,
  defaultConnections: 16,
  variables: (_target, fleet) => Promise.resolve({ cluster: fleet.clusters[0] }),
  fanout: (fleet) => ({ operation: "throughput", cluster: fleet.clusters[0]! }),
  method: {
    load: "closed loop at fixed concurrency (connections)",
    rounds:
      "fleetgraph and graphql-constant alternate over 5 rounds of the full duration; the round with the median ratio is reported",
  },
  pairedRounds: 5,
});
