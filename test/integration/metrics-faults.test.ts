/**
 * A failing Prometheus degrades an answer, never fails it: three clusters, each with its own
 * Prometheus entry — A the real one, B a port nobody listens on, C a server that accepts queries
 * and never answers (deadline 500 ms). One request for the clusters' and workloads' numbers
 * answers HTTP 200 within the deadline's reach, with A's numbers, nulls for B and C, and one typed
 * error per failing cluster naming it and its Prometheus. Once their breakers open, the next
 * request no longer waits for C nor asks B.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/prometheus.js";
import { prometheusSettings, startMetricsFleet, type MetricsFleet } from "./metrics-fixture.js";
import type { GraphQLResponse } from "./server-fixture.js";

const DEADLINE_MS = 500;

let fleet: MetricsFleet;
/** A Prometheus that never answers: requests are kept open until the test ends. */
let silent: Server;
const silentRequests: IncomingMessage[] = [];
let [a, b, c] = ["", "", ""];

beforeAll(async () => {
  silent = createServer((req) => void silentRequests.push(req));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const nobodyUrl = `http://127.0.0.1:${await freePort()}`;
  fleet = await startMetricsFleet({
    seed: "metrics-faults",
    fleet: { clusters: 3 },
    config: (config, prometheus) => {
      [a, b, c] = config.clusters.map((cluster) => cluster.name) as [string, string, string];
      const own = (name: string) =>
        name === a
          ? prometheusSettings(prometheus.url)
          : prometheusSettings(name === b ? nobodyUrl : silentUrl, {
              clusterLabel: undefined,
              timeoutMs: DEADLINE_MS,
            });
      return { ...config, clusters: config.clusters.map((cl) => ({ ...cl, prometheus: own(cl.name) })) };
    },
  });
}, 90_000);

afterAll(async () => {
  await fleet?.stop();
  silent?.closeAllConnections();
  await new Promise((resolve) => silent?.close(resolve));
});

interface Numbers {
  clusters: { nodes: { name: string; usage: Record<string, number | null> }[] };
  workloads: {
    nodes: {
      clusterName: string;
      pods: { nodes: { phase: string }[] };
      usage: Record<string, number | null>;
    }[];
  };
}

const REQUEST = `{
  clusters { nodes { name usage { cpuUsage cpuUtilisation memoryUsage podCount nodeCount } } }
  workloads(first: 90) { nodes { clusterName pods(first: 5) { nodes { phase } } usage { cpuUsage memoryWorkingSet } } }
}`;

async function timed(): Promise<{ answer: GraphQLResponse<Numbers>; ms: number }> {
  const started = performance.now();
  const answer = await fleet.query<Numbers>(REQUEST);
  return { answer, ms: performance.now() - started };
}

/** Every number of every object of `cluster` in the answer. */
function numbersOf(answer: GraphQLResponse<Numbers>, cluster: string): (number | null)[] {
  const data = answer.data!;
  return [
    ...data.clusters.nodes.filter((x) => x.name === cluster).flatMap((x) => Object.values(x.usage)),
    ...data.workloads.nodes.filter((w) => w.clusterName === cluster).flatMap((w) => Object.values(w.usage)),
  ];
}

function errorOf(answer: GraphQLResponse<Numbers>, cluster: string) {
  const found = (answer.errors ?? []).filter((e) => e.extensions?.cluster === cluster);
  expect(found, `one error for ${cluster}`).toHaveLength(1);
  return found[0]!;
}

/** A's numbers are all there; B's and C's all null; each of those two named by one error. */
function expectDegraded(answer: GraphQLResponse<Numbers>): void {
  expect(answer.status).toBe(200);
  const data = answer.data!;
  expect(new Set(data.workloads.nodes.map((w) => w.clusterName))).toEqual(new Set([a, b, c]));
  const cluster = data.clusters.nodes.find((x) => x.name === a)!;
  for (const [field, value] of Object.entries(cluster.usage)) expect(value, `${a} ${field}`).not.toBeNull();
  const running = data.workloads.nodes.filter(
    (w) => w.clusterName === a && w.pods.nodes.some((p) => p.phase === "RUNNING"),
  );
  expect(running.length).toBeGreaterThan(0);
  for (const w of running) for (const value of Object.values(w.usage)) expect(value).not.toBeNull();
  for (const failing of [b, c]) {
    const numbers = numbersOf(answer, failing);
    expect(numbers.length).toBeGreaterThan(0);
    expect(
      numbers.every((n) => n === null),
      `${failing}'s numbers are null`,
    ).toBe(true);
  }
  expect(answer.errors!.every((e) => e.extensions?.cluster === b || e.extensions?.cluster === c)).toBe(true);
}

describe("a Prometheus that fails degrades the answer", () => {
  it("answers A's numbers, nulls and a typed error for B (refused) and C (silent), within the deadline", async () => {
    const { answer, ms } = await timed();
    expectDegraded(answer);
    // Every query to C waits DEADLINE_MS at most, and they are sent together: well within three.
    expect(ms).toBeLessThan(3 * DEADLINE_MS);
    expect(errorOf(answer, b).extensions).toMatchObject({
      code: "PROMETHEUS_UNAVAILABLE",
      source: "PROMETHEUS",
      retryable: true,
    });
    expect(errorOf(answer, b).message).toContain("ECONNREFUSED");
    expect(errorOf(answer, c).extensions).toMatchObject({
      code: "PROMETHEUS_TIMEOUT",
      source: "PROMETHEUS",
      retryable: true,
    });
    expect(errorOf(answer, c).message).toContain(`${DEADLINE_MS} ms`);
    expect(silentRequests.length).toBeGreaterThan(0);
  });

  it("with the breakers open, no longer waits for C nor asks B or C", async () => {
    // The first request's failures open both breakers (or a following one does): each then says so.
    let open: GraphQLResponse<Numbers> | undefined;
    for (let i = 0; i < 5 && !open; i++) {
      const { answer } = await timed();
      if ([b, c].every((x) => errorOf(answer, x).message.includes("circuit open"))) open = answer;
    }
    expect(open, "both breakers opened").toBeDefined();
    const asked = silentRequests.length;
    const { answer, ms } = await timed();
    expectDegraded(answer);
    for (const x of [b, c]) {
      expect(errorOf(answer, x).extensions).toMatchObject({
        code: "PROMETHEUS_UNAVAILABLE",
        source: "PROMETHEUS",
      });
      expect(errorOf(answer, x).message).toContain("circuit open");
    }
    expect(silentRequests.length, "C was not asked").toBe(asked);
    // Failing fast: no query waited for C's deadline.
    expect(ms).toBeLessThan(DEADLINE_MS);
  });

  it("a raw PromQL query to a failing Prometheus is a typed error naming the cluster", async () => {
    for (const cluster of [b, c]) {
      const answer = await fleet.query<{ promQuery: unknown }>(
        `query Raw($cluster: String!) { promQuery(cluster: $cluster, query: "up") { resultType } }`,
        { cluster },
      );
      expect(answer.status).toBe(200);
      expect(answer.data!.promQuery).toBeNull();
      // Both breakers are open by now (the test before): unavailable, without waiting for C.
      expect(answer.errors!.map((e) => e.extensions)).toEqual([
        { code: "PROMETHEUS_UNAVAILABLE", cluster, retryable: true, source: "PROMETHEUS" },
      ]);
    }
    const answer = await fleet.query<{ promQuery: { result: unknown[] } }>(
      `query Raw($cluster: String!) { promQuery(cluster: $cluster, query: "up") { result } }`,
      { cluster: a },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.promQuery.result.length).toBeGreaterThan(0);
  });
});
