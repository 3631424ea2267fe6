/**
 * What a Federation 2 router in front of the gateway costs (docs/federation.md): the same query
 * sent straight to the gateway (`serve --subgraph`) and through the example router
 * (examples/teams-subgraph: Hive Gateway's runtime, the teams subgraph beside it), one request at a
 * time, alternately, with the caller's token forwarded by the router. The query crossing both
 * subgraphs (workload -> team -> the team's workloads) is measured through the router too.
 */
import { postGraphQL } from "../http-client.js";
import { Child } from "../processes/child.js";
import { Gateway } from "../processes/gateway.js";
import { Simulator } from "../processes/simulator.js";
import { round } from "../proc-stats.js";
import type { Figures, Skipped } from "../results.js";
import { closedLoop, summarize } from "../stats.js";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";

const SELECTOR = "app.kubernetes.io/part-of in (catalog,search)";

/** Fleetgraph's fields only: the router plans one fetch, so the difference is the router's own. */
export const FEDERATION_DIRECT = `query Workloads($selector: String!) {
  workloads(first: 20, filter: { labelSelector: $selector }) {
    nodes { id name clusterName namespaceName labels { key value } }
  }
}`;

/** Across both subgraphs: each Deployment's team (teams), then that team's workloads (Fleetgraph). */
export const FEDERATION_CROSSING = `query Owners($selector: String!) {
  workloads(first: 5, filter: { labelSelector: $selector, kinds: [DEPLOYMENT] }) {
    nodes {
      name
      ... on Deployment { owner { name onCall workloads { workloads(first: 20) { nodes { name clusterName } } } } }
    }
  }
}`;

const NOT_A_PEER: Skipped = {
  skipped: "not a peer of this scenario: its peer is the same query sent straight to the gateway",
};

export const federationScenario: Scenario = {
  name: "federation",
  summary:
    "the same query through a Federation 2 router and straight to the gateway, and one crossing both subgraphs",
  defaults: { clusters: [10], pods: 200, durationS: 10 },
  run: runFederation,
};

async function runFederation(options: ScenarioOptions): Promise<ScenarioResult> {
  const clusters = options.clusters[0]!;
  const running: { stop(): Promise<void> }[] = [];
  try {
    options.log(`starting the simulator: ${clusters} clusters x ${options.pods} pods`);
    const sim = await Simulator.start({ clusters, pods: options.pods, dir: options.dir });
    running.push(sim);
    options.log("starting the gateway as a subgraph");
    const gateway = await Gateway.start({
      fleet: sim.fleet,
      kubeconfigPath: sim.kubeconfigPath,
      dir: options.dir,
      auth: options.auth,
      subgraph: true,
    });
    running.push(gateway);
    options.log("starting the teams subgraph and the router");
    const router = new Child({
      name: "router",
      script: "examples/teams-subgraph/main.ts",
      // The gateway runs in production mode (no `_service`): composed from the committed SDL.
      args: ["--fleetgraph", gateway.url, "--port", "0", "--fleetgraph-sdl", "schema/subgraph.graphql"],
      env: { FLEETGRAPH_TOKEN: gateway.headers.authorization?.replace(/^Bearer /, "") ?? "" },
    });
    running.push({ stop: () => router.stop() });
    const routerUrl = (await router.waitForLine(/^router listening on /, 60_000)).replace(
      /^router listening on /,
      "",
    );

    const variables = { selector: SELECTOR };
    const ask = (url: string, query: string) => () =>
      postGraphQL(url, { query, variables }, gateway.headers).then(() => undefined);
    const direct = ask(gateway.url, FEDERATION_DIRECT);
    const routed = ask(routerUrl, FEDERATION_DIRECT);
    const crossing = ask(routerUrl, FEDERATION_CROSSING);
    // Both answers checked (postGraphQL rejects on any error) and equal before anything is timed.
    const straight = await postGraphQL(gateway.url, { query: FEDERATION_DIRECT, variables }, gateway.headers);
    const through = await postGraphQL(routerUrl, { query: FEDERATION_DIRECT, variables }, gateway.headers);
    const sameAnswer = JSON.stringify(straight) === JSON.stringify(through);
    await crossing();

    options.log(`warming up for ${options.warmupS} s`);
    for (const request of [direct, routed, crossing]) await closedLoop(options.warmupS, request);
    // Alternating halves, so drift on a shared machine falls on both targets alike.
    const half = options.durationS / 2;
    const latencies = { direct: [] as number[], routed: [] as number[] };
    for (const order of [
      ["direct", "routed"],
      ["routed", "direct"],
    ] as const)
      for (const target of order)
        latencies[target].push(...(await closedLoop(half, target === "direct" ? direct : routed)));
    const crossingLatencies = await closedLoop(options.durationS, crossing);

    const figure = (samples: number[], seconds: number): Figures => ({
      ...summarize(samples),
      rps: round(samples.length / seconds, 1),
    });
    const ours = figure(latencies.routed, options.durationS);
    const theirs = figure(latencies.direct, options.durationS);
    options.log(
      `  router p50 ${ours.p50_ms as number} ms p99 ${ours.p99_ms as number} ms; direct p50 ${theirs.p50_ms as number} ms p99 ${theirs.p99_ms as number} ms`,
    );
    return {
      scenario: "federation",
      fleet: { clusters, pods: options.pods, pods_total: sim.pods },
      fleetgraph: {
        ...ours,
        overhead_p50_ms: round((ours.p50_ms as number) - (theirs.p50_ms as number), 3),
        overhead_p99_ms: round((ours.p99_ms as number) - (theirs.p99_ms as number), 3),
        answer_matches_direct: sameAnswer,
        crossing: figure(crossingLatencies, options.durationS),
      },
      peers: {
        passthrough: NOT_A_PEER,
        "raw-fanout": NOT_A_PEER,
        "graphql-constant": NOT_A_PEER,
        "direct-gateway": theirs,
      },
      method: {
        latency:
          "closed loop, one request at a time, after a warm-up that is not counted; direct and routed alternate in two halves",
        document: FEDERATION_DIRECT,
        crossing: FEDERATION_CROSSING,
        variables,
        router:
          "examples/teams-subgraph/main.ts in its own process: Hive Gateway's runtime over node:http, the supergraph composed with @theguild/federation-composition, Authorization forwarded",
        duration_s: options.durationS,
        warmup_s: options.warmupS,
      },
      ...(sameAnswer ? {} : { notes: ["the router's answer differs from the gateway's"] }),
    };
  } finally {
    while (running.length) await running.pop()!.stop();
  }
}
