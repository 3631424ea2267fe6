/** The performance targets of issues 4, 10, 11 and 15, checked against results. */
import { isSkipped, type BenchResult } from "./results.js";

export interface TargetCheck {
  scenario: string;
  target: string;
  /** The measured figure, as shown. */
  value: string;
  status: "met" | "missed" | "not measured";
}

type Num = number | null | undefined;
const num = (v: unknown): Num => (typeof v === "number" ? v : undefined);
const fmt = (v: Num, unit: string, digits = 1): string =>
  v === null || v === undefined ? "—" : `${v.toFixed(digits)}${unit}`;

interface Target {
  scenario: string;
  target: string;
  /** The fleet the target is stated for (clusters x pods per cluster). */
  minPods?: number;
  /** The clusters the target is stated for, when that is what sizes it (metrics: 10). */
  minClusters?: number;
  /** The measured seconds the target is stated for, when that is what sizes it (soak: 30 minutes). */
  minMeasuredS?: number;
  measure(
    r: BenchResult,
    all: ReadonlyMap<string, BenchResult>,
  ): { value: Num; shown: string; ok: boolean | undefined };
}

const peer = (r: BenchResult, name: "passthrough" | "graphql-constant", key: string): Num =>
  num((r.peers[name] as Record<string, unknown>)[key]);

/** The subscriptions scenario's figures at a size with at least `n` subscribers open. */
function subscribersSize(r: BenchResult, n: number): Record<string, unknown> | undefined {
  const sizes = (r.fleetgraph.sizes as Record<string, unknown>[] | undefined) ?? [];
  return sizes.find((s) => typeof s.open === "number" && s.open >= n);
}

/** The per-object peer's figure of the metrics scenario. */
const perObject = (r: BenchResult, key: string): Num => {
  const figures = r.peers["per-object"];
  return figures && !isSkipped(figures) ? num(figures[key]) : undefined;
};

const kb = (v: Num): string => fmt(v === null || v === undefined ? v : v / 1024, " KB", 1);
const count = (v: unknown): string => (typeof v === "number" ? v.toLocaleString("en-US") : "—");

