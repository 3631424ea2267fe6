/**
 * `sync`: the gateway's initial sync time, and its heap and RSS per cached pod, as the fleet grows.
 * For each size a fresh simulator and a fresh gateway; heap is read after a full collection.
 * "Per pod" is the growth over a gateway serving no clusters (schema, code, libraries), divided by
 * the fleet's pods: every other cached kind (ReplicaSets, Events, Services, ...) is counted in it.
 * raw-fanout lists every pod of the same fleet once, paginated like the gateway's reflectors, and
 * reports the heap client-node's objects take.
 *
 * At the largest size, heap per cached object by kind: separate processes (bench/measure/
 * kind-heap.ts) list every cached kind from the simulator and weigh the entries the gateway's own
 * toEntry makes of them, kind by kind; the stores' indexes are not in those figures.
 */
import type { KindHeapResult } from "../measure/kind-heap-spec.js";
import { Gateway } from "../processes/gateway.js";
import { measureKindHeap } from "../processes/kind-heap.js";
import { runRawFanout } from "../processes/peer-servers.js";
import { Simulator } from "../processes/simulator.js";
import { memory, round } from "../proc-stats.js";
import type { Figures } from "../results.js";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";

interface SizeFigures {
  clusters: number;
  pods: number;
  objects: number;
  sync_ms: number | null;
  ready_ms: number;
  pods_per_s: number | null;
  heap_bytes: number;
  rss_bytes: number;
  heap_bytes_per_pod: number;
  heap_bytes_per_object: number;
  rss_bytes_per_pod: number;
  gc_forced: boolean;
}

export const sync: Scenario = {
  name: "sync",
  summary: "initial sync time, heap and RSS per cached pod as the fleet grows",
  defaults: { clusters: [5, 20, 50], pods: 2000, durationS: 0 },
  run: runSync,
};

/** Heap (after a full GC) and RSS of a gateway serving no clusters: what per-pod figures grow from. */
export async function baseline(options: ScenarioOptions): Promise<{ heap: number; rss: number }> {
  const empty = await Gateway.start({
    fleet: { kubeconfig: "", admin: "", clusters: [], users: [] },
    kubeconfigPath: "",
    dir: options.dir,
    auth: options.auth,
  });
  try {
    const heap = (await empty.memory(true)).heapUsed;
    return { heap, rss: memory(empty.pid).rss_bytes };
  } finally {
    await empty.stop();
  }
}

