/**
 * A tenant's metric reads ask Prometheus only about what the tenant may read: ordering workloads
 * by CPU sends, per cluster, one query restricted to the namespaces whose pods the Scope allows
 * (none at all for a cluster where it allows none), cluster- and node-wide numbers are FORBIDDEN
 * without sending anything, and even a Prometheus answering outside the matchers attributes no
 * foreign pod's numbers to anything the tenant sees.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { QueryAccessError } from "../../src/cache/query/errors.js";
import { Scope } from "../../src/cache/scope.js";
import { MetricReads } from "../../src/metrics/metric-reads.js";
import { metricOrder } from "../../src/metrics/metric-order.js";
import { ClusterOutcomes } from "../../src/query-service/index.js";
import type { InstantSample } from "../../src/metrics/sources.js";
import { batchFlushed, recordingSources, type RecordingSources } from "./metrics-source-spy.js";
import { testGateway, type TestGateway } from "./read-service-fixtures.js";

let gw: TestGateway;

beforeAll(async () => {
  gw = await testGateway();
});

/** A tenant who may read the pods of shop in eu-1, and nothing else anywhere. */
const TENANT = Scope.of([{ cluster: "eu-1", namespaces: ["shop"] }]);

function reads(sources: RecordingSources, scope: Scope): MetricReads {
  return new MetricReads({
    sources,
    reader: gw.services.reader,
    graph: gw.services.graph,
    scope,
    outcomes: new ClusterOutcomes(),
    platformAdmin: () => false,
  });
}

/** The namespace matchers of a query: `namespace="a"` or `namespace=~"a|b"`, as written. */
const namespaceMatchers = (promql: string) => promql.match(/namespace=~?"[^"]*"/g) ?? [];

/** Answers every pod-level query with one sample per (namespace, pod) of eu-1, whatever it asked. */
const everyPod = (): InstantSample[] =>
  ["shop/web-7d9f-000", "shop/web-7d9f-001", "shop/db-0", "kube-system/agent-a"].map((key) => {
    const [namespace, pod] = key.split("/") as [string, string];
    return { labels: { cluster: "eu-1", namespace, pod }, value: 1 };
  });

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe("a tenant's metric reads", () => {
  it("order workloads with one query per cluster it may read, restricted to its namespaces", async () => {
    const sources = recordingSources();
    await metricOrder(reads(sources, TENANT), "Deployment", "CPU_USAGE", "DESC", ["eu-1", "us-1", "dev-1"]);
    await batchFlushed();
    expect(sources.sent.map((q) => q.cluster)).toEqual(["eu-1"]);
    expect(namespaceMatchers(sources.sent[0]!.promql)).toEqual(['namespace="shop"']);
    expect(sources.sent[0]!.promql).toContain('cluster="eu-1"');
  });

  it("while an unrestricted caller's order reads every namespace (the difference is the Scope's)", async () => {
    const sources = recordingSources();
    await metricOrder(reads(sources, Scope.everything()), "Deployment", "CPU_USAGE", "DESC", [
      "eu-1",
      "us-1",
    ]);
    expect(sources.sent.map((q) => q.cluster).sort()).toEqual(["eu-1", "us-1"]);
    for (const q of sources.sent) expect(namespaceMatchers(q.promql)).toEqual([]);
  });

  it("attribute no foreign pod's numbers, even when Prometheus answers outside the matchers", async () => {
    const sources = recordingSources(everyPod);
    const cpu = await reads(sources, TENANT).valuesIn("eu-1", "WORKLOAD", "CPU_USAGE");
    const uid = (kind: string, name: string) =>
      gw.services.reader.getByName("eu-1", kind, "shop", name, TENANT)!.uid;
    // web's two pods and db's one; kube-system's agent pod (a DaemonSet's) is not the tenant's.
    expect(cpu).toEqual(
      new Map([
        [uid("Deployment", "web"), 2],
        [uid("StatefulSet", "db"), 1],
      ]),
    );
  });

  it("are FORBIDDEN for cluster- and node-wide numbers, and for another namespace, sending nothing", async () => {
    const sources = recordingSources();
    const metrics = reads(sources, TENANT);
    for (const attempt of [
      metrics.value({ level: "CLUSTER", cluster: "eu-1" }, "CPU_USAGE"),
      metrics.value({ level: "NODE", cluster: "eu-1", node: "eu-1-node-a" }, "CPU_USAGE"),
      metrics.valuesIn("eu-1", "NODE", "CPU_USAGE"),
      metrics.value({ level: "NAMESPACE", cluster: "eu-1", namespace: "kube-system" }, "CPU_USAGE"),
      metrics.value({ level: "POD", cluster: "us-1", namespace: "shop", pod: "web-7d9f-000" }, "CPU_USAGE"),
    ]) {
      const error = await refusal(attempt);
      expect(error).toBeInstanceOf(QueryAccessError);
      expect((error as QueryAccessError).extensions.code).toBe("FORBIDDEN");
    }
    await batchFlushed();
    expect(sources.sent).toEqual([]);
  });

  it("sum a workspace over the namespaces they may read only", async () => {
    const sources = recordingSources();
    await reads(sources, TENANT).value(
      {
        level: "WORKSPACE",
        namespaces: new Map([
          ["eu-1", ["shop", "default"]],
          ["us-1", ["shop"]],
        ]),
      },
      "CPU_USAGE",
    );
    expect(sources.sent.map((q) => q.cluster)).toEqual(["eu-1"]);
    expect(namespaceMatchers(sources.sent[0]!.promql)).toEqual(['namespace="shop"']);
  });
});
