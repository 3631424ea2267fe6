/** The sync, scale, churn, churn-query, metrics, logs and federation tables of docs/benchmarks.md. */
import { comparedRows, type ComparedRow } from "./report-format.js";
import { isSkipped, type BenchResult, type Figures } from "./results.js";

const MiB = 1024 ** 2;
const mib = (v: unknown): string => (typeof v === "number" ? `${(v / MiB).toFixed(0)} MiB` : "—");
const mib1 = (v: unknown): string => (typeof v === "number" ? `${(v / MiB).toFixed(1)} MiB` : "—");
const n = (v: unknown, digits = 0): string => (typeof v === "number" ? v.toFixed(digits) : "—");
const s = (ms: unknown): string => (typeof ms === "number" ? `${(ms / 1000).toFixed(2)} s` : "—");

export function renderSync(r: BenchResult): string {
  const f = r.fleetgraph;
  const sizes = (f.sizes as Figures[] | undefined) ?? [];
  const fanout = r.peers["raw-fanout"];
  const fanoutSizes = isSkipped(fanout) ? [] : ((fanout.sizes as Figures[] | undefined) ?? []);
  const lines = [
    "| clusters | pods | cached objects | sync | pods/s | heap | heap/pod | heap/object | RSS | RSS/pod | raw-fanout: list all pods | raw-fanout: heap/pod |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  sizes.forEach((size, i) => {
    const peer = fanoutSizes[i] ?? {};
    lines.push(
      `| ${n(size.clusters)} | ${n(size.pods)} | ${n(size.objects)} | ${s(size.sync_ms)} | ${n(size.pods_per_s)} | ${mib(size.heap_bytes)} | ${n(size.heap_bytes_per_pod)} B | ${n(size.heap_bytes_per_object)} B | ${mib(size.rss_bytes)} | ${n(size.rss_bytes_per_pod)} B | ${s(peer.sync_ms)} | ${n(peer.heap_bytes_per_pod)} B |`,
    );
  });
  return [
    lines.join("\n"),
    "",
    `Heap per pod = (heap after a full GC − ${mib(f.baseline_heap_bytes)} of a gateway with no clusters) / pods; ` +
      `every other cached kind is counted in it. Marginal heap per added pod between the smallest and largest fleet: ` +
      `${n(f.heap_bytes_per_pod_marginal)} B. Sync = the gateway's "cache sync started" to "cache sync complete" log lines; ` +
      `from process spawn to /readyz 200 it took ${s(f.ready_ms)} at the largest size. raw-fanout lists only pods ` +
      `(500 per page, every cluster at once) and keeps client-node's objects.`,
    ...renderHeapByKind(f.heap_by_kind as Figures | null | undefined),
  ].join("\n");
}

export function renderScale(r: BenchResult): string {
  const f = r.fleetgraph;
  const q = (f.pods_query as Figures | undefined) ?? {};
  const list = (v: unknown): string => (Array.isArray(v) && v.length > 0 ? v.join(", ") : "none");
  return [
    "| sync | /readyz 200 after sync | ready before synced | ever unreachable | gave up | heap | heap/pod | RSS | pods-query p50 | pods-query p99 |",
    "| ---: | ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    `| ${s(f.sync_ms)} | ${s(f.ready_after_sync_ms)} | ${f.ready_before_synced === true ? "**yes**" : "no"} | ${list(f.unreachable)} | ${list(f.gave_up)} | ${mib(f.heap_bytes)} | ${n(f.heap_bytes_per_pod)} B | ${mib(f.rss_bytes)} | ${n(q.p50_ms, 2)} ms | ${n(q.p99_ms, 2)} ms |`,
    "",
    `Sync = the gateway's "cache sync started" to "cache sync complete" log lines; /readyz was polled every 50 ms ` +
      `from spawn. Heap per pod = (heap after a full GC − ${mib(f.baseline_heap_bytes)} of a gateway with no ` +
      `clusters) / pods. Relists during the run: ${n(f.relists)}.`,
  ].join("\n");
}

const pct = (part: unknown, whole: unknown): string =>
  typeof part === "number" && typeof whole === "number" && whole > 0
    ? `${((100 * part) / whole).toFixed(1)} %`
    : "—";

