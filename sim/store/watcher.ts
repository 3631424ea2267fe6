/**
 * One watch's view of the change stream: a change that makes an object start or stop matching the
 * watch's namespace and selectors arrives as ADDED or DELETED, as on a real API server.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ResourceKind } from "../kinds.js";
import type { Predicate, StoreEvent } from "./types.js";

export interface Watcher {
  kind: ResourceKind;
  namespace: string | undefined;
  predicate: Predicate | undefined;
  onEvent: (event: StoreEvent) => void;
}

export function deliver(w: Watcher, ev: StoreEvent): void {
  const matches = (obj: KubeObject | undefined): boolean =>
    obj !== undefined &&
    (w.namespace === undefined || obj.metadata.namespace === w.namespace) &&
    (w.predicate === undefined || w.predicate(obj));
  const now = matches(ev.object);
  const before = ev.type !== "ADDED" && matches(ev.prev);
  if (ev.type === "DELETED") {
    if (before) w.onEvent(ev);
  } else if (now && before) {
    w.onEvent(ev);
  } else if (now) {
    w.onEvent({ ...ev, type: "ADDED" });
  } else if (before) {
    w.onEvent({ ...ev, type: "DELETED" });
  }
}
