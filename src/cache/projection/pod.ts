import type { KubeObject } from "../../kube/object.js";
import { intern } from "../intern.js";
import { arr, num, obj, str, time } from "./json.js";
import type { ContainerView, PodData } from "./types.js";

export function podData(o: KubeObject): PodData {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const statuses = new Map(arr(status.containerStatuses).map((s) => [str(obj(s).name), obj(s)]));
  let restarts = 0;
  let ready = true;
  const containers = arr(spec.containers).map((c): ContainerView => {
    const name = str(obj(c).name) ?? "";
    const s = statuses.get(name) ?? {};
    const state = obj(s.state);
    const which = state.running
      ? "running"
      : state.waiting
        ? "waiting"
        : state.terminated
          ? "terminated"
          : "unknown";
    const detail = obj(state[which]);
    const count = num(s.restartCount);
    restarts += count;
    if (s.ready !== true) ready = false;
    return {
      name: intern(name),
      image: intern(str(obj(c).image) ?? ""),
      ready: s.ready === true,
      restarts: count,
      state: which,
      stateReason: str(detail.reason),
      startedAt: time(detail.startedAt),
    };
  });
  return {
    phase: intern(str(status.phase) ?? "Pending"),
    nodeName: spec.nodeName ? intern(str(spec.nodeName)!) : undefined,
    podIP: str(status.podIP),
    hostIP: status.hostIP ? intern(str(status.hostIP)!) : undefined,
    restarts,
    ready: ready && containers.length > 0,
    startTime: time(status.startTime),
    reason: str(status.reason),
    containers,
  };
}
