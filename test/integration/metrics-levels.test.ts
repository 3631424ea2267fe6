/**
 * The gateway's numbers are Prometheus's own, at every level: for a cluster, a node, a workspace,
 * a namespace, a Deployment, a StatefulSet, a DaemonSet, a pod and its containers, every `usage`
 * field equals what Prometheus's HTTP API answers to the equivalent PromQL (metrics-expectations.ts)
 * evaluated at the same second, and every `metrics(names:, range:)` series equals /api/v1/query_range
 * over the same past window. A workload is its current pods, as the gateway's own Workload.pods
 * lists them; a workspace is the namespaces Prometheus knows carry its label.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLUSTER_USAGE,
  CONTAINER_USAGE,
  expectedSeries,
  expectedUsage,
  expectSameNumber,
  expectSameNumbers,
  metricName,
  NAMESPACE_USAGE,
  NODE_USAGE,
  POD_USAGE,
  WORKSPACE_USAGE,
  type LevelExpectations,
  type Window,
} from "./metrics-expectations.js";
import { atKnownSecond, startMetricsFleet, type MetricsFleet } from "./metrics-fixture.js";
import { levelCases, type LevelCase } from "./metrics-level-cases.js";

let fleet: MetricsFleet;
let cluster: string;
/** Unix seconds by which Prometheus had a CPU rate for every container of WEB. */
let webRatedAt: number;
let cases: Map<string, LevelCase>;

beforeAll(async () => {
  fleet = await startMetricsFleet({ seed: "metrics-levels" });
  ({ cluster, cases, webRatedAt } = await levelCases(fleet));
}, 90_000);

afterAll(async () => {
  await fleet?.stop();
});

/** `usage { every field }` of a level. */
const usageSelection = (fields: LevelExpectations) => `usage { ${Object.keys(fields).join(" ")} }`;

function document(c: LevelCase, numbers: string, extra: Record<string, string> = {}): string {
  const declared = Object.keys(c.variables)
    .map((v) => `$${v}: ${v === "kind" ? "WorkloadKind!" : "String!"}`)
    .concat(Object.entries(extra).map(([v, type]) => `$${v}: ${type}`));
  return `query Level${declared.length ? `(${declared.join(", ")})` : ""} { ${c.root(numbers)} }`;
}

const LEVELS = [
  "CLUSTER",
  "NODE",
  "WORKSPACE",
  "NAMESPACE",
  "WORKLOAD DEPLOYMENT",
  "WORKLOAD STATEFUL_SET",
  "WORKLOAD DAEMON_SET",
  "POD",
  "CONTAINER",
];

describe("usage equals Prometheus's own answer at the same second", () => {
  it.each(LEVELS)("%s", async (level) => {
    const c = cases.get(level)!;
    const { answer, time } = await atKnownSecond(fleet.prometheus, () =>
      fleet.query(document(c, usageSelection(c.fields)), c.variables),
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    const targets = c.targets(answer.data!);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) {
      const expected = await expectedUsage(fleet.prometheus, t.fields, t.query, time);
      // Every object here has running containers: without CPU numbers the comparison proves little.
      expect(expected.cpuUsage, `${t.what}: Prometheus has its CPU`).not.toBeNull();
      expectSameNumbers(t.object.usage as Record<string, number | null>, expected, t.what);
    }
  });
});

describe("metrics(range:) equals Prometheus's query_range over the same past window", () => {
  it.each(LEVELS)("%s", async (level) => {
    const c = cases.get(level)!;
    // Aligned to the step and ended 3 s ago: every scrape of the window is stored, so it is
    // history; and late enough to hold some of WEB's points (its pods started with the test).
    const step = 2;
    const wait = (webRatedAt + 3 + 2 * step) * 1000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const end = Math.floor((Date.now() / 1000 - 3) / step) * step;
    const window: Window = { start: end - 10 * step, end, step };
    const names = Object.keys(c.fields);
    const range = {
      start: new Date(window.start * 1000).toISOString(),
      end: new Date(end * 1000).toISOString(),
      step,
    };
    const answer = await fleet.query(
      document(
        c,
        `metrics(names: [${names.map(metricName).join(", ")}], range: $range) { metric start step values }`,
        {
          range: "MetricRange!",
        },
      ),
      { ...c.variables, range },
    );
    expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    for (const t of c.targets(answer.data!)) {
      const expected = await expectedSeries(fleet.prometheus, t.fields, t.query, window);
      expect(
        expected.cpuUsage!.some((v) => v !== null),
        `${t.what}: Prometheus has CPU points`,
      ).toBe(true);
      const series = t.object.metrics as Array<{
        metric: string;
        start: string;
        step: number;
        values: (number | null)[];
      }>;
      expect(series.map((s) => s.metric)).toEqual(names.map(metricName));
      series.forEach((s, i) => {
        const name = names[i]!;
        expect(s.start).toBe(range.start);
        expect(s.step).toBe(step);
        expect(s.values.length, `${t.what} ${name}: points`).toBe(expected[name]!.length);
        expected[name]!.forEach((v, j) =>
          expectSameNumber(s.values[j], v, `${t.what} ${name} at ${window.start + j * step}`),
        );
      });
    }
  });
});