/** Heap per cached object by kind (the sync scenario's largest fleet), or nothing when not measured. */
export function renderHeapByKind(h: Figures | null | undefined): string[] {
  if (!h) return [];
  const kinds = (h.kinds as Figures[] | undefined) ?? [];
  const fleetObjects = typeof h.fleet_objects === "number" ? h.fleet_objects : 0;
  const entries = h.fleet_entries_heap_bytes_estimate;
  // Over the fleet's mix of kinds (the weighed objects' own mix has far fewer pods and events).
  const fleetPerObject = fleetObjects > 0 && typeof entries === "number" ? n(entries / fleetObjects) : "—";
  const perObject = (v: unknown): string => (typeof v === "number" ? `${n(v)} B` : "—");
  const runs = (v: unknown): string =>
    Array.isArray(v) ? v.map((x) => (typeof x === "number" ? n(x) : "—")).join(" / ") : "—";
  const lines = [
    "| kind | objects in the fleet | weighed (clusters) | heap/object | each run | fleet entries (est.) | share of entries |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...kinds.map(
      (k) =>
        `| ${String(k.kind)} | ${n(k.fleet_objects)} | ${n(k.objects)} (${n(k.clusters)}) | ${perObject(k.heap_bytes_per_object)} | ${runs(k.heap_bytes_per_object_runs)} | ${mib1(k.fleet_heap_bytes_estimate)} | ${pct(k.fleet_heap_bytes_estimate, entries)} |`,
    ),
    `| all kinds | ${n(h.fleet_objects)} | ${n(h.objects)} | ${fleetPerObject} B | | ${mib1(entries)} | 100 % |`,
  ];
  const firstPerObject = (kind: string): string =>
    perObject(kinds.find((k) => k.kind === kind)?.first_cluster_heap_bytes_per_object);
  const first = String(h.first_cluster);
  const where = h.pools_warm
    ? `Each kind is weighed on the clusters after ${first} (at least 1,000 objects from two clusters or more, ` +
      "or every cluster's when it has fewer: the weighed column), once " +
      `${first}'s entries were made, so that the interning pools already hold what clusters share (label ` +
      `sets, images, container templates, names), as in a gateway serving many; ${first} alone, with ` +
      `empty pools, took ${firstPerObject("Pod")} per pod and ${firstPerObject("Event")} per event.`
    : `A one-cluster fleet: each kind is weighed on ${first} with empty interning pools.`;
  return [
    "",
    "**Heap per cached object by kind** at this fleet size: the entries the gateway's own " +
      "`toEntry(cluster, kind, object)` makes of the simulator's lists, weighed kind by kind in a fresh process " +
      `(V8 heap after full GCs before and after each kind, compiled code left out). ${where} ` +
      "Entries only: the stores and their indexes (uid, name, namespace, owner, label set, node) are on top. " +
      `Fleet entries (est.) = objects in the fleet × heap/object: ${mib1(entries)} of the ` +
      `${mib1(h.gateway_heap_bytes_grown)} the gateway's heap grew by over its baseline ` +
      `(${pct(entries, h.gateway_heap_bytes_grown)}; ${fleetPerObject} B against ` +
      `${n(h.gateway_heap_bytes_per_object)} B per cached object); the rest is the stores, their indexes and ` +
      `each cluster's connection and watch state. The gateway cached ${n(h.gateway_cached_objects)} objects; ` +
      `the one-item lists counted ${n(h.fleet_objects)}.` +
      (typeof h.runs === "number" && h.runs > 1
        ? ` Each figure is the median of ${h.runs} runs, each in a process of its own (each run): V8's own ` +
          "bookkeeping (hidden classes, feedback, the interning pools' keys flattened late) lands on whichever " +
          "kind is being weighed, up to a few kilobytes."
        : ""),
    "",
    lines.join("\n"),
  ];
}

