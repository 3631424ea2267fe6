/**
 * Peer `raw-fanout`: the bare @kubernetes/client-node calls a pass-through design must make for
 * each scenario, across every cluster, with no GraphQL and no HTTP server — the floor for any
 * pass-through design. Runs in its own process (argv[2] is a FanoutSpec as JSON), timed in a loop,
 * and prints one JSON result on stdout.
 */
import { fleetClients, type ClusterClients } from "./fleet-clients.js";
import { debugMemory } from "../../src/http/debug-routes.js";
import { round } from "../proc-stats.js";
import { summarize } from "../stats.js";
import type { FanoutResult, FanoutSpec, FanoutSyncResult } from "./raw-fanout-spec.js";

type Operation = (clients: ClusterClients[]) => Promise<unknown>;

function operationFor(spec: FanoutSpec): Operation {
  switch (spec.operation) {
    case "pods-query":
      return (all) =>
        Promise.all(
          all.map((c) =>
            c.core.listPodForAllNamespaces({
              labelSelector: spec.selector,
              fieldSelector: "status.phase=Running",
            }),
          ),
        );
    case "node-lookup": {
      const target = spec.pod!;
      return async (all) => {
        const c = all.find((x) => x.name === target.cluster)!;
        const pod = await c.core.readNamespacedPod({ namespace: target.namespace, name: target.name });
        return c.core.readNode({ name: pod.spec!.nodeName! });
      };
    }
    case "dashboard":
      return (all) =>
        Promise.all(
          all.flatMap((c) => [
            c.core.listNode(),
            c.core.listNamespace(),
            c.core.listPodForAllNamespaces(),
            c.apps.listDeploymentForAllNamespaces(),
            c.apps.listStatefulSetForAllNamespaces(),
            c.apps.listDaemonSetForAllNamespaces(),
            c.batch.listJobForAllNamespaces(),
            c.batch.listCronJobForAllNamespaces(),
          ]),
        );
    case "throughput":
      return (all) =>
        all.find((x) => x.name === spec.cluster)!.core.listNamespacedPod({ namespace: "payments" });
    case "sync":
      throw new Error("sync is one timed list, not a loop");
  }
}

async function loop(spec: FanoutSpec, clients: ClusterClients[]): Promise<FanoutResult> {
  const operation = operationFor(spec);
  const worker = async (until: number, latencies: number[], minSamples: number): Promise<void> => {
    while (performance.now() < until || latencies.length < minSamples) {
      const t = performance.now();
      await operation(clients);
      latencies.push(performance.now() - t);
    }
  };
  const concurrency = spec.concurrency;
  // Warm-up: connections, TLS sessions and the JIT.
  await Promise.all(
    Array.from({ length: concurrency }, () => worker(performance.now() + spec.warmupS * 1000, [], 1)),
  );
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const until = startedAt + spec.durationS * 1000;
  // Slow operations still get a few samples per worker.
  await Promise.all(
    Array.from({ length: concurrency }, () => worker(until, latencies, latencies.length + 3)),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const memory = debugMemory(false);
  return {
    ...summarize(latencies),
    rps: round(latencies.length / seconds, 1),
    duration_s: round(seconds, 2),
    connections: concurrency,
    cpu_cores: round((cpu.user + cpu.system) / 1e6 / seconds, 3),
    heap_bytes: memory.heapUsed,
    rss_bytes: memory.rss,
  };
}

/** One paginated list of every pod of every cluster, held in memory like a cache would hold it. */
async function sync(clients: ClusterClients[]): Promise<FanoutSyncResult> {
  const before = debugMemory(true);
  const startedAt = performance.now();
  const held = await Promise.all(
    clients.map(async (c) => {
      const items = [];
      let _continue: string | undefined;
      do {
        const page = await c.core.listPodForAllNamespaces({
          limit: 500,
          ...(_continue ? { _continue } : {}),
        });
        items.push(...page.items);
        _continue = page.metadata?._continue;
      } while (_continue);
      return items;
    }),
  );
  const syncMs = performance.now() - startedAt;
  const after = debugMemory(true);
  const pods = held.reduce((n, items) => n + items.length, 0);
  const heapBytes = after.heapUsed - before.heapUsed;
  return {
    sync_ms: round(syncMs, 1),
    pods,
    heap_bytes: heapBytes,
    heap_bytes_per_pod: round(heapBytes / Math.max(1, pods), 1),
    rss_bytes: after.rss,
    gc_forced: after.collected,
  };
}

const spec = JSON.parse(process.argv[2] ?? "{}") as FanoutSpec;
const clients = fleetClients(spec.kubeconfig);
const result = spec.operation === "sync" ? await sync(clients) : await loop(spec, clients);
process.stdout.write(`${JSON.stringify(result)}\n`);
