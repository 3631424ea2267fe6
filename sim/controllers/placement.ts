/**
 * Which pods are bound to which node, kept current from the store's changes, so the scheduler
 * can spread by "fewest pods" and the pod GC can find a vanished node's pods without scanning
 * every pod in the cluster.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { StoreEvent } from "../store/cluster-store.js";
import { PODS } from "./resources.js";
import { podKey, podSpec } from "./pods.js";

export class PodPlacement {
  private readonly byNode = new Map<string, Set<string>>();

  observe(change: StoreEvent): void {
    if (change.resource !== PODS) return;
    const before = change.prev ? podSpec(change.prev).nodeName : undefined;
    const after = change.type === "DELETED" ? undefined : podSpec(change.object).nodeName;
    if (before === after) return;
    const key = podKey(change.object);
    if (before) this.byNode.get(before)?.delete(key);
    if (after) {
      let set = this.byNode.get(after);
      if (!set) this.byNode.set(after, (set = new Set()));
      set.add(key);
    }
  }

  seed(pods: KubeObject[]): void {
    for (const pod of pods) {
      const node = podSpec(pod).nodeName;
      if (!node) continue;
      let set = this.byNode.get(node);
      if (!set) this.byNode.set(node, (set = new Set()));
      set.add(podKey(pod));
    }
  }

  count(node: string): number {
    return this.byNode.get(node)?.size ?? 0;
  }

  podsOn(node: string): string[] {
    return [...(this.byNode.get(node) ?? [])];
  }
}
