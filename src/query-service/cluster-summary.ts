/**
 * Cluster summaries (counts and capacity) for a batch of clusters: one engine pass over nodes and
 * namespaces each, however many clusters are asked about, and pods and workloads counted per
 * cluster from the stores' counts. Everything counted is within the caller's Scope.
 */
import type { Scope } from "../cache/scope.js";
import { POD, WORKLOADS, type NodeData, type Quantity } from "../kinds/index.js";
import type { ObjectReader } from "./object-reader.js";
import { quantityOrZero, roundToNano } from "../kube/quantity.js";

export interface ResourceTotals {
  cpuCores: number;
  memoryBytes: number;
  pods: number;
}

export interface PodPhaseCounts {
  total: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  unknown: number;
}

export interface ClusterSummaryData {
  nodes: number;
  readyNodes: number;
  namespaces: number;
  pods: PodPhaseCounts;
  workloads: number;
  capacity: ResourceTotals;
  allocatable: ResourceTotals;
}

const PHASES: Readonly<Record<string, keyof Omit<PodPhaseCounts, "total">>> = {
  Pending: "pending",
  Running: "running",
  Succeeded: "succeeded",
  Failed: "failed",
};

function emptySummary(): ClusterSummaryData {
  const totals = (): ResourceTotals => ({ cpuCores: 0, memoryBytes: 0, pods: 0 });
  return {
    nodes: 0,
    readyNodes: 0,
    namespaces: 0,
    pods: { total: 0, pending: 0, running: 0, succeeded: 0, failed: 0, unknown: 0 },
    workloads: 0,
    capacity: totals(),
    allocatable: totals(),
  };
}

function add(totals: ResourceTotals, quantity: Quantity): void {
  totals.cpuCores += quantityOrZero(quantity.cpu);
  totals.memoryBytes += quantityOrZero(quantity.memory);
  totals.pods += quantityOrZero(quantity.pods);
}

export function summarizeClusters(
  reader: ObjectReader,
  clusters: readonly string[],
  scope: Scope,
): ClusterSummaryData[] {
  const byCluster = new Map(clusters.map((c) => [c, emptySummary()]));
  const filter = { clusters: [...byCluster.keys()] };
  // Every visited entry is in one of the asked clusters: the filter says so.
  const summaryOf = (cluster: string) => byCluster.get(cluster)!;

  reader.forEach<NodeData>("Node", filter, scope, (node) => {
    const s = summaryOf(node.cluster);
    s.nodes++;
    if (node.data.ready) s.readyNodes++;
    add(s.capacity, node.data.capacity);
    add(s.allocatable, node.data.allocatable);
  });
  reader.forEach("Namespace", filter, scope, (ns) => summaryOf(ns.cluster).namespaces++);
  // Pods and workloads are counted from the stores' counts (per phase: the pods' facet), which
  // costs a cluster's label sets rather than its pods.
  for (const cluster of byCluster.keys()) {
    const only = { clusters: [cluster] };
    const counts = summaryOf(cluster).pods;
    counts.total = reader.count("Pod", only, scope);
    let known = 0;
    for (const [phase, field] of Object.entries(PHASES)) {
      counts[field] = reader.count("Pod", { ...only, facets: POD.facetFilter!({ phases: [phase] }) }, scope);
      known += counts[field];
    }
    counts.unknown = counts.total - known;
    for (const { kind } of WORKLOADS) summaryOf(cluster).workloads += reader.count(kind, only, scope);
  }
  return clusters.map((c) => {
    const s = summaryOf(c);
    for (const totals of [s.capacity, s.allocatable]) {
      totals.cpuCores = roundToNano(totals.cpuCores);
      totals.memoryBytes = Math.round(totals.memoryBytes);
    }
    return s;
  });
}
