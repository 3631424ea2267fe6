/**
 * The kind-heap measurement (bench/measure/kind-heap.ts), each run in a fresh process of its own.
 * V8's own bookkeeping (hidden classes, feedback, internal caches a collection may clear) moves a
 * kind's figure by up to some kilobytes in one run in several, which on a kind with a few dozen
 * objects per cluster is hundreds of bytes per object: per kind, the median of the runs is kept.
 */
import {
  kindFigures,
  kindTotals,
  type KindHeapFigures,
  type KindHeapResult,
  type KindHeapSpec,
} from "../measure/kind-heap-spec.js";
import { Child } from "./child.js";

async function runOnce(spec: KindHeapSpec): Promise<KindHeapResult> {
  const child = new Child({
    name: "kind-heap",
    script: "dist/bench/measure/kind-heap.js",
    args: [JSON.stringify(spec)],
    nodeFlags: ["--expose-gc"],
  });
  const output = await child.output(300_000);
  return JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as KindHeapResult;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

export async function measureKindHeap(spec: KindHeapSpec, runs = 3): Promise<KindHeapResult> {
  const results: KindHeapResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await runOnce(spec));
  const [first] = results as [KindHeapResult, ...KindHeapResult[]];
  const kinds: KindHeapFigures[] = first.kinds.map((k, i) => {
    const all = results.map((r) => r.kinds[i]!);
    // Same fleet, no churn: every run must have listed the same objects.
    for (const other of all)
      if (
        other.kind !== k.kind ||
        other.objects !== k.objects ||
        other.fleet_objects !== k.fleet_objects ||
        other.first_cluster_objects !== k.first_cluster_objects ||
        other.clusters !== k.clusters
      )
        throw new Error(`kind-heap runs listed different ${k.kind} objects: ${JSON.stringify(all)}`);
    return {
      ...kindFigures(
        k.kind,
        k.objects,
        k.fleet_objects,
        median(all.map((r) => r.heap_bytes)),
        k.first_cluster_objects,
        median(all.map((r) => r.first_cluster_heap_bytes)),
      ),
      clusters: k.clusters,
      heap_bytes_per_object_runs: all.map((r) => r.heap_bytes_per_object),
    };
  });
  return {
    ...first,
    kinds,
    ...kindTotals(kinds),
    runs,
    list_ms: results.reduce((n, r) => n + r.list_ms, 0),
    measure_ms: results.reduce((n, r) => n + r.measure_ms, 0),
  };
}
