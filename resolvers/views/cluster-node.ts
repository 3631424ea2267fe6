import type { CacheEntry } from "../../src/cache/entry.js";
import { quantityOrZero, roundToNano } from "../../src/kube/quantity.js";
import type { NodeData, Quantity } from "../../src/kinds/index.js";
import type { ClusterNode, NodeResources, Taint } from "../../schema/cluster-node.js";
import { knownOr, TaintEffect } from "../../schema/enums.js";
import { conditionList, EntryView, type Viewed } from "./entry-view.js";

export type ClusterNodeView = ClusterNode & Viewed<NodeData>;

function resources(q: Quantity): NodeResources {
  return {
    cpu: q.cpu ?? null,
    memory: q.memory ?? null,
    pods: q.pods ?? null,
    cpuCores: roundToNano(quantityOrZero(q.cpu)),
    memoryBytes: quantityOrZero(q.memory),
  };
}

class ClusterNodeEntryView extends EntryView<NodeData> implements ClusterNodeView {
  readonly __typename = "ClusterNode";

  get ready(): boolean {
    return this.entry.data.ready;
  }
  get unschedulable(): boolean {
    return this.entry.data.unschedulable;
  }
  get roles(): string[] {
    return [...this.entry.data.roles];
  }
  get internalIP(): string | null {
    return this.entry.data.internalIP ?? null;
  }
  get kubeletVersion(): string | null {
    return this.entry.data.kubeletVersion ?? null;
  }
  get osImage(): string | null {
    return this.entry.data.osImage ?? null;
  }
  get architecture(): string | null {
    return this.entry.data.architecture ?? null;
  }
  get capacity(): NodeResources {
    return resources(this.entry.data.capacity);
  }
  get allocatable(): NodeResources {
    return resources(this.entry.data.allocatable);
  }
  get taints(): Taint[] {
    return this.entry.data.taints.map((t) => ({
      key: t.key,
      value: t.value ?? null,
      effect: knownOr(TaintEffect, t.effect),
    }));
  }
  get conditions(): ClusterNodeView["conditions"] {
    return conditionList(this.entry.data.conditions);
  }
}

export function clusterNodeView(entry: CacheEntry<NodeData>): ClusterNodeView {
  return new ClusterNodeEntryView(entry);
}