describe("the numbers beside the objects", () => {
  it("covers every field of every usage type", async () => {
    const types: Record<string, LevelExpectations> = {
      ClusterUsage: CLUSTER_USAGE,
      ClusterNodeUsage: NODE_USAGE,
      WorkspaceUsage: WORKSPACE_USAGE,
      NamespaceUsage: NAMESPACE_USAGE,
      WorkloadUsage: cases.get("WORKLOAD DEPLOYMENT")!.fields,
      PodUsage: POD_USAGE,
      ContainerUsage: CONTAINER_USAGE,
    };
    for (const [type, fields] of Object.entries(types)) {
      const answer = await fleet.query<{ __type: { fields: { name: string }[] } }>(
        `{ __type(name: "${type}") { fields { name } } }`,
      );
      expect(answer.data!.__type.fields.map((f) => f.name).sort(), type).toEqual(Object.keys(fields).sort());
    }
  });

  it("orders workloads by the CPU numbers it shows, those without any last", async () => {
    type Listed = { workloads: { nodes: { id: string; usage: { cpuUsage: number | null } }[] } };
    const list = (order: string) =>
      fleet.query<Listed>(
        `query Ordered($cluster: String!) {
          workloads(first: 100, filter: { clusters: [$cluster] }${order}) { nodes { id usage { cpuUsage } } }
        }`,
        { cluster },
      );
    const [ordered, plain] = await Promise.all([
      list(", orderBy: { metric: CPU_USAGE, direction: DESC }"),
      list(""),
    ]);
    expect(ordered.errors).toBeUndefined();
    const cpu = ordered.data!.workloads.nodes.map((w) => w.usage.cpuUsage);
    const known = cpu.filter((v): v is number => v !== null);
    expect(known.length).toBeGreaterThan(1);
    expect(known.length).toBeLessThan(cpu.length);
    // Nulls only after the last number; numbers never increasing (up to float summation order).
    expect(cpu.slice(0, known.length)).toEqual(known);
    known.forEach((v, i) => i > 0 && expect(v).toBeLessThanOrEqual(known[i - 1]! * (1 + 1e-9)));
    // The same workloads as the list in its usual order: ordering neither drops nor repeats one.
    const ids = (answer: typeof plain) => answer.data!.workloads.nodes.map((w) => w.id).sort();
    expect(ids(ordered)).toEqual(ids(plain));
  });

  it("promQuery answers what Prometheus answers to the same PromQL, instant and range", async () => {
    const promql = `sum by (namespace) (rate(container_cpu_usage_seconds_total{cluster="${cluster}"}[5m]))`;
    type Raw = {
      promQuery: {
        resultType: string;
        result: { metric: Record<string, string>; value?: number; values?: [number, number][] }[];
      };
    };
    const raw = (range?: { start: string; end: string; step: number }) =>
      fleet.query<Raw>(
        `query Raw($cluster: String!, $query: String!, $range: MetricRange) {
          promQuery(cluster: $cluster, query: $query, range: $range) { resultType result }
        }`,
        { cluster, query: promql, range },
      );
    const byNamespace = <T>(list: T[], of: (t: T) => string) =>
      [...list].sort((x, y) => of(x).localeCompare(of(y)));
    const { answer, time } = await atKnownSecond(fleet.prometheus, () => raw());
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.promQuery.resultType).toBe("vector");
    const expected = await fleet.prometheus.query(promql, time);
    expect(expected.length).toBeGreaterThan(1);
    expect(byNamespace(answer.data!.promQuery.result, (r) => r.metric.namespace!)).toEqual(
      byNamespace(expected, (s) => s.metric.namespace!).map((s) => ({
        metric: s.metric,
        value: Number(s.value[1]),
      })),
    );
    // Aligned to the step, as the gateway aligns a window, and history (ended 3 s ago).
    const end = Math.floor((Date.now() / 1000 - 3) / 2) * 2;
    const window = { start: end - 6, end, step: 2 };
    const ranged = await raw({
      start: new Date(window.start * 1000).toISOString(),
      end: new Date(window.end * 1000).toISOString(),
      step: window.step,
    });
    expect(ranged.data!.promQuery.resultType).toBe("matrix");
    const series = await fleet.prometheus.queryRange(promql, window);
    expect(byNamespace(ranged.data!.promQuery.result, (r) => r.metric.namespace!)).toEqual(
      byNamespace(series, (s) => s.metric.namespace!).map((s) => ({
        metric: s.metric,
        values: s.values.map(([t, v]) => [t, Number(v)]),
      })),
    );
  });
});