const TARGETS: Target[] = [
  {
    scenario: "pods-query",
    target: "p99 ≤ 25 ms at 50 × 2,000 pods",
    minPods: 100_000,
    measure: (r) => {
      const v = num(r.fleetgraph.p99_ms);
      return { value: v, shown: fmt(v, " ms", 2), ok: v === undefined || v === null ? undefined : v <= 25 };
    },
  },
  {
    scenario: "pods-query",
    target: "p50 ≥ 20× faster than passthrough",
    minPods: 100_000,
    measure: (r) => {
      const a = peer(r, "passthrough", "p50_ms");
      const b = num(r.fleetgraph.p50_ms);
      const v = a && b ? a / b : undefined;
      return { value: v, shown: fmt(v, "×", 0), ok: v === undefined ? undefined : v >= 20 };
    },
  },
  {
    scenario: "sync",
    target: "≤ 1.5 KB of heap per cached pod",
    minPods: 100_000,
    measure: (r) => {
      const v = num(r.fleetgraph.heap_bytes_per_pod);
      return { value: v, shown: fmt(v, " B", 0), ok: v === undefined || v === null ? undefined : v <= 1536 };
    },
  },
  {
    scenario: "sync",
    target: "100k pods synced in ≤ 10 s",
    minPods: 100_000,
    measure: (r) => {
      const v = num(r.fleetgraph.sync_ms);
      return {
        value: v,
        shown: fmt(v === null || v === undefined ? v : v / 1000, " s", 2),
        ok: v === undefined || v === null ? undefined : v <= 10_000,
      };
    },
  },
  {
    scenario: "throughput",
    target: "≥ 50% of graphql-constant's requests per second",
    measure: (r) => {
      const a = num(r.fleetgraph.rps);
      const b = peer(r, "graphql-constant", "rps");
      const v = a && b ? (100 * a) / b : undefined;
      return { value: v, shown: fmt(v, " %", 0), ok: v === undefined ? undefined : v >= 50 };
    },
  },
  {
    scenario: "throughput",
    target: "with authentication ≥ 90% of the requests per second without it (same build)",
    measure: (r, all) => {
      // Paired rounds of one run when the run measured both; else two runs' figures.
      const paired = r.authentication === "off" ? undefined : num(r.fleetgraph.auth_rps_share);
      const off = all.get(withoutAuth("throughput"));
      const a = r.authentication === "off" ? undefined : num(r.fleetgraph.rps);
      const b = off ? num(off.fleetgraph.rps) : undefined;
      const v = paired ? 100 * paired : a && b ? (100 * a) / b : undefined;
      return { value: v, shown: fmt(v, " %", 1), ok: v === undefined ? undefined : v >= 90 };
    },
  },
  {
    scenario: "churn-query",
    target: "pods-query p99 ≤ 50 ms at 10 × 1,000 pods, 200 changes/s, every event applied",
    minPods: 10_000,
    measure: (r) => {
      const v = num(r.fleetgraph.p99_ms);
      const applied = r.fleetgraph.every_event_applied === true;
      return {
        value: v,
        shown: `${fmt(v, " ms", 1)}${applied ? "" : " (events missed)"}`,
        ok: v === undefined || v === null ? undefined : v <= 50 && applied,
      };
    },
  },
  {
    scenario: "churn",
    target: "≥ 5,000 watch events per second without falling behind",
    measure: (r) => {
      const v = num(r.fleetgraph.events_per_s);
      return { value: v, shown: fmt(v, " /s", 0), ok: v === undefined || v === null ? undefined : v >= 5000 };
    },
  },
  {
    scenario: "subscriptions",
    target: "p99 ≤ 250 ms with 10,000 subscribers under churn",
    minPods: 100_000,
    measure: (r) => {
      const churn = subscribersSize(r, 10_000)?.churn as Record<string, unknown> | undefined;
      const v = num(churn?.p99_ms);
      return { value: v, shown: fmt(v, " ms", 0), ok: v === undefined || v === null ? undefined : v <= 250 };
    },
  },
  {
    scenario: "subscriptions",
    target: "≤ 20 KB of RSS per idle subscriber (10,000 subscribers)",
    minPods: 100_000,
    measure: (r) => {
      const size = subscribersSize(r, 10_000);
      const rss = num(size?.rss_bytes_per_subscriber);
      const heap = num(size?.heap_bytes_per_subscriber);
      if (rss === undefined || rss === null) return { value: rss, shown: "—", ok: undefined };
      // RSS grows less than the heap while the free heap the initial sync left behind fills up:
      // what the subscribers retain (heap after a full collection) is the floor of what they cost.
      const v = typeof heap === "number" ? Math.max(rss, heap) : rss;
      const shown = typeof heap === "number" ? `${kb(rss)} RSS, ${kb(heap)} heap` : kb(rss);
      return { value: v, shown, ok: v <= 20 * 1024 };
    },
  },
  {
    scenario: "subscriptions",
    target: "upstream watches independent of the number of subscribers",
    measure: (r) => {
      const none = num(r.fleetgraph.upstream_watches_without_subscribers);
      const sizes = (r.fleetgraph.sizes as Record<string, unknown>[] | undefined) ?? [];
      const watches = sizes.map((s) => num(s.upstream_watches));
      if (none === undefined || none === null || sizes.length === 0 || watches.includes(undefined))
        return { value: undefined, shown: "—", ok: undefined };
      const shown = [none, ...watches].map(count).join(" / ");
      const counts = ["0", ...sizes.map((s) => count(s.open))].join(" / ");
      return {
        value: none,
        shown: `${shown} watches at ${counts} subscribers`,
        ok: watches.every((w) => w === none),
      };
    },
  },
  {
    scenario: "metrics",
    target: "p99 ≤ 150 ms for a page of 50 workloads with CPU and memory over 10 clusters",
    minClusters: 10,
    measure: (r) => {
      const v = num(r.fleetgraph.p99_ms);
      return { value: v, shown: fmt(v, " ms", 1), ok: v === undefined || v === null ? undefined : v <= 150 };
    },
  },
  {
    scenario: "metrics",
    target: "≥ 10× fewer PromQL queries per page than per-object",
    minClusters: 10,
    measure: (r) => {
      const own = num(r.fleetgraph.promql_queries_per_request);
      const peer = perObject(r, "promql_queries_per_request");
      const v = own && peer ? peer / own : undefined;
      const shown = v === undefined ? "—" : `${fmt(v, "×", 1)} (${own} against ${peer})`;
      return { value: v, shown, ok: v === undefined ? undefined : v >= 10 };
    },
  },
  {
    scenario: "soak",
    target: "heap after warm-up grows ≤ 10 % over 30 minutes",
    minMeasuredS: 1800,
    measure: (r) => {
      const v = num(r.fleetgraph.heap_growth_pct);
      return { value: v, shown: fmt(v, " %", 1), ok: v === undefined || v === null ? undefined : v <= 10 };
    },
  },
  {
    scenario: "soak",
    target: "no error beyond the injected faults",
    minMeasuredS: 1800,
    measure: (r) => {
      const v = num(r.fleetgraph.errors_unexpected);
      const expected = count(r.fleetgraph.errors_expected);
      const shown = v === undefined || v === null ? "—" : `${count(v)} (${expected} explained by faults)`;
      return { value: v, shown, ok: v === undefined || v === null ? undefined : v === 0 };
    },
  },
  {
    scenario: "soak",
    target: "no leaked sockets or timers",
    minMeasuredS: 1800,
    measure: (r) => {
      const leaked = r.fleetgraph.handles_leaked as Record<string, number> | undefined;
      if (!leaked) return { value: undefined, shown: "—", ok: undefined };
      const types = Object.entries(leaked);
      const shown = types.length === 0 ? "none" : types.map(([t, n]) => `${t} +${n}`).join(", ");
      return { value: types.length, shown, ok: types.length === 0 };
    },
  },
  ...scaleTargets(),
];

