/**
 * `npm run bench:report`: turns bench/results/*.json into docs/benchmarks.md — the machine, the
 * targets met or missed, and per scenario each figure beside its peers with the ratio. The
 * hand-written analysis (profiles, what remains and why) lives in bench/report-notes.md and is
 * copied in as is.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { ROOT } from "./processes/child.js";
import { isSkipped, PEERS, type BenchResult, type Figures } from "./results.js";
import { checkTargets, withoutAuth } from "./targets.js";
import { renderEntityObjects } from "./report-entity-objects.js";
import { renderSoak } from "./report-soak.js";
import { renderSubscriptions } from "./report-subscriptions.js";
import {
  renderChurn,
  renderFederation,
  renderChurnQuery,
  renderLogs,
  renderMetrics,
  renderScale,
  renderSync,
} from "./report-tables.js";

const ORDER = [
  "pods-query",
  "node-lookup",
  "dashboard",
  "throughput",
  "sync",
  "scale",
  "churn",
  "churn-query",
  "subscriptions",
  "metrics",
  "logs",
  "entity-objects",
  "federation",
  "soak",
];
/** The scenarios whose figures are latency and requests per second, shown in one table shape. */
const QUERY_TABLES = new Set(["pods-query", "node-lookup", "dashboard", "throughput"]);
/** Scenarios with tables of their own (no requests per second to compare with and without auth). */
const OWN_TABLES = new Set(ORDER.filter((name) => !QUERY_TABLES.has(name)));