async function runSync(options: ScenarioOptions): Promise<ScenarioResult> {
  options.log("measuring a gateway with no clusters (the baseline)");
  const base = await baseline(options);
  const sizes: SizeFigures[] = [];
  const fanouts: Figures[] = [];
  let byKind: KindHeapResult | undefined;
  for (const [i, clusters] of options.clusters.entries()) {
    options.log(`starting the simulator: ${clusters} clusters x ${options.pods} pods`);
    const sim = await Simulator.start({ clusters, pods: options.pods, dir: options.dir });
    try {
      options.log("starting the gateway and waiting for its sync");
      const gateway = await Gateway.start({
        fleet: sim.fleet,
        kubeconfigPath: sim.kubeconfigPath,
        dir: options.dir,
        auth: options.auth,
      });
      try {
        const syncMs = gateway.syncMs() ?? null;
        const cache = await gateway.cache();
        const heap = await gateway.memory(true);
        const rss = memory(gateway.pid).rss_bytes;
        const grown = heap.heapUsed - base.heap;
        sizes.push({
          clusters,
          pods: sim.pods,
          objects: cache.objects,
          sync_ms: syncMs === null ? null : round(syncMs, 0),
          ready_ms: round(gateway.readyMs, 0),
          pods_per_s: syncMs === null ? null : round(sim.pods / (syncMs / 1000), 0),
          heap_bytes: heap.heapUsed,
          rss_bytes: rss,
          heap_bytes_per_pod: round(grown / sim.pods, 1),
          heap_bytes_per_object: round(grown / Math.max(1, cache.objects), 1),
          rss_bytes_per_pod: round((rss - base.rss) / sim.pods, 1),
          gc_forced: heap.collected,
        });
      } finally {
        await gateway.stop();
      }
      if (i === options.clusters.length - 1) {
        options.log("heap per cached object by kind: the gateway's toEntry over the simulator's lists");
        // The gateway's reflectors list in pages of 500 (src/cache/reflector.ts).
        byKind = await measureKindHeap({
          kubeconfig: sim.kubeconfigPath,
          pageSize: 500,
          minObjects: 1000,
          minClusters: 2,
        });
      }
      options.log("raw-fanout: one paginated list of every pod");
      const fanout = await runRawFanout({
        kubeconfig: sim.kubeconfigPath,
        operation: "sync",
        durationS: 0,
        warmupS: 0,
        concurrency: 1,
      });
      fanouts.push({ clusters, ...fanout });
    } finally {
      await sim.stop();
    }
  }
  const largest = sizes.at(-1)!;
  const smallest = sizes[0]!;
  const marginal =
    sizes.length > 1
      ? round((largest.heap_bytes - smallest.heap_bytes) / (largest.pods - smallest.pods), 1)
      : null;
  const fanoutLargest = fanouts.at(-1)!;
  return {
    scenario: "sync",
    fleet: { clusters: largest.clusters, pods: options.pods, pods_total: largest.pods },
    fleetgraph: {
      sync_ms: largest.sync_ms,
      ready_ms: largest.ready_ms,
      pods_per_s: largest.pods_per_s,
      heap_bytes: largest.heap_bytes,
      rss_bytes: largest.rss_bytes,
      heap_bytes_per_pod: largest.heap_bytes_per_pod,
      heap_bytes_per_pod_marginal: marginal,
      heap_bytes_per_object: largest.heap_bytes_per_object,
      rss_bytes_per_pod: largest.rss_bytes_per_pod,
      cached_objects: largest.objects,
      baseline_heap_bytes: base.heap,
      baseline_rss_bytes: base.rss,
      sizes,
      heap_by_kind: byKind ? heapByKind(byKind, largest.heap_bytes - base.heap, largest.objects) : null,
    },
    peers: {
      passthrough: { skipped: "keeps nothing between requests: there is no sync to time" },
      "raw-fanout": { ...fanoutLargest, sizes: fanouts },
      "graphql-constant": { skipped: "holds no fleet data" },
    },
    method: {
      sync_ms:
        'from the gateway\'s "cache sync started" to its "cache sync complete" log line (every kind of every cluster listed)',
      ready_ms:
        "from spawning the gateway to /readyz answering 200 (process start and schema build included)",
      heap_bytes_per_pod:
        "(heapUsed after a full GC - the same for a gateway with no clusters) / pods in the fleet",
      heap_bytes_per_pod_marginal: "heap growth between the smallest and the largest fleet / pods added",
      heap_by_kind:
        "largest fleet only, in fresh processes with --expose-gc (bench/measure/kind-heap.ts). Listed over HTTPS in " +
        "pages of 500 and kept as raw bytes: every cached kind of the fleet's first cluster, and of each kind the " +
        "next clusters until 1,000 objects from at least 2 clusters (or every cluster). Per kind, V8 heap used after " +
        "two full GCs (code and bytecode spaces left out) before and after making its entries with the gateway's " +
        "toEntry(cluster, kind, object), the parsed pages dropped. heap_bytes_per_object: the further clusters' " +
        "objects, weighed after the first cluster's so that the interning pools hold what clusters share (as in a " +
        "gateway serving many); first_cluster_*: the first cluster with empty pools. Three processes; per kind the " +
        "median run (heap_bytes_per_object_runs lists each run's). Entries only: the stores and their indexes " +
        "(uid, name, namespace, owner, label set, node) are on top. fleet_objects counts every cluster with a " +
        "one-item list (items + remainingItemCount); fleet_heap_bytes_estimate = fleet_objects x heap_bytes_per_object.",
      raw_fanout:
        "client-node listPodForAllNamespaces with limit 500 + continue, every cluster at once, items kept",
    },
  };
}

/** The per-kind figures, set against the gateway's overall heap at the same fleet size. */
function heapByKind(r: KindHeapResult, grown: number, cachedObjects: number): Figures {
  const entries = r.fleet_entries_heap_bytes_estimate;
  return {
    further_clusters: r.further_clusters,
    first_cluster: r.first_cluster,
    pools_warm: r.pools_warm,
    objects: r.objects,
    heap_bytes: r.heap_bytes,
    heap_bytes_per_object: r.heap_bytes_per_object,
    fleet_objects: r.fleet_objects,
    fleet_entries_heap_bytes_estimate: entries,
    // The gateway's own growth over its baseline, for the same fleet: entries + indexes + the rest.
    gateway_heap_bytes_grown: grown,
    gateway_cached_objects: cachedObjects,
    gateway_heap_bytes_per_object: round(grown / Math.max(1, cachedObjects), 1),
    entries_share_of_gateway_heap: grown > 0 ? round(entries / grown, 3) : null,
    kinds: r.kinds.map((k) => {
      // A kind the measured cluster lacks is costed at the first cluster's figure (as in the sum).
      const perObject = k.heap_bytes_per_object ?? k.first_cluster_heap_bytes_per_object ?? 0;
      return { ...k, fleet_heap_bytes_estimate: Math.round(k.fleet_objects * perObject) };
    }),
    gc_forced: r.gc_forced,
    runs: r.runs,
    list_ms: r.list_ms,
    measure_ms: r.measure_ms,
  };
}