export function renderChurn(r: BenchResult): string {
  const f = r.fleetgraph;
  const steps = (f.steps as Figures[] | undefined) ?? [];
  const lines = [
    "| churn (changes/s) | simulator revisions/s | events ingested/s | lag median | lag max | relists | gateway CPU | simulator CPU | behind |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...steps.map(
      (st) =>
        `| ${n(st.churn_per_s)} | ${n(st.simulator_revisions_per_s)} | ${n(st.events_per_s)} | ${n(st.lag_median_s, 3)} s | ${n(st.lag_max_s, 3)} s | ${n(st.relists)} | ${n(st.gateway_cpu_cores, 2)} | ${n(st.simulator_cpu_cores, 2)} | ${st.behind ? "**yes**" : "no"} |`,
    ),
  ];
  const method = r.method as { behind?: string; step_s?: number };
  return [
    lines.join("\n"),
    "",
    `Best step kept up: ${n(f.events_per_s)} events/s; limited by: ${String(f.limited_by)}` +
      (f.fell_behind_at_churn_per_s
        ? ` (the lag passed its bound at churn ${n(f.fell_behind_at_churn_per_s)}/s, ${n(f.fell_behind_at_events_per_s)} events/s)`
        : "") +
      `. At that step the gateway spent ${n(f.events_per_cpu_s)} events per CPU-second. ` +
      `Steps of ${n(method.step_s)} s. Behind = ${method.behind ?? ""}. Peers keep no cache, so they ingest nothing.`,
  ].join("\n");
}

export function renderChurnQuery(r: BenchResult): string {
  const f = r.fleetgraph;
  const method = r.method as { duration_s?: number; connections?: number };
  return [
    "| churn (changes/s) | events applied/s | pods-query p50 | p99 | max | at rest p50 | asked / answered per s | answers with errors | relists | every event applied | gateway CPU |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    `| ${n(f.churn_per_s)} | ${n(f.events_per_s)} | ${ms(f.p50_ms)} | ${ms(f.p99_ms)} | ${ms(f.max_ms)} | ${ms(f.at_rest_p50_ms)} | ${n(f.asked_rps)} / ${n(f.rps)} | ${n(f.answers_with_errors)} | ${n(f.relists)} | ${f.every_event_applied === true ? "yes" : "**no**"} | ${n(f.cpu_cores, 2)} |`,
    "",
    `pods-query asked at an open rate over ${n(method.connections)} connections for ${n(method.duration_s)} s while the simulator churned; ` +
      `every event applied = after churn stops, every cluster's resourceVersion in the gateway reached the simulator's revision ` +
      `(in ${n(f.catch_up_ms)} ms) and the gateway counted the simulator's ${n(f.simulator_pods)} pods. Peers keep no cache.`,
  ].join("\n");
}

const ms = (v: unknown): string =>
  typeof v === "number" ? `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms` : "—";
const percent = (share: unknown, digits: number): string =>
  typeof share === "number" ? `${(100 * share).toFixed(digits)} %` : "—";

/** The metrics scenario's rows. */
const METRICS_ROWS: ComparedRow[] = [
  ["p50", "p50_ms", true, ms],
  ["p95", "p95_ms", true, ms],
  ["p99", "p99_ms", true, ms],
  ["pages/s", "rps", false, (v) => n(v, 1)],
  ["PromQL queries per page", "promql_queries_per_request", true, (v) => n(v, 1)],
  ["Prometheus CPU per page", "prometheus_cpu_ms_per_request", true, ms],
  ["own process CPU (cores)", "cpu_cores", true, (v) => n(v, 2)],
  ["answers", "samples", false, (v) => n(v)],
];

export function renderMetrics(r: BenchResult): string {
  const f = r.fleetgraph;
  const peer = r.peers["per-object"];
  const p: Figures = peer && !isSkipped(peer) ? peer : {};
  const lines = [
    "| figure | fleetgraph | per-object (×) |",
    "| --- | ---: | ---: |",
    ...comparedRows(f, p, METRICS_ROWS),
  ];
  const top = (f.top_by_cpu as Figures | undefined) ?? {};
  const method = r.method as {
    prometheus?: Figures;
    peer_concurrency?: number;
    answer_tolerance?: number;
    connections?: number;
    duration_s?: number;
  };
  const prom = method.prometheus ?? {};
  const agrees = p.answer_matches_gateway === true ? "equals" : "differs from";
  return [
    lines.join("\n"),
    "",
    `A page of ${n(f.workloads_in_page)} workloads over ${n(f.clusters_in_page)} clusters, ` +
      `${method.connections} page(s) at a time, ${method.duration_s} s per target after a warm-up. ` +
      `PromQL queries are Prometheus's own count of its query API's requests over the measured window; ` +
      `Prometheus CPU is its process's CPU in that window less its idle CPU (${n(prom.idle_cpu_cores, 3)} cores: ` +
      `scraping ${n(prom.series)} series every ${n(prom.scrape_interval_s)} s, with ${n(prom.history_s)} s of history before measuring; Prometheus ${typeof prom.version === "string" ? prom.version : "—"}), ` +
      `per page. per-object sends ${n(method.peer_concurrency)} queries at a time per page; its page ${agrees} ` +
      `the gateway's within ${percent(method.answer_tolerance, 0)} (largest difference ${percent(p.answer_max_relative_difference, 2)} ` +
      `over ${n(p.answer_compared_values)} numbers).`,
    "",
    `**Top 10 by CPU across the fleet** (\`orderBy: {metric: CPU_USAGE, direction: DESC}\`, fleetgraph only): ` +
      `p50 ${ms(top.p50_ms)}, p99 ${ms(top.p99_ms)}, ${n(top.rps, 1)} pages/s, ` +
      `${n(top.promql_queries_per_request, 1)} PromQL queries and ${ms(top.prometheus_cpu_ms_per_request)} of ` +
      `Prometheus CPU per page; ${top.ordered === true ? "ordered by CPU" : "**not ordered by CPU**"}.`,
  ].join("\n");
}

