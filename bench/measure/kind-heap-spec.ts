/** What the harness asks of the kind-heap process (bench/measure/kind-heap.ts), and what it answers. */

export interface KindHeapSpec {
  /** The simulator's kubeconfig: one context per cluster. */
  kubeconfig: string;
  /** Objects per list page, as the gateway's reflectors ask (500). */
  pageSize: number;
  /** How many clusters after the first are weighed together for the headline figures. */
  measuredClusters: number;
}

export interface KindHeapFigures {
  kind: string;
  /** Objects of this kind in the measured clusters. */
  objects: number;
  /** Objects of this kind in the whole fleet (every cluster counted with a one-item list). */
  fleet_objects: number;
  /** Heap its entries took in the measured clusters (heap used after full GCs, after - before). */
  heap_bytes: number;
  /** heap_bytes / objects; null when the cluster has none. */
  heap_bytes_per_object: number | null;
  /** The same for the first cluster, projected while the interning pools were still empty. */
  first_cluster_heap_bytes: number;
  first_cluster_heap_bytes_per_object: number | null;
}

export interface KindHeapResult {
  /** The clusters whose entries were measured: the next after the first (the first in a one-cluster fleet). */
  clusters: string[];
  /** The cluster projected first, with empty interning pools. */
  first_cluster: string;
  /** Whether `clusters` followed `first_cluster` (false: a one-cluster fleet, both are the same). */
  pools_warm: boolean;
  kinds: KindHeapFigures[];
  /** Sums over every kind, measured clusters. */
  objects: number;
  heap_bytes: number;
  heap_bytes_per_object: number;
  fleet_objects: number;
  /** Σ over kinds of fleet_objects × heap_bytes_per_object: the fleet's entries, indexes left out. */
  fleet_entries_heap_bytes_estimate: number;
  /** Every measurement followed a full collection (node ran with --expose-gc). */
  gc_forced: boolean;
  list_ms: number;
  measure_ms: number;
}