export async function readResults(dir: string): Promise<Map<string, BenchResult>> {
  const results = new Map<string, BenchResult>();
  if (!existsSync(dir)) return results;
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".json")).sort()) {
    const result = JSON.parse(await readFile(join(dir, file), "utf8")) as BenchResult;
    results.set(result.authentication === "off" ? withoutAuth(result.scenario) : result.scenario, result);
  }
  return results;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export function formatFigure(key: string, value: unknown): string {
  if (typeof value === "string" || typeof value === "boolean") return String(value);
  if (typeof value !== "number") return "—";
  if (key.endsWith("_bytes"))
    return value >= GiB ? `${(value / GiB).toFixed(2)} GiB` : `${(value / MiB).toFixed(1)} MiB`;
  if (key.endsWith("_ms")) return `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
  if (key === "rps") return value.toFixed(value < 10 ? 1 : 0);
  return String(value);
}

/** The figures shown for a query scenario, with the sense of "better". */
const QUERY_ROWS: [key: string, lowerIsBetter: boolean][] = [
  ["p50_ms", true],
  ["p95_ms", true],
  ["p99_ms", true],
  ["rps", false],
  ["cpu_cores", true],
  ["simulator_cpu_cores", true],
  ["heap_bytes", true],
  ["rss_bytes", true],
];

function renderQuery(r: BenchResult): string {
  const peerHeads = PEERS.map((p) => `${p} (×)`);
  const lines = [
    `| figure | fleetgraph | ${peerHeads.join(" | ")} |`,
    `| --- | ---: | ${PEERS.map(() => "---:").join(" | ")} |`,
  ];
  for (const [key, lower] of QUERY_ROWS) {
    const own = r.fleetgraph[key];
    const cells = PEERS.map((p) => {
      const peer = r.peers[p];
      if (isSkipped(peer)) return "—";
      const value = peer[key];
      if (typeof value !== "number" || typeof own !== "number" || own === 0 || value === 0)
        return formatFigure(key, value);
      // Ratio as "how many times better fleetgraph is": >1 means fleetgraph wins.
      const ratio = lower ? value / own : own / value;
      return `${formatFigure(key, value)} (${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)})`;
    });
    lines.push(`| ${key} | ${formatFigure(key, own)} | ${cells.join(" | ")} |`);
  }
  const samples = [r.fleetgraph.samples, ...PEERS.map((p) => (r.peers[p] as Figures).samples)].map((s) =>
    formatFigure("samples", s),
  );
  lines.push(`| samples | ${samples.join(" | ")} |`);
  const agree = (r.peers.passthrough as Figures).answer_matches_gateway;
  const method = r.method as { connections?: number; duration_s?: number };
  const rounds = r.fleetgraph.constant_rps_share_rounds as number[] | undefined;
  const paired = rounds
    ? `fleetgraph and graphql-constant alternated over ${rounds.length} rounds; the round with the median ` +
      `ratio is shown (ratios of all rounds: ${rounds.join(", ")}). `
    : "";
  return [
    lines.join("\n"),
    "",
    `Load: ${method.connections} connection(s), ${method.duration_s} s per target after a warm-up. ${paired}` +
      `(×) = how many times better fleetgraph's figure is than the peer's (> 1: fleetgraph better). ` +
      `passthrough's answer ${agree === true ? "equals" : "differs from"} the gateway's (ids aside).`,
  ].join("\n");
}

function describeMachine(results: Map<string, BenchResult>): string {
  const first = [...results.values()][0];
  if (!first) return "No results yet: run `npm run bench -- <scenario>`.";
  const m = first.machine;
  return [
    `- CPU: ${m.cpus} × ${m.cpu_model} (nproc = ${m.cpus})`,
    `- Memory: ${(m.memory_bytes / GiB).toFixed(1)} GiB (free: total)`,
    `- Node.js ${m.node}, Linux ${m.kernel}`,
    `- Runs: ${[...results.values()].map((r) => `${r.scenario} ${r.started_at.slice(0, 16).replace("T", " ")}`).join(", ")}`,
  ].join("\n");
}

export function renderReport(results: Map<string, BenchResult>, notes: string): string {
  const targets = checkTargets(results);
  const parts = [
    "# Benchmarks",
    "",
    "<!-- Generated by `npm run bench:report` from bench/results/*.json and bench/report-notes.md; edit those. -->",
    "",
    "Fleetgraph measured beside three peers on the same machine and the same simulated fleet, in the same run:",
    "`passthrough` (the same GraphQL query answered by listing from every API server per request, as qlkube,",
    "GraphQL Mesh and Backstage do), `raw-fanout` (the bare client-node lists, no GraphQL: the floor of any",
    "pass-through design) and `graphql-constant` (graphql-js answering the same document from a constant: the",
    "ceiling of GraphQL on this machine). The simulator, the gateway, each peer and the load generator",
    "(autocannon) run in separate processes; CPU and RSS are each process's own, read from /proc. For",
    "subscriptions, `passthrough` is a graphql-ws server that opens its own watch on the API servers for every",
    "subscription, and the load is thousands of graphql-ws clients in one process. For metrics, a real",
    "Prometheus scrapes the simulated fleet and the peer is `per-object`: one PromQL query per workload and",
    "metric, as clients of KubeSphere's monitoring API ask. For one service's objects across the fleet",
    "(entity-objects), the peer is `backstage`: Backstage's own Kubernetes backend, installed from npm.",
    "",
    "```sh",
    "npm run bench -- pods-query --clusters 50 --pods 2000 --duration 10",
    "npm run bench -- sync                      # 5, 20, 50 clusters x 2,000 pods",
    "npm run bench -- scale                     # 100 clusters x 10,000 pods: sync, readiness, heap, pods-query",
    "npm run bench -- subscriptions             # 1,000 and 10,000 subscribers, 50 x 2,000 pods",
    "npm run bench -- metrics                   # 10 x 500 pods scraped by a real Prometheus",
    "npm run bench -- soak                      # 30 minutes of everything at once, with faults, 10 x 1,000",
    "npm run bench -- churn-query               # pods-query at 150/s, 10 x 1,000 pods, 200 changes/s",
    "npm run bench -- entity-objects            # one service's objects beside Backstage's backend, 10 x 2,000 (and --clusters 50)",
    "npm run bench -- federation                # the same query through a Federation router and directly, 10 x 200 pods",
    "npm run bench:report                       # rewrites this page",
    "```",
    "",
    "## Machine",
    "",
    describeMachine(results),
    "",
    "## Targets",
    "",
    "| scenario | target | measured | status |",
    "| --- | --- | ---: | --- |",
    ...targets.map(
      (t) =>
        `| ${t.scenario} | ${t.target} | ${t.value} | ${t.status === "met" ? "met" : `**${t.status}**`} |`,
    ),
  ];
  for (const name of ORDER) {
    const r = results.get(name);
    if (!r) continue;
    parts.push(
      "",
      `## ${name}`,
      "",
      `Fleet: ${r.fleet.clusters} clusters × ${r.fleet.pods} pods (${r.fleet.pods_total} pods).`,
      "",
    );
    if (name === "sync") parts.push(renderSync(r));
    else if (name === "scale") parts.push(renderScale(r));
    else if (name === "churn") parts.push(renderChurn(r));
    else if (name === "churn-query") parts.push(renderChurnQuery(r));
    else if (name === "subscriptions") parts.push(renderSubscriptions(r));
    else if (name === "metrics") parts.push(renderMetrics(r));
    else if (name === "logs") parts.push(renderLogs(r));
    else if (name === "entity-objects") parts.push(renderEntityObjects(r));
    else if (name === "federation") parts.push(renderFederation(r));
    else if (name === "soak") parts.push(renderSoak(r));
    else parts.push(renderQuery(r));
    for (const note of r.notes ?? []) parts.push("", `Note: ${note}`);
  }
  parts.push(...renderAuthComparison(results));
  if (notes.trim()) parts.push("", notes.trim());
  return `${parts.join("\n")}\n`;
}