const OVERHEAD_ROWS: readonly (readonly [string, string])[] = [
  ["p50", "p50_ms"],
  ["p95", "p95_ms"],
  ["p99", "p99_ms"],
  ["mean", "mean_ms"],
  ["requests/s", "rps"],
];

/**
 * Latency rows of a target beside the same request sent without it (`other`): both figures and
 * the difference, then `extra`'s figure in a last column when given.
 */
function overheadRows(own: Figures, other: Figures, extra?: Figures): string[] {
  return OVERHEAD_ROWS.map(([label, key]) => {
    const a = own[key];
    const b = other[key];
    const format = key === "rps" ? (v: unknown) => n(v, 1) : ms;
    const overhead = key !== "rps" && typeof a === "number" && typeof b === "number" ? ms(a - b) : "—";
    const last = extra ? ` ${format(extra[key])} |` : "";
    return `| ${label} | ${format(a)} | ${format(b)} | ${overhead} |${last}`;
  });
}

/** The logs scenario: the gateway beside the same search sent straight to the store. */
export function renderLogs(r: BenchResult): string {
  const f = r.fleetgraph;
  const peer = r.peers["direct-store"];
  const d: Figures = peer && !isSkipped(peer) ? peer : {};
  const lines = [
    "| figure | fleetgraph | store directly | gateway's overhead |",
    "| --- | ---: | ---: | ---: |",
    ...overheadRows(f, d),
  ];
  const method = r.method as { scope?: string; data?: string; duration_s?: number };
  return [
    lines.join("\n"),
    "",
    `One keyword (a phrase) over every cluster's logs of the last 30 minutes, first page of 50 and the ` +
      `exact total (${n(f.total_count)} matches among ${n(f.documents)} documents), as ${method.scope ?? "—"}. ` +
      `Store requests per search: ${n(f.store_requests_per_request, 2)} (the gateway's own count). ` +
      `"Store directly" is the request the gateway builds for that search, sent with the official client ` +
      `from the harness: the difference is authentication, the Scope, GraphQL and the merge. Data: ${method.data ?? "—"}. ` +
      `Closed loop, one request at a time, ${n(method.duration_s)} s each.`,
  ].join("\n");
}

/** The federation scenario: the same query through the router and straight to the gateway. */
export function renderFederation(r: BenchResult): string {
  const f = r.fleetgraph;
  const peer = r.peers["direct-gateway"];
  const d: Figures = peer && !isSkipped(peer) ? peer : {};
  const crossing = (f.crossing ?? {}) as Figures;
  const lines = [
    "| figure | through the router | gateway directly | router's overhead | crossing both subgraphs |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...overheadRows(f, d, crossing),
  ];
  const method = r.method as { duration_s?: number };
  return [
    lines.join("\n"),
    "",
    `The same query (20 workloads by a label selector, with their labels) sent through the example ` +
      `router (Hive Gateway's runtime, examples/teams-subgraph) and straight to the gateway serving ` +
      `\`--subgraph\`, alternately, one request at a time, ${n(method.duration_s)} s each; ` +
      `${f.answer_matches_direct === true ? "the answers are equal" : "**the answers differ**"}. ` +
      `"Crossing both subgraphs": five Deployments' owning teams (teams subgraph), then each team's ` +
      `workloads (Fleetgraph again), through the router. docs/federation.md.`,
  ].join("\n");
}
