/**
 * The first end-to-end check of metrics: a gateway over a simulated fleet, a real Prometheus
 * scraping it, and GraphQL usage, series and metric orders answered from it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../src/server/gateway.js";
import type { SimFleet } from "../../sim/fleet.js";
import { startPrometheus, type RunningPrometheus } from "../support/prometheus.js";
import { fleetConfig, graphql, startSimFleet, startTestGateway } from "./server-fixture.js";

let sim: SimFleet;
let prometheus: RunningPrometheus;
let gateway: Gateway;

beforeAll(async () => {
  sim = await startSimFleet("metrics-smoke", { clusters: 2, http: true });
  const configYaml = await (await fetch(`${sim.adminUrl}/prometheus.yml?interval=1s`)).text();
  prometheus = await startPrometheus({ configYaml });
  await prometheus.until("two scrapes of every cluster", async () => {
    const rates = await prometheus.query("count(rate(container_cpu_usage_seconds_total[5m])) by (cluster)");
    return rates.length === 2 ? true : undefined;
  });
  const config = fleetConfig(sim);
  gateway = await startTestGateway({
    ...config,
    metrics: {
      prometheus: {
        url: prometheus.url,
        clusterLabel: "cluster",
        tls: { insecureSkipVerify: false },
        auth: {},
        timeoutMs: 3000,
        maxConcurrentRequests: 8,
      },
    },
  });
  await prometheus.until("gateway synced", async () =>
    (await fetch(gateway.url.replace("/graphql", "/readyz"))).ok ? true : undefined,
  );
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await prometheus?.stop();
  await sim?.stop();
});

describe("metrics through the gateway", () => {
  it("answers usage for a page of workloads with few PromQL queries", async () => {
    const before = gateway.metrics.queries();
    const res = await graphql(
      gateway.url,
      `
        {
          workloads(first: 20) {
            nodes {
              name
              clusterName
              usage {
                cpuUsage
                memoryWorkingSet
                cpuUtilisation
                replicasAvailable
              }
            }
          }
          clusters {
            nodes {
              name
              usage {
                cpuUsage
                podCount
                nodeCount
              }
            }
          }
        }
      `,
    );
    expect(res.errors).toBeUndefined();
    console.log(JSON.stringify(res.data).slice(0, 1500));
    console.log("queries", gateway.metrics.queries() - before);
  });

  it("orders workloads by CPU and draws series", async () => {
    const res = await graphql(
      gateway.url,
      `{
      workloads(first: 5, orderBy: { metric: CPU_USAGE, direction: DESC }) { nodes { name usage { cpuUsage } metrics(names: [CPU_USAGE], range: { start: "${new Date(Date.now() - 60_000).toISOString()}", step: 10 }) { metric unit start step values } } }
    }`,
    );
    expect(res.errors).toBeUndefined();
    console.log(JSON.stringify(res.data).slice(0, 1500));
  });
});
