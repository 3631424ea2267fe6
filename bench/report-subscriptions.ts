/** The subscriptions table of docs/benchmarks.md: the gateway and the pass-through, size by size. */
import { ms, n, size } from "./report-format.js";
import { isSkipped, type BenchResult, type Figures } from "./results.js";

const pct = (v: unknown): string => (typeof v === "number" ? `${(100 * v).toFixed(1)} %` : "—");
const codes = (v: unknown): string => {
  const entries = Object.entries((v ?? {}) as Record<string, number>);
  return entries.length ? entries.map(([k, c]) => `${n(c)} × ${k}`).join(", ") : "none";
};

type Row = [label: string, cell: (s: Figures, churn: Figures) => string];

const ROWS: Row[] = [
  ["subscribers open / asked", (s) => `${n(s.open)} / ${n(s.subscribers)}`],
  ["time to open them", (s) => (typeof s.connect_s === "number" ? `${n(s.connect_s, 1)} s` : "—")],
  ["connections refused or failed", (s) => codes(s.connect_errors)],
  ["watches open on the API servers", (s) => n(s.upstream_watches)],
  ["RSS per idle subscriber", (s) => size(s.rss_bytes_per_subscriber)],
  ["RSS per subscriber added since the smaller size", (s) => size(s.rss_bytes_per_added_subscriber)],
  ["heap per idle subscriber", (s) => size(s.heap_bytes_per_subscriber)],
  ["RSS, idle", (s) => size(s.rss_bytes)],
  ["latency p50", (_, c) => ms(c.p50_ms)],
  ["latency p95", (_, c) => ms(c.p95_ms)],
  ["latency p99", (_, c) => ms(c.p99_ms)],
  ["latency max", (_, c) => ms(c.max_ms)],
  ["events delivered per second", (_, c) => n(c.events_per_s)],
  ["delivered / expected", (_, c) => pct(c.delivered_share)],
  ["server CPU (cores)", (_, c) => n(c.cpu_cores, 2)],
  ["simulator CPU (cores)", (_, c) => n(c.simulator_cpu_cores, 2)],
  ["load process CPU (cores)", (_, c) => n(c.load_cpu_cores, 2)],
  ["sockets closed by the server", (_, c) => codes(c.closed_by_server)],
];

export function renderSubscriptions(r: BenchResult): string {
  const peer = r.peers.passthrough;
  const own = (r.fleetgraph.sizes as Figures[] | undefined) ?? [];
  const theirs = isSkipped(peer) ? [] : ((peer.sizes as Figures[] | undefined) ?? []);
  const columns: [string, Figures | undefined][] = own.flatMap((s, i) => [
    [`fleetgraph, ${n(s.subscribers)}`, s] as [string, Figures],
    [`passthrough, ${n(s.subscribers)}`, theirs[i]] as [string, Figures | undefined],
  ]);
  const lines = [
    `| figure | ${columns.map(([head]) => head).join(" | ")} |`,
    `| --- | ${columns.map(() => "---:").join(" | ")} |`,
    ...ROWS.map(
      ([label, cell]) =>
        `| ${label} | ${columns
          .map(([, s]) => {
            if (!s) return "—";
            if (typeof s.failed_with === "string") return "failed";
            return cell(s, (s.churn ?? {}) as Figures);
          })
          .join(" | ")} |`,
    ),
  ];
  const method = r.method;
  const largestChurn = (own.at(-1)?.churn ?? {}) as Figures;
  const failures = theirs
    .filter((s) => typeof s.failed_with === "string")
    .map((s) => `at ${n(s.subscribers)}: ${String(s.failed_with).split("\n")[0]}`);
  const peerWatchFailures = theirs
    .map((s) => ((s.churn ?? {}) as Figures).server as Figures | undefined)
    .map((st) => st?.watch_failures)
    .filter((f) => f && Object.keys(f).length > 0)
    .map(codes);
  return [
    lines.join("\n"),
    "",
    `Churn ${n(method.churn_per_s)} changes/s across the fleet (about ${n(largestChurn.pod_changes_per_s)} pod changes/s), ` +
      `${n(method.warmup_s, 1)} s of warm-up then ${n(method.duration_s)} s measured per column. ` +
      `Subscription: ${String(method.subscription)}. Latency: ${String(method.latency)}. ` +
      `Delivered / expected: events received for the window's changes over the changes times the subscribers ` +
      `watching their namespace (below 100 %: coalesced, lost, or not arrived within the drain). ` +
      `RSS per idle subscriber: ${String(method.rss_per_subscriber)}; fleetgraph's baseline was ` +
      `${size(r.fleetgraph.baseline_rss_bytes)} with ${n(r.fleetgraph.upstream_watches_without_subscribers)} watches. ` +
      `passthrough: ${String(method.passthrough)}.` +
      (peerWatchFailures.length ? ` Its failed watch requests: ${peerWatchFailures.join("; ")}.` : "") +
      (failures.length ? ` It failed ${failures.join("; ")}.` : ""),
  ].join("\n");
}
