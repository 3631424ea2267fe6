/**
 * Peer `per-object`: a page of workloads with their CPU and memory, assembled the way clients of
 * KubeSphere's monitoring API assemble one — list the page, then ask for each workload's numbers
 * on their own: one PromQL query per workload per metric, its pods picked by a name prefix
 * (`pod=~"<name>-.*"`). Runs in its own process (argv[2] is a PerObjectSpec as JSON), timed in a
 * loop like raw-fanout, and prints one JSON result on stdout.
 *
 * The list comes from the gateway (the same page without `usage`): KubeSphere's console lists
 * from its API server's cache too, and so both sides pay the same list. The PromQL goes straight
 * to Prometheus, without KubeSphere's API server in between, whose hop would only add to the
 * peer's time. The queries of one page run `concurrency` at a time, as a browser's six
 * connections per host allow.
 */
import pLimit from "p-limit";
import { escapeRegex, stringLiteral } from "../../src/backends/prometheus/promql.js";
import { debugMemory } from "../../src/http/debug-routes.js";
import { postGraphQL } from "../http-client.js";
import { PrometheusWindow } from "../measure/prometheus-window.js";
import { round } from "../proc-stats.js";
import { METRICS_PAGE_LIST, type WorkloadsAnswer, type WorkloadUsageRow } from "../queries.js";
import { summarize } from "../stats.js";
import type { PerObjectResult, PerObjectSpec } from "./metrics-per-object-spec.js";

/** The two queries of one workload, as a per-workload monitoring call writes them. */
export function workloadQueries(
  row: WorkloadUsageRow,
  clusterLabel: string,
): { cpuUsage: string; memoryWorkingSet: string } {
  const selector = [
    `${clusterLabel}=${stringLiteral(row.clusterName)}`,
    `namespace=${stringLiteral(row.namespaceName)}`,
    `pod=~${stringLiteral(`${escapeRegex(row.name)}-.*`)}`,
    // The pause container holds only the pod's network, as in the gateway's templates.
    'container!=""',
  ].join(",");
  return {
    cpuUsage: `sum(rate(container_cpu_usage_seconds_total{${selector}}[5m]))`,
    memoryWorkingSet: `sum(container_memory_working_set_bytes{${selector}})`,
  };
}

interface InstantAnswer {
  status: string;
  data?: { result: { value: [number, string] }[] };
  error?: string;
}

/**
 * One instant query (POST, as Prometheus's Go client sends them), at `time` (Unix seconds) or
 * now; null when nothing matched.
 */
async function instant(prometheusUrl: string, query: string, time?: number): Promise<number | null> {
  const form = new URLSearchParams({ query });
  if (time !== undefined) form.set("time", String(time));
  const res = await fetch(`${prometheusUrl}/api/v1/query`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  const body = (await res.json()) as InstantAnswer;
  if (!res.ok || body.status !== "success") throw new Error(`${query}: ${res.status} ${body.error ?? ""}`);
  const sample = body.data?.result[0];
  return sample ? Number(sample.value[1]) : null;
}

/**
 * One page: the list, then every workload's two queries, evaluated now as a console asks. The
 * harness calls it too, with `time`, to compare with the gateway's page of the same moment.
 */
export async function loadPage(spec: PerObjectSpec, time?: number): Promise<WorkloadUsageRow[]> {
  const listed = await postGraphQL<WorkloadsAnswer>(
    spec.gateway.url,
    { query: METRICS_PAGE_LIST, variables: { filter: spec.filter } },
    spec.gateway.headers,
  );
  // One page, one browser tab: its own connection budget.
  const limit = pLimit(spec.concurrency);
  const ask = (query: string) => limit(() => instant(spec.prometheus.url, query, time));
  return Promise.all(
    listed.workloads.nodes.map(async (row) => {
      const queries = workloadQueries(row, spec.prometheus.clusterLabel);
      const [cpuUsage, memoryWorkingSet] = await Promise.all([
        ask(queries.cpuUsage),
        ask(queries.memoryWorkingSet),
      ]);
      return { ...row, usage: { cpuUsage, memoryWorkingSet } };
    }),
  );
}

async function run(spec: PerObjectSpec): Promise<PerObjectResult> {
  const worker = async (until: number, latencies: number[], minSamples: number): Promise<void> => {
    while (performance.now() < until || latencies.length < minSamples) {
      const t = performance.now();
      await loadPage(spec);
      latencies.push(performance.now() - t);
    }
  };
  // Warm-up: connections, the JIT, and Prometheus's own caches, as the gateway's warm-up does.
  const warmUntil = performance.now() + spec.warmupS * 1000;
  await Promise.all(Array.from({ length: spec.loops }, () => worker(warmUntil, [], 1)));

  const window = await PrometheusWindow.open(spec.prometheus.url, spec.prometheus.pid);
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const until = startedAt + spec.durationS * 1000;
  // A slow page still gets a few samples per loop.
  await Promise.all(Array.from({ length: spec.loops }, () => worker(until, latencies, 3)));
  const seconds = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const prometheus = await window.close();
  const memory = debugMemory(false);
  return {
    ...summarize(latencies),
    rps: round(latencies.length / seconds, 1),
    duration_s: round(seconds, 2),
    connections: spec.loops,
    cpu_cores: round((cpu.user + cpu.system) / 1e6 / seconds, 3),
    heap_bytes: memory.heapUsed,
    rss_bytes: memory.rss,
    requests: latencies.length,
    prometheus,
  };
}

// Imported by the harness (loadPage) and the tests (workloadQueries): the loop runs only as its own process.
if (import.meta.url === `file://${process.argv[1]}`) {
  const spec = JSON.parse(process.argv[2] ?? "{}") as PerObjectSpec;
  process.stdout.write(`${JSON.stringify(await run(spec))}\n`);
}
