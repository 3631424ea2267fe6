/**
 * `scale`: one large fleet (100 clusters x 10,000 pods by default, a million pods), synced by one
 * gateway. Records how long the initial sync took, whether the gateway ever called a cluster
 * UNREACHABLE or gave one up while it was merely slow, whether /readyz answered ready before the
 * sync was complete, the heap per pod after a full GC, RSS, and pods-query latency at that size.
 * The simulator runs in its own process on the same machine, as in the other scenarios.
 */
import { generateLoad } from "../load/generate-load.js";
import { postGraphQL } from "../http-client.js";
import { Gateway } from "../processes/gateway.js";
import { Simulator } from "../processes/simulator.js";
import { memory, round } from "../proc-stats.js";
import { POD_SELECTOR, PODS_QUERY } from "../queries.js";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./scenario.js";
import { baseline } from "./sync.js";

/** The targets at a million pods (bench/targets.ts checks them from the results). */
export const SCALE_TARGETS = Object.freeze({ heapBytesPerPod: 1024, podsQueryP99Ms: 25 });

export const scale: Scenario = {
  name: "scale",
  summary: "sync time, readiness, heap per pod and pods-query latency at 100 clusters x 10,000 pods",
  defaults: { clusters: [100], pods: 10_000, durationS: 10 },
  run: runScale,
};

async function runScale(options: ScenarioOptions): Promise<ScenarioResult> {
  const clusters = options.clusters[0]!;
  options.log("measuring a gateway with no clusters (the baseline)");
  const base = await baseline(options);
  options.log(`starting the simulator: ${clusters} clusters x ${options.pods} pods`);
  const sim = await Simulator.start({ clusters, pods: options.pods, dir: options.dir });
  try {
    options.log("starting the gateway and waiting for every cluster to sync");
    const gateway = await Gateway.start({
      fleet: sim.fleet,
      kubeconfigPath: sim.kubeconfigPath,
      dir: options.dir,
      auth: options.auth,
      // A million pods on a machine shared with the simulator: minutes, not seconds.
      readyTimeoutMs: 20 * 60_000,
    });
    try {
      const events = gateway.syncEvents();
      const cache = await gateway.cache();
      const syncMs =
        events.startedAt !== undefined && events.completeAt !== undefined
          ? events.completeAt - events.startedAt
          : null;
      const ready = gateway.firstReady;
      // Ready before the sync was complete: a 200 that counted a cluster pending or given up, or
      // one that came before the "cache sync complete" line.
      const readyBeforeSynced =
        ready.pending > 0 ||
        ready.gaveUp > 0 ||
        events.completeAt === undefined ||
        ready.at < events.completeAt;
      options.log(
        `synced in ${syncMs === null ? "?" : (syncMs / 1000).toFixed(1)} s; ` +
          `unreachable: ${events.unreachable.length}, gave up: ${events.gaveUp.length}`,
      );
      const heap = await gateway.memory(true);
      const rss = memory(gateway.pid).rss_bytes;
      const heapPerPod = (heap.heapUsed - base.heap) / sim.pods;

      options.log("measuring pods-query at this size");
      const request = { query: PODS_QUERY, variables: { selector: POD_SELECTOR } };
      // One answer first: an error fails the run before the load does.
      await postGraphQL(gateway.url, request, gateway.headers);
      const { load, server } = await generateLoad("fleetgraph", gateway.pid, {
        url: gateway.url,
        body: JSON.stringify(request),
        headers: gateway.headers,
        connections: options.connections ?? 1,
        durationS: options.durationS,
        warmupS: options.warmupS,
        timeoutS: 120,
      });
      options.log(`  pods-query p50 ${load.p50_ms} ms, p99 ${load.p99_ms} ms`);
      return {
        scenario: "scale",
        fleet: { clusters, pods: options.pods, pods_total: sim.pods },
        fleetgraph: {
          sync_ms: syncMs === null ? null : round(syncMs, 0),
          ready_ms: round(gateway.readyMs, 0),
          ready_after_sync_ms:
            events.completeAt === undefined ? null : round(ready.at - events.completeAt, 0),
          ready_before_synced: readyBeforeSynced,
          ready_counted: { synced: ready.synced, pending: ready.pending, gave_up: ready.gaveUp },
          clusters_synced: cache.clustersSynced,
          clusters_ever_unreachable: events.unreachable.length,
          unreachable: events.unreachable,
          clusters_gave_up: events.gaveUp.length,
          gave_up: events.gaveUp,
          relists: cache.relists,
          cached_objects: cache.objects,
          heap_bytes: heap.heapUsed,
          heap_bytes_per_pod: round(heapPerPod, 1),
          rss_bytes: rss,
          rss_bytes_per_pod: round((rss - base.rss) / sim.pods, 1),
          baseline_heap_bytes: base.heap,
          gc_forced: heap.collected,
          pods_query: {
            p50_ms: load.p50_ms,
            p95_ms: load.p95_ms,
            p99_ms: load.p99_ms,
            max_ms: load.max_ms,
            rps: load.rps,
            samples: load.samples,
            errors: load.errors + load.timeouts + load.non2xx + load.graphql_errors,
            cpu_cores: server.cpu_cores,
          },
          p50_ms: load.p50_ms,
          p99_ms: load.p99_ms,
          targets: {
            none_unreachable: events.unreachable.length === 0 && events.gaveUp.length === 0,
            readyz_not_before_synced: !readyBeforeSynced,
            heap_per_pod_within: heapPerPod <= SCALE_TARGETS.heapBytesPerPod,
            pods_query_p99_within: load.p99_ms <= SCALE_TARGETS.podsQueryP99Ms,
          },
        },
        peers: {
          passthrough: { skipped: "keeps nothing: there is no sync to measure" },
          "raw-fanout": { skipped: "the sync scenario measures it (one paginated list of every pod)" },
          "graphql-constant": { skipped: "holds no fleet data" },
        },
        method: {
          sync_ms: 'the gateway\'s "cache sync started" to its "cache sync complete" log line',
          ready_before_synced:
            "the first /readyz 200 (polled every 50 ms) counted a cluster pending or given up, or came before the " +
            '"cache sync complete" line',
          unreachable:
            'clusters named in a "health ... -> UNREACHABLE" log line of the gateway at any time before measuring',
          heap_bytes_per_pod:
            "(heapUsed after a full GC - the same for a gateway with no clusters) / pods in the fleet",
          pods_query: `${PODS_QUERY.split("\n")[0]} with selector ${POD_SELECTOR}, closed loop, after the sync`,
          targets: `none unreachable or given up, /readyz not before synced, heap <= ${SCALE_TARGETS.heapBytesPerPod} B per pod, pods-query p99 <= ${SCALE_TARGETS.podsQueryP99Ms} ms (stated for 100 x 10,000 pods)`,
        },
      };
    } finally {
      await gateway.stop();
    }
  } finally {
    await sim.stop();
  }
}
