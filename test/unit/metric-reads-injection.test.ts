/**
 * Hostile names never reach PromQL: MetricReads given a namespace, pod, node or container name
 * that is not a Kubernetes name (quotes, regex operators, upper case, empty, too long) refuses
 * with PromQLValueError (BAD_USER_INPUT, naming what was wrong) before sending any query, for
 * instant numbers, ratios and series alike — and a well-formed name is asked of Prometheus.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { toEntry, type CacheEntry } from "../../src/cache/entry.js";
import { Scope } from "../../src/cache/scope.js";
import { kindOf } from "../../src/kinds/index.js";
import { PromQLValueError } from "../../src/backends/prometheus/promql.js";
import { MetricReads, type MetricTarget } from "../../src/metrics/metric-reads.js";
import { alignWindow } from "../../src/metrics/window.js";
import { ClusterOutcomes } from "../../src/query-service/index.js";
import { batchFlushed, recordingSources, type RecordingSources } from "./metrics-source-spy.js";
import { testGateway, type TestGateway } from "./read-service-fixtures.js";
import { clusterObjects } from "./read-service-objects.js";

const HOSTILE_NAMESPACES = [
  'shop"} or vector(1) or up{a="',
  ".*",
  "shop|kube-system",
  "Shop",
  "shop\\",
  "",
  "shop\n",
  "s".repeat(64),
];
const HOSTILE_PODS = ['web-7d9f-000"}', ".*", "web-7d9f-000|db-0", "WEB", "web 1", "p".repeat(254)];
const HOSTILE_NODES = [".+", 'eu-1-node-a"} or vector(1)', "eu-1-node-a|eu-1-node-b"];
const HOSTILE_CONTAINERS = ["main|sidecar", 'main"}', "main.x", "Main"];

let gw: TestGateway;
/** eu-1's Deployment web, after a pod with a hostile name was added to the cache under it. */
let web: CacheEntry;

beforeAll(async () => {
  gw = await testGateway();
  const scope = Scope.everything();
  web = gw.services.reader.getByName("eu-1", "Deployment", "shop", "web", scope)!;
  const [, sibling] = clusterObjects("eu-1").find(
    ([kind, o]) => kind === "Pod" && o.metadata.name === "web-7d9f-000",
  )!;
  // The cache holds what clusters say; a pod name a real API server would refuse must still not pass.
  gw.index.store("eu-1", "Pod").upsert(
    toEntry("eu-1", kindOf("Pod"), {
      ...sibling,
      metadata: { ...sibling.metadata, name: 'web-7d9f-x"}|.*', uid: "hostile-pod" },
    }),
  );
});

function reads(sources: RecordingSources): MetricReads {
  return new MetricReads({
    sources,
    reader: gw.services.reader,
    graph: gw.services.graph,
    scope: Scope.everything(),
    outcomes: new ClusterOutcomes(),
    platformAdmin: () => false,
  });
}

const WINDOW = alignWindow({ start: new Date(Date.now() - 600_000), step: 60 });

/** Asks `target`'s CPU (one series), CPU utilisation (a ratio) and CPU series; each must be refused. */
async function expectRefused(target: MetricTarget, grammar: string): Promise<void> {
  const sources = recordingSources();
  const metrics = reads(sources);
  for (const ask of [
    () => metrics.value(target, "CPU_USAGE"),
    () => metrics.value(target, "CPU_UTILISATION"),
    () => metrics.series(target, "CPU_USAGE", WINDOW),
  ]) {
    const refusal = await ask().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refusal, JSON.stringify(target)).toBeInstanceOf(PromQLValueError);
    expect((refusal as PromQLValueError).extensions).toEqual({ code: "BAD_USER_INPUT", argument: grammar });
  }
  await batchFlushed();
  expect(sources.sent, "no query was sent").toEqual([]);
}

describe("hostile names never reach PromQL", () => {
  it.each(HOSTILE_NAMESPACES)("namespace %j, at every level it names", async (namespace) => {
    await expectRefused({ level: "NAMESPACE", cluster: "eu-1", namespace }, "namespace");
    await expectRefused({ level: "POD", cluster: "eu-1", namespace, pod: "web-7d9f-000" }, "namespace");
    await expectRefused(
      { level: "CONTAINER", cluster: "eu-1", namespace, pod: "web-7d9f-000", container: "main" },
      "namespace",
    );
    // One bad namespace refuses the whole workspace: no query goes out for its good ones either.
    await expectRefused(
      { level: "WORKSPACE", namespaces: new Map([["eu-1", ["shop", namespace]]]) },
      "namespace",
    );
  });

  it.each(HOSTILE_PODS)("pod %j", async (pod) => {
    await expectRefused({ level: "POD", cluster: "eu-1", namespace: "shop", pod }, "pod");
    await expectRefused(
      { level: "CONTAINER", cluster: "eu-1", namespace: "shop", pod, container: "main" },
      "pod",
    );
  });

  it.each(HOSTILE_NODES)("node %j", async (node) => {
    await expectRefused({ level: "NODE", cluster: "eu-1", node }, "node");
  });

  it.each(HOSTILE_CONTAINERS)("container %j", async (container) => {
    await expectRefused(
      { level: "CONTAINER", cluster: "eu-1", namespace: "shop", pod: "web-7d9f-000", container },
      "container",
    );
  });

  it("a workload whose cached pods include a hostile name", async () => {
    await expectRefused({ level: "WORKLOAD", workload: web }, "pod");
  });

  it("while well-formed names are asked, each as an exact, quoted value", async () => {
    const sources = recordingSources();
    const metrics = reads(sources);
    await metrics.value(
      { level: "POD", cluster: "us-1", namespace: "shop", pod: "web-7d9f-000" },
      "CPU_USAGE",
    );
    await metrics.value({ level: "NODE", cluster: "us-1", node: "us-1-node-a" }, "LOAD1");
    expect(sources.sent).toHaveLength(2);
    expect(sources.sent[0]!.promql).toContain('namespace="shop",pod="web-7d9f-000"');
    expect(sources.sent[1]!.promql).toContain('node="us-1-node-a"');
    for (const { promql } of sources.sent) expect(promql).toContain('cluster="us-1"');
  });
});
