import type { KubeObject } from "../../kube/object.js";
import { arr, obj, str } from "./json.js";
import type { NodeData, Quantity } from "./types.js";

function quantity(v: unknown): Quantity {
  const q = obj(v);
  return { cpu: str(q.cpu), memory: str(q.memory), pods: str(q.pods) };
}

export function nodeData(o: KubeObject): NodeData {
  const status = obj(o.status);
  const info = obj(status.nodeInfo);
  const readyCond = arr(status.conditions)
    .map(obj)
    .find((c) => c.type === "Ready");
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length));
  return {
    ready: readyCond?.status === "True",
    unschedulable: obj(o.spec).unschedulable === true,
    roles,
    internalIP: str(
      arr(status.addresses)
        .map(obj)
        .find((a) => a.type === "InternalIP")?.address,
    ),
    kubeletVersion: str(info.kubeletVersion),
    osImage: str(info.osImage),
    architecture: str(info.architecture),
    capacity: quantity(status.capacity),
    allocatable: quantity(status.allocatable),
  };
}
