/** Kubernetes nodes (ClusterNode in the schema, apart from Relay's Node). */
import type { CacheEntry } from "../cache/entry.js";
import { internShape } from "../cache/intern.js";
import { arr, obj, str } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, corePath, given, type KindDescriptor } from "./descriptor.js";
import { conditions, type ConditionView } from "./shared.js";

export interface Quantity {
  cpu: string | undefined;
  memory: string | undefined;
  pods: string | undefined;
}

export interface Taint {
  key: string;
  value: string | undefined;
  effect: string;
}

export interface NodeData {
  ready: boolean;
  unschedulable: boolean;
  roles: string[];
  internalIP: string | undefined;
  kubeletVersion: string | undefined;
  osImage: string | undefined;
  architecture: string | undefined;
  capacity: Quantity;
  allocatable: Quantity;
  taints: readonly Taint[];
  conditions: ConditionView[];
}

export interface NodeListFilter {
  ready?: boolean | null;
  roles?: string[] | null;
  unschedulable?: boolean | null;
}

function quantity(v: unknown): Quantity {
  const q = obj(v);
  return { cpu: str(q.cpu), memory: str(q.memory), pods: str(q.pods) };
}

const ROLE_LABEL = "node-role.kubernetes.io/";

export function nodeData(o: KubeObject): NodeData {
  const status = obj(o.status);
  const info = obj(status.nodeInfo);
  const conds = conditions(status);
  return {
    ready: conds.find((c) => c.type === "Ready")?.status === "True",
    unschedulable: obj(o.spec).unschedulable === true,
    roles: Object.keys(o.metadata.labels ?? {})
      .filter((k) => k.startsWith(ROLE_LABEL))
      .map((k) => k.slice(ROLE_LABEL.length)),
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
    taints: internShape(
      arr(obj(o.spec).taints).map((t) => {
        const taint = obj(t);
        return { key: str(taint.key) ?? "", value: str(taint.value), effect: str(taint.effect) ?? "" };
      }),
    ),
    conditions: conds,
  };
}

const data = (e: CacheEntry) => e.data as NodeData;

export const NODE: KindDescriptor<NodeData, NodeListFilter> = {
  kind: "Node",
  graphqlType: "ClusterNode",
  list: "ClusterNode",
  path: corePath("nodes", false),
  project: nodeData,
  predicate: (filter) => {
    const roles = given(filter.roles) ? new Set(filter.roles) : undefined;
    return allOf([
      given(filter.ready) && ((e) => data(e).ready === filter.ready),
      given(filter.unschedulable) && ((e) => data(e).unschedulable === filter.unschedulable),
      roles !== undefined && ((e) => data(e).roles.some((r) => roles.has(r))),
    ]);
  },
};
