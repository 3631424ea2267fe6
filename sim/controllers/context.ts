/**
 * What every controller of one cluster shares: the store it reads and writes, the control loop
 * that runs its work, the event recorder, the clock, and the pod placement index.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ResourceKind } from "../kinds.js";
import type { ClusterStore, StoreEvent } from "../store/cluster-store.js";
import type { ControlLoop } from "./control-loop.js";
import type { EventRecorder } from "./events.js";
import type { PodPlacement } from "./placement.js";

export interface ControllerContext {
  store: ClusterStore;
  loop: ControlLoop;
  events: EventRecorder;
  placement: PodPlacement;
  now(): Date;
  /** RFC 3339 with seconds, as metav1.Time serialises. */
  timestamp(): string;
  podStartDelayMs: number;
}

/** A controller is a change handler: it only queues keys; its queues do the writing later. */
export type ChangeHandler = (change: StoreEvent) => void;

export function objectKeyOf(namespace: string | undefined, name: string | undefined): string {
  return namespace ? `${namespace}/${name}` : (name ?? "");
}

export function splitKey(key: string): [string | undefined, string] {
  const slash = key.indexOf("/");
  return slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
}

/**
 * Writes `obj` with a new status. The copy is shallow: only the status is new, everything else
 * is shared with the stored object, which nobody mutates. Hot paths use this instead of
 * `store.mutate`, whose deep clone dominated the cost of bootstrapping thousands of pods.
 */
export function replaceStatus(
  store: ClusterStore,
  kind: ResourceKind,
  obj: KubeObject,
  status: unknown,
): KubeObject {
  // An unchanged status is no write at all: the store would drop it as a no-op too, but only
  // after serialising the whole object.
  if (JSON.stringify(status) === JSON.stringify(obj.status ?? {})) return obj;
  return store.update(kind, { ...obj, status });
}

let lastSecond = -1;
let lastStamp = "";

/** RFC 3339 with seconds, as metav1.Time serialises; cached per second because it is called per write. */
export function rfc3339(date: Date): string {
  const ms = date.getTime();
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastStamp = date.toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  return lastStamp;
}