/** Scenarios measured with and without authentication, side by side (same build, same fleet). */
function renderAuthComparison(results: ReadonlyMap<string, BenchResult>): string[] {
  const rows: string[] = [];
  for (const name of ORDER) {
    const on = results.get(name);
    const off = results.get(withoutAuth(name));
    if (!on || !off || OWN_TABLES.has(name)) continue;
    const ratio = (a: unknown, b: unknown) =>
      typeof a === "number" && typeof b === "number" && b > 0 ? `${((100 * a) / b).toFixed(0)} %` : "—";
    rows.push(
      `| ${name} | ${formatFigure("p50_ms", on.fleetgraph.p50_ms)} / ${formatFigure("p50_ms", off.fleetgraph.p50_ms)} | ${formatFigure("p99_ms", on.fleetgraph.p99_ms)} / ${formatFigure("p99_ms", off.fleetgraph.p99_ms)} | ${formatFigure("rps", on.fleetgraph.rps)} / ${formatFigure("rps", off.fleetgraph.rps)} | ${ratio(on.fleetgraph.rps, off.fleetgraph.rps)} |`,
    );
  }
  if (rows.length === 0) return [];
  return [
    "",
    "## Authentication on and off",
    "",
    "Every scenario above runs as deployed: each request carries a bearer token (a gateway session of the fleet's admin in a shared Redis), verified (cached by hash) and turned into a Scope. The same build with `--no-auth` (`npm run bench -- <scenario> --no-auth`):",
    "",
    "| scenario | p50 on / off | p99 on / off | requests/s on / off | on as % of off |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows,
  ];
}

async function main(): Promise<void> {
  const results = await readResults(join(ROOT, "bench/results"));
  const notesFile = join(ROOT, "bench/report-notes.md");
  const notes = existsSync(notesFile) ? await readFile(notesFile, "utf8") : "";
  const out = join(ROOT, "docs/benchmarks.md");
  // Formatted as `npm run lint` checks it (prettier aligns the tables).
  const text = await format(renderReport(results, notes), { ...(await resolveConfig(out)), filepath: out });
  await writeFile(out, text);
  process.stderr.write(`wrote ${out} from ${results.size} results\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
