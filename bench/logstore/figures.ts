/**
 * Figures for the simulator's log store (docs/simulator.md, "Log store"): starts a fleet with the
 * shared store, lets the feeders run, and reports ingest rate, heap, and the latency of the
 * gateway's heaviest log search — a keyword match with a `terms` filter of 5,000 namespaces and a
 * time range, sorted by time — through the official client.
 *
 *   npm run build && node --expose-gc dist/bench/logstore/figures.js [clusters] [pods] [seconds] [baseline]
 */
import { Client } from "@elastic/elasticsearch";
import { startFleet } from "../../sim/fleet.js";

const clusters = Number(process.argv[2] ?? 50);
const pods = Number(process.argv[3] ?? 200);
const seconds = Number(process.argv[4] ?? 60);

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
}

const before = heapMb();
if (process.argv[5] === "baseline") {
  // The same fleet without a log store, for the heap the store adds.
  const fleet = await startFleet({
    clusters,
    nodes: 3,
    pods,
    seed: "logstore-figures",
    http: true,
    metrics: false,
    logStore: false,
  });
  console.log(`fleet of ${clusters}x${pods} without a log store: heap ${before} -> ${heapMb()} MB`);
  await fleet.stop();
  process.exit(0);
}
const withStore = await startFleet({
  clusters,
  nodes: 3,
  pods,
  seed: "logstore-figures",
  http: true,
  metrics: false,
});
const server = withStore.logStore(withStore.clusters[0]!.name)!;
const store = server.store;
console.log(
  `fleet of ${clusters}x${pods} with its log store: backfill ${store.documentCount} documents; heap ${before} -> ${heapMb()} MB`,
);
const startDocs = store.written;
const startAt = performance.now();
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const rate = ((store.written - startDocs) / ((performance.now() - startAt) / 1000)).toFixed(0);
console.log(
  `after ${seconds}s: ${store.documentCount} documents (written ${store.written}, aged out ${store.evicted}); ingest ${rate} docs/s; heap ${heapMb()} MB`,
);

const es = new Client({ node: server.url });
const namespaces = Array.from({ length: 5000 }, (_, i) =>
  i < 20
    ? [
        "payments",
        "checkout",
        "cart",
        "catalog",
        "search",
        "analytics",
        "kafka",
        "auth",
        "users",
        "monitoring",
        "logging",
        "ingress-nginx",
        "kube-system",
        "default",
        "notifications",
        "cert-manager",
        "recommendations",
        "batch-jobs",
        "kube-public",
        "kube-node-lease",
      ][i]!
    : `ns-${i}`,
);
const query = {
  bool: {
    filter: [
      { terms: { "kubernetes.namespace_name.keyword": namespaces } },
      { range: { time: { gte: "now-1h", lte: "now" } } },
    ],
    must: [{ match: { log: "orders" } }],
  },
};
const timings: number[] = [];
let total = 0;
for (let i = 0; i < 30; i++) {
  const t = performance.now();
  const res = await es.search({
    index: "ks-logstash-log-*",
    query,
    size: 50,
    sort: [{ time: "desc" }],
    track_total_hits: true,
  });
  timings.push(performance.now() - t);
  total = (res.hits.total as { value: number }).value;
}
timings.sort((a, b) => a - b);
console.log(
  `search (5,000-namespace terms + match + range, size 50, sorted by time): ${total} hits; p50 ${timings[15]!.toFixed(1)} ms, p90 ${timings[27]!.toFixed(1)} ms`,
);
const aggT = performance.now();
await es.search({
  index: "ks-logstash-log-*",
  size: 0,
  query: { bool: { filter: query.bool.filter } },
  aggs: {
    t: {
      date_histogram: { field: "time", fixed_interval: "1m" },
      aggs: { c: { terms: { field: "cluster.keyword", size: 50 } } },
    },
  },
});
console.log(
  `date_histogram 1m x terms(cluster) over the same filter: ${(performance.now() - aggT).toFixed(1)} ms`,
);
await es.close();
await withStore.stop();
