/**
 * Hostile values never change what a metrics query means. Against a real Prometheus, through a
 * recording proxy that shows the PromQL the gateway sends:
 *  - names a caller passes (namespace filters, lookups, a workspace or cluster name) that match no
 *    object select nothing and send no query;
 *  - objects whose names or labels are odd — pods with regex characters in their names, a
 *    workspace named by a label value full of quotes, a namespace with a dot (no DNS label), a
 *    cluster whose name (a kubeconfig context's) is PromQL — get exactly their own numbers, or
 *    none with BAD_USER_INPUT, and every query sent selects only the objects asked for.
 */
import { escapeRegex } from "../../src/backends/prometheus/promql.js";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import { kubectl } from "../support/kubectl.js";
import { startPrometheusRecorder, type PrometheusRecorder } from "../support/prometheus-recorder.js";
import { expectSameNumber, onlyValue } from "./metrics-expectations.js";
import {
  atKnownSecond,
  prometheusSettings,
  startMetricsFleet,
  untilRated,
  type MetricsFleet,
} from "./metrics-fixture.js";

/** A kubeconfig context name that is PromQL: were it pasted into a query, it would match every cluster. */
const HOSTILE_CLUSTER = 'prod" or cluster=~".*';
/** A workspace label value that is PromQL; the simulator, like an old API server, stores it. */
const HOSTILE_WORKSPACE = 'ws"} or vector(1) or up{a="';
const ODD_NAMESPACE = "odd.ns";

let fleet: MetricsFleet;
let recorder: PrometheusRecorder;
/** The cluster the odd objects live in (its real name), and the one renamed HOSTILE_CLUSTER. */
let home: string;
let renamed: string;

beforeAll(async () => {
  fleet = await startMetricsFleet({
    seed: "metrics-injection",
    config: async (config, prometheus) => {
      recorder = await startPrometheusRecorder(prometheus.url);
      home = config.clusters[0]!.name;
      renamed = config.clusters[1]!.name;
      return {
        ...config,
        clusters: config.clusters.map((c) => (c.name === renamed ? { ...c, name: HOSTILE_CLUSTER } : c)),
        metrics: { prometheus: prometheusSettings(recorder.url) },
      };
    },
  });
  await createOddObjects();
}, 90_000);

afterAll(async () => {
  await fleet?.stop();
  await recorder?.close();
});

const pod = (name: string, namespace: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace },
  spec: { containers: [{ name: "main", image: "ghcr.io/acme/main:1.0" }] },
});
const ODD_PODS: [namespace: string, name: string][] = [
  ["search", "dot.0"],
  ["search", "dot.1"],
  // What `dot.0` would also match as an unescaped regex, beside it in the same namespace.
  ["search", "dotx0"],
  ["quoted", "q"],
  [ODD_NAMESPACE, "web"],
];

/** Creates the odd objects in `home`, and waits until they run and Prometheus has their CPU rates. */
async function createOddObjects(): Promise<void> {
  const dir = join(fleet.sim.kubeconfigPath, "..", "odd-objects");
  await mkdir(dir);
  const objects = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ODD_NAMESPACE } },
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "quoted", labels: { "kubesphere.io/workspace": HOSTILE_WORKSPACE } },
    },
    ...ODD_PODS.map(([namespace, name]) => pod(name, namespace)),
  ];
  // Namespaces first: kubectl applies a directory's files in name order.
  await Promise.all(objects.map((o, i) => writeFile(join(dir, `${i}.json`), JSON.stringify(o))));
  const applied = await kubectl(fleet.sim.kubeconfigPath, [`--context=${home}`, "apply", "-f", dir]);
  expect(applied.code, applied.stderr).toBe(0);
  const wanted = new Set(ODD_PODS.map(([namespace, name]) => `${namespace}/${name}`));
  await eventually(
    async () => {
      const answer = await fleet.query<{
        pods: { nodes: { namespaceName: string; name: string; phase: string }[] };
      }>(
        `query Odd($cluster: String!) {
          pods(filter: { clusters: [$cluster], namespaces: ["search", "quoted", "${ODD_NAMESPACE}"] }) {
            nodes { namespaceName name phase }
          }
        }`,
        { cluster: home },
      );
      const odd = (answer.data?.pods.nodes ?? []).filter((p) => wanted.has(`${p.namespaceName}/${p.name}`));
      return odd.length === wanted.size && odd.every((p) => p.phase === "RUNNING");
    },
    20_000,
    200,
  );
  const names = ODD_PODS.map(([, name]) => name.replace(".", "\\\\.")).join("|");
  await untilRated(fleet.prometheus, `cluster="${home}",pod=~"${names}"`, ODD_PODS.length);
}

