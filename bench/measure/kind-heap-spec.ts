/** What the harness asks of the kind-heap process (bench/measure/kind-heap.ts), and what it answers. */

export interface KindHeapSpec {
  /** The simulator's kubeconfig: one context per cluster. */
  kubeconfig: string;
  /** Objects per list page, as the gateway's reflectors ask (500). */
  pageSize: number;
  /** Each kind's headline figure weighs further clusters until it has this many objects... */
  minObjects: number;
  /** ...from at least this many clusters (or every cluster after the first, if fewer). */
  minClusters: number;
}

export interface KindHeapFigures {
  kind: string;
  /** Objects of this kind weighed for the headline figures, and from how many clusters. */
  objects: number;
  clusters?: number;
  /** Objects of this kind in the whole fleet (every cluster counted with a one-item list). */
  fleet_objects: number;
  /** Heap its entries took in the measured clusters (heap used after full GCs, after - before). */
  heap_bytes: number;
  /** heap_bytes / objects; null when the cluster has none. */
  heap_bytes_per_object: number | null;
  /** The same for the first cluster, projected while the interning pools were still empty. */
  first_cluster_objects: number;
  first_cluster_heap_bytes: number;
  first_cluster_heap_bytes_per_object: number | null;
  /** With several runs: each run's heap_bytes_per_object (the figures above are the median run's). */
  heap_bytes_per_object_runs?: (number | null)[];
}

export interface KindHeapResult {
  /** The cluster projected first, with empty interning pools. */
  first_cluster: string;
  /** Whether the headline figures followed the first cluster's (false: a one-cluster fleet, both are its). */
  pools_warm: boolean;
  /** Clusters after the first that the headline figures could draw on. */
  further_clusters: number;
  kinds: KindHeapFigures[];
  /** Sums over every kind, headline figures. */
  objects: number;
  heap_bytes: number;
  heap_bytes_per_object: number;
  fleet_objects: number;
  /** Σ over kinds of fleet_objects × heap_bytes_per_object: the fleet's entries, indexes left out. */
  fleet_entries_heap_bytes_estimate: number;
  /** Every measurement followed a full collection (node ran with --expose-gc). */
  gc_forced: boolean;
  /** Processes run (each lists and weighs on its own); per kind, the median of their figures. */
  runs?: number;
  list_ms: number;
  measure_ms: number;
}

const perObject = (bytes: number, objects: number): number | null =>
  objects > 0 ? Math.round((10 * bytes) / objects) / 10 : null;

/** A kind's figures from its heap bytes and object counts. */
export function kindFigures(
  kind: string,
  objects: number,
  fleetObjects: number,
  heapBytes: number,
  firstClusterObjects: number,
  firstClusterHeapBytes: number,
): KindHeapFigures {
  return {
    kind,
    objects,
    fleet_objects: fleetObjects,
    heap_bytes: heapBytes,
    heap_bytes_per_object: perObject(heapBytes, objects),
    first_cluster_objects: firstClusterObjects,
    first_cluster_heap_bytes: firstClusterHeapBytes,
    first_cluster_heap_bytes_per_object: perObject(firstClusterHeapBytes, firstClusterObjects),
  };
}

/** The sums over every kind. */
export function kindTotals(
  kinds: readonly KindHeapFigures[],
): Pick<
  KindHeapResult,
  "objects" | "heap_bytes" | "heap_bytes_per_object" | "fleet_objects" | "fleet_entries_heap_bytes_estimate"
> {
  const objects = kinds.reduce((n, k) => n + k.objects, 0);
  const heapBytes = kinds.reduce((n, k) => n + k.heap_bytes, 0);
  // A kind the measured clusters lack but others hold is costed at the first cluster's figure.
  const estimate = kinds.reduce(
    (n, k) => n + k.fleet_objects * (k.heap_bytes_per_object ?? k.first_cluster_heap_bytes_per_object ?? 0),
    0,
  );
  return {
    objects,
    heap_bytes: heapBytes,
    heap_bytes_per_object: perObject(heapBytes, Math.max(1, objects)) ?? 0,
    fleet_objects: kinds.reduce((n, k) => n + k.fleet_objects, 0),
    fleet_entries_heap_bytes_estimate: Math.round(estimate),
  };
}
