/** The performance targets of issue 4, checked against results. */
import type { BenchResult } from "./results.js";

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
  measure(
    r: BenchResult,
    all: ReadonlyMap<string, BenchResult>,
  ): { value: Num; shown: string; ok: boolean | undefined };
}

const peer = (r: BenchResult, name: "passthrough" | "graphql-constant", key: string): Num =>
  num((r.peers[name] as Record<string, unknown>)[key]);

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
      return { value: v, shown: fmt(v, " %", 0), ok: v === undefined ? undefined : v >= 90 };
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
];

/** The results key of a scenario run with `--no-auth`. */
export const withoutAuth = (scenario: string): string => `${scenario}:no-auth`;

export function checkTargets(results: ReadonlyMap<string, BenchResult>): TargetCheck[] {
  return TARGETS.map((t) => {
    const r = results.get(t.scenario);
    if (!r) return { scenario: t.scenario, target: t.target, value: "—", status: "not measured" };
    const { shown, ok } = t.measure(r, results);
    // Sized by the fleet asked for (clusters x pods per cluster), which the simulator builds.
    const fullSize = t.minPods === undefined || r.fleet.clusters * r.fleet.pods >= t.minPods;
    const status = ok === undefined || !fullSize ? "not measured" : ok ? "met" : "missed";
    const value = fullSize ? shown : `${shown} (at ${r.fleet.clusters} × ${r.fleet.pods} pods only)`;
    return { scenario: t.scenario, target: t.target, value, status };
  });
}