/** The queries the proxy saw while `request` ran. */
async function recorded<T>(
  request: () => Promise<T>,
): Promise<{ result: T; queries: Record<string, string>[] }> {
  const before = recorder.queries.length;
  const result = await request();
  return { result, queries: recorder.queries.slice(before).map((q) => q.params) };
}

describe("names a caller passes", () => {
  it.each([
    [
      "a namespace filter",
      `{ workloads(filter: { namespaces: ["a\\"}|.*"] }) { nodes { name usage { cpuUsage } } } }`,
    ],
    [
      "a regex namespace filter on pods",
      `{ pods(filter: { namespaces: [".*"] }) { nodes { name usage { cpuUsage } } } }`,
    ],
    ["a namespace lookup", `{ namespace(cluster: "$home", name: ".*") { usage { cpuUsage podCount } } }`],
    [
      "a pod lookup",
      `{ pod(cluster: "$home", namespace: "search", name: "x\\"} or vector(1)") { usage { cpuUsage } } }`,
    ],
    ["a node lookup", `{ clusterNode(cluster: "$home", name: ".+") { usage { cpuUsage } } }`],
    ["a workspace lookup", `{ workspace(name: "retail\\"} or {x=\\"") { usage { cpuUsage } } }`],
    ["a cluster lookup", `{ cluster(name: ".*") { usage { cpuUsage podCount } } }`],
  ])("%s that names nothing selects nothing and sends no PromQL", async (_what, document) => {
    const { result, queries } = await recorded(() => fleet.query(document.replace("$home", home)));
    expect(result.errors).toBeUndefined();
    const [root] = Object.values(result.data!);
    if (root !== null) expect((root as { nodes: unknown[] }).nodes).toEqual([]);
    expect(queries).toEqual([]);
  });

  it("raw PromQL that Prometheus refuses, or naming no cluster of the fleet, is BAD_USER_INPUT", async () => {
    const raw = (cluster: string, query: string) =>
      recorded(() =>
        fleet.query<{ promQuery: unknown }>(
          `query Raw($cluster: String!, $query: String!) { promQuery(cluster: $cluster, query: $query) { resultType } }`,
          { cluster, query },
        ),
      );
    for (const query of ["sum(", "up[5m]", "up * on () up"] as const) {
      const { result } = await raw(home, query);
      expect(result.data!.promQuery).toBeNull();
      expect(
        result.errors!.map((e) => e.extensions),
        query,
      ).toEqual([{ code: "BAD_USER_INPUT", argument: "query" }]);
    }
    // A shared Prometheus would answer for any name: a cluster the fleet lacks is refused unasked.
    const { result, queries } = await raw(".*", "up");
    expect(result.errors!.map((e) => e.extensions)).toEqual([
      { code: "BAD_USER_INPUT", argument: "cluster" },
    ]);
    expect(queries).toEqual([]);
  });

  it("a hostile namespace filter on a list ordered by CPU lists nothing", async () => {
    const answer = await fleet.query<{ workloads: { nodes: unknown[] } }>(
      `{ workloads(filter: { namespaces: ["search\\"} or vector(1)"] }, orderBy: { metric: CPU_USAGE, direction: DESC }) {
        nodes { name usage { cpuUsage } } } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.workloads.nodes).toEqual([]);
  });
});

describe("odd objects", () => {
  it("pods with regex characters in their names get exactly their own numbers", async () => {
    type Pods = {
      pods: {
        nodes: { name: string; usage: { cpuUsage: number | null; memoryWorkingSet: number | null } }[];
      };
    };
    const { result, queries } = await recorded(() =>
      atKnownSecond(fleet.prometheus, () =>
        fleet.query<Pods>(
          `query Dotted($cluster: String!) {
            pods(filter: { clusters: [$cluster], namespaces: ["search"], nameContains: "dot." }) {
              nodes { name usage { cpuUsage memoryWorkingSet } }
            }
          }`,
          { cluster: home },
        ),
      ),
    );
    const { answer, time } = result;
    expect(answer.errors).toBeUndefined();
    const pods = answer.data!.pods.nodes;
    expect(pods.map((p) => p.name).sort()).toEqual(["dot.0", "dot.1"]);
    for (const p of pods) {
      const exact = `cluster="${home}",namespace="search",pod=${JSON.stringify(p.name)}`;
      const cpu = `sum(rate(container_cpu_usage_seconds_total{container!="",${exact}}[5m]))`;
      const memory = `sum(container_memory_working_set_bytes{container!="",${exact}})`;
      const expected = onlyValue(await fleet.prometheus.query(cpu, time), cpu);
      expect(expected).not.toBeNull();
      expectSameNumber(p.usage.cpuUsage, expected, `${p.name} cpuUsage`);
      expectSameNumber(
        p.usage.memoryWorkingSet,
        onlyValue(await fleet.prometheus.query(memory, time), memory),
        `${p.name} memoryWorkingSet`,
      );
    }
    // Each query the gateway sent, asked again at the same second, selects only those two pods.
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      const samples = await fleet.prometheus.query(q.query!, Number(q.time));
      expect(samples.length, q.query).toBeGreaterThan(0);
      for (const s of samples) expect(["dot.0", "dot.1"], q.query).toContain(s.metric.pod);
    }
  });

  it("a workspace named by a label value full of quotes sums its own namespace only", async () => {
    const { answer, time } = await atKnownSecond(fleet.prometheus, () =>
      fleet.query<{ workspace: { usage: Record<string, number | null> } | null }>(
        `query Quoted($name: String!) { workspace(name: $name) { usage { cpuUsage memoryWorkingSet podCount } } }`,
        { name: HOSTILE_WORKSPACE },
      ),
    );
    expect(answer.errors).toBeUndefined();
    const usage = answer.data!.workspace!.usage;
    const where = `cluster="${home}",namespace="quoted"`;
    const expected: Record<string, string> = {
      cpuUsage: `sum(rate(container_cpu_usage_seconds_total{container!="",${where}}[5m]))`,
      memoryWorkingSet: `sum(container_memory_working_set_bytes{container!="",${where}})`,
      podCount: `count(kube_pod_info{${where}})`,
    };
    for (const [field, promql] of Object.entries(expected))
      expectSameNumber(usage[field], onlyValue(await fleet.prometheus.query(promql, time), promql), field);
    expect(usage.podCount).toBe(1);
  });

  it("a namespace that is no DNS label gets BAD_USER_INPUT, its neighbours their numbers", async () => {
    const { result, queries } = await recorded(() =>
      fleet.query<{ namespaces: { nodes: { name: string; usage: { cpuUsage: number | null } | null }[] } }>(
        `query All($cluster: String!) { namespaces(filter: { clusters: [$cluster] }) { nodes { name usage { cpuUsage } } } }`,
        { cluster: home },
      ),
    );
    const nodes = result.data!.namespaces.nodes;
    const odd = nodes.findIndex((n) => n.name === ODD_NAMESPACE);
    expect(odd).toBeGreaterThanOrEqual(0);
    expect(nodes[odd]!.usage?.cpuUsage ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "namespace" });
    expect(result.errors![0]!.path).toEqual(["namespaces", "nodes", odd, "usage", "cpuUsage"]);
    expect(nodes.find((n) => n.name === "search")!.usage!.cpuUsage).not.toBeNull();
    for (const q of queries) expect(q.query).not.toContain(ODD_NAMESPACE);
  });

  it("a cluster whose name is PromQL reads no other cluster's series", async () => {
    type Clusters = { clusters: { nodes: { name: string; usage: Record<string, number | null> }[] } };
    const { result, queries } = await recorded(() =>
      fleet.query<Clusters>(`{ clusters { nodes { name usage { cpuUsage podCount nodeCount } } } }`),
    );
    expect(result.errors).toBeUndefined();
    const byName = new Map(result.data!.clusters.nodes.map((c) => [c.name, c.usage]));
    expect([...byName.keys()].sort()).toEqual([HOSTILE_CLUSTER, home].sort());
    // Prometheus knows that cluster by its real name: under the hostile one, it has no series.
    expect(Object.values(byName.get(HOSTILE_CLUSTER)!).every((v) => v === null)).toBe(true);
    expect(Object.values(byName.get(home)!).every((v) => v !== null)).toBe(true);
    // One query per series for both clusters (the admin reads them whole), the hostile name quoted
    // as a literal alternative of the cluster matcher: replayed, every sample is the real cluster's.
    const alternatives = [escapeRegex(home), escapeRegex(HOSTILE_CLUSTER)].sort().join("|");
    expect(queries.length).toBe(3);
    for (const q of queries) {
      expect(q.query).toContain(`cluster=~${JSON.stringify(alternatives)}`);
      const samples = await fleet.prometheus.query(q.query!, Number(q.time));
      expect(samples.length).toBeGreaterThan(0);
      for (const sample of samples) expect(sample.metric.cluster).toBe(home);
    }
    expect(renamed).not.toBe(HOSTILE_CLUSTER);
  });
});
