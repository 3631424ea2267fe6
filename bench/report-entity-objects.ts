/** The entity-objects table of docs/benchmarks.md: Fleetgraph beside Backstage's Kubernetes backend. */
import { comparedRows, ms, n, size, type ComparedRow } from "./report-format.js";
import { isSkipped, type BenchResult, type Figures } from "./results.js";

const ROWS: ComparedRow[] = [
  ["p50", "p50_ms", true, ms],
  ["p95", "p95_ms", true, ms],
  ["p99", "p99_ms", true, ms],
  ["answers/s", "rps", false, (v) => n(v, 1)],
  ["API-server requests per answer", "api_requests_per_answer", true, (v) => n(v, 1)],
  ["HTTP requests per answer", "http_requests_per_answer", true, (v) => n(v, 1)],
  ["own process CPU per answer", "cpu_ms_per_answer", true, ms],
  ["simulator CPU per answer", "simulator_cpu_ms_per_answer", true, ms],
  ["own process CPU (cores)", "cpu_cores", true, (v) => n(v, 2)],
  ["simulator CPU (cores)", "simulator_cpu_cores", true, (v) => n(v, 2)],
  ["heap", "heap_bytes", true, size],
  ["RSS", "rss_bytes", true, size],
  ["answers measured", "samples", false, (v) => n(v)],
];

export function renderEntityObjects(r: BenchResult): string {
  const peer = r.peers.backstage;
  const b: Figures = peer && !isSkipped(peer) ? peer : {};
  const lines = [
    "| figure | fleetgraph | backstage (×) |",
    "| --- | ---: | ---: |",
    ...comparedRows(r.fleetgraph, b, ROWS),
  ];
  const method = r.method as {
    selector?: string;
    objects?: number;
    objects_by_kind?: Record<string, number>;
    object_types?: string[];
    fleetgraph_requests_per_answer?: number;
    backstage?: { version?: string; install_s?: number | null };
    connections?: number;
    duration_s?: number;
  };
  const kinds = Object.entries(method.objects_by_kind ?? {})
    .map(([kind, count]) => `${count.toLocaleString("en-US")} ${kind}`)
    .join(", ");
  const agrees = b.answer_matches_gateway === true ? "named the same" : "**did not name the same**";
  return [
    lines.join("\n"),
    "",
    `Every object of \`${method.selector ?? "—"}\` of Backstage's ${n(method.object_types?.length)} default ` +
      `object types across the fleet: ${n(method.objects)} objects (${kinds}). Both answers ${agrees} objects ` +
      "(cluster, kind, namespace, name, uid, resourceVersion) before anything was measured. " +
      `backstage = @backstage/plugin-kubernetes-backend ${method.backstage?.version ?? "—"}, asked as its ` +
      "Kubernetes tab asks (POST /services/:serviceId with the entity); Fleetgraph = one GraphQL query, " +
      "with a further page for a type with more than 1,000 matches " +
      `(${n(method.fleetgraph_requests_per_answer)} HTTP request(s) per answer at this size). ` +
      `Closed loop, ${n(method.connections)} answer(s) at a time, ${n(method.duration_s)} s per target after ` +
      "a warm-up; an answer is timed until every page is parsed. API-server requests = the resource requests " +
      "the simulated API servers counted over the run, per answer.",
  ].join("\n");
}
