/** The soak table of docs/benchmarks.md: what a long mixed run did to the gateway. */
import { ms, n, size } from "./report-format.js";
import type { BenchResult } from "./results.js";

const handles = (v: unknown): string => {
  const entries = Object.entries((v ?? {}) as Record<string, number>);
  return entries.length ? entries.map(([type, count]) => `${type} ${n(count)}`).join(", ") : "none";
};

/** Per kind of fault, p50 / max of the time its cluster took to answer cleanly again. */
const recoveries = (v: unknown): string => {
  const entries = Object.entries((v ?? {}) as Record<string, { p50_ms?: number; max_ms?: number }>);
  if (!entries.length) return "not recorded";
  return entries.map(([name, s]) => `${name} ${ms(s.p50_ms)} / ${ms(s.max_ms)}`).join("; ");
};

export function renderSoak(r: BenchResult): string {
  const f = r.fleetgraph;
  const q = (f.pods_query ?? {}) as Record<string, unknown>;
  const events = Object.values((f.subscription_events ?? {}) as Record<string, number>).reduce(
    (a, b) => a + b,
    0,
  );
  const method = r.method;
  const rows: [string, string][] = [
    ["measured (after warm-up)", `${n(f.measured_s)} s (warm-up ${n(method.warmup_s)} s)`],
    [
      "requests / of them mutations",
      `${n(f.requests)} / ${n(f.mutations)} (${n(f.requests_per_s, 1)} per s)`,
    ],
    ["faults injected", n(f.faults_injected)],
    ["errors explained by a fault / not", `${n(f.errors_expected)} / ${n(f.errors_unexpected)}`],
    ["recovery: fault end → first clean dashboard answer", recoveries(f.recovery_ms)],
    ["pods-query p50 / p99 / max", `${ms(q.p50_ms)} / ${ms(q.p99_ms)} / ${ms(q.max_ms)}`],
    [
      "subscribers / events they received / errors",
      `${n(f.subscribers_connected)} / ${n(events)} / ${n(f.subscription_errors)}`,
    ],
    [
      "heap after warm-up → settled (growth)",
      `${size(f.heap_after_warmup_bytes)} → ${size(f.heap_settled_bytes)} (${n(f.heap_growth_pct, 1)} %)`,
    ],
    ["RSS at the end (peak)", `${size(f.rss_bytes)} (${size(f.peak_rss_bytes)})`],
    ["handles at rest before", handles(f.handles_before)],
    ["handles at rest after", handles(f.handles_after)],
    ["grown (leaks)", handles(f.handles_leaked)],
    ["subscription sockets left", n(f.subscription_sockets_after)],
  ];
  const samples = (f.unexpected_samples as string[] | undefined) ?? [];
  return [
    "| figure | fleetgraph |",
    "| --- | ---: |",
    ...rows.map(([label, value]) => `| ${label} | ${value} |`),
    "",
    `Readers: ${String(method.readers)}. Writer: ${String(method.writer)}. Subscribers: ${String(method.subscribers)}. ` +
      `Churn: ${n(method.churn_per_s)} changes/s. Faults: ${String(method.faults)}. Expected errors: ${String(method.expected_errors)}.`,
    ...(samples.length ? ["", "Unexplained errors (first ones):", "", ...samples.map((s) => `- ${s}`)] : []),
  ].join("\n");
}