/** Issue 15's targets at 100 x 10,000 pods (the scale scenario). */
function scaleTargets(): Target[] {
  const yes = (v: unknown): Pick<ReturnType<Target["measure"]>, "shown" | "ok"> & { value: Num } => ({
    value: undefined,
    shown: typeof v === "boolean" ? (v ? "yes" : "no") : "—",
    ok: typeof v === "boolean" ? v : undefined,
  });
  const targets = (r: BenchResult): Record<string, unknown> =>
    (r.fleetgraph.targets as Record<string, unknown> | undefined) ?? {};
  const minPods = 1_000_000;
  return [
    {
      scenario: "scale",
      target: "every cluster synced, none marked unreachable or given up",
      minPods,
      measure: (r) => yes(targets(r).none_unreachable),
    },
    {
      scenario: "scale",
      target: "/readyz not ready before every cluster synced",
      minPods,
      measure: (r) => yes(targets(r).readyz_not_before_synced),
    },
    {
      scenario: "scale",
      target: "≤ 1 KB of heap per pod",
      minPods,
      measure: (r) => {
        const v = num(r.fleetgraph.heap_bytes_per_pod);
        return {
          value: v,
          shown: fmt(v, " B", 0),
          ok: v === undefined || v === null ? undefined : v <= 1024,
        };
      },
    },
    {
      scenario: "scale",
      target: "pods-query p99 ≤ 25 ms at 1M pods",
      minPods,
      measure: (r) => {
        const v = num(r.fleetgraph.p99_ms);
        return { value: v, shown: fmt(v, " ms", 2), ok: v === undefined || v === null ? undefined : v <= 25 };
      },
    },
  ];
}

/** The results key of a scenario run with `--no-auth`. */
export const withoutAuth = (scenario: string): string => `${scenario}:no-auth`;

export function checkTargets(results: ReadonlyMap<string, BenchResult>): TargetCheck[] {
  return TARGETS.map((t) => {
    const r = results.get(t.scenario);
    if (!r) return { scenario: t.scenario, target: t.target, value: "—", status: "not measured" };
    const { shown, ok } = t.measure(r, results);
    // Sized by the fleet asked for (clusters x pods per cluster), which the simulator builds.
    const fullSize =
      (t.minPods === undefined || r.fleet.clusters * r.fleet.pods >= t.minPods) &&
      (t.minClusters === undefined || r.fleet.clusters >= t.minClusters) &&
      (t.minMeasuredS === undefined || (num(r.fleetgraph.measured_s) ?? 0) >= t.minMeasuredS);
    const status = ok === undefined || !fullSize ? "not measured" : ok ? "met" : "missed";
    const measured = num(r.fleetgraph.measured_s);
    const short = t.minMeasuredS !== undefined && (measured ?? 0) < t.minMeasuredS;
    const only = short
      ? `${measured ?? 0} s measured only`
      : `at ${r.fleet.clusters} × ${r.fleet.pods} pods only`;
    const value = fullSize ? shown : `${shown} (${only})`;
    return { scenario: t.scenario, target: t.target, value, status };
  });
}
