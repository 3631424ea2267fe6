/**
 * Kubernetes object -> CacheEntry: keeps what the schema serves and nothing else (no
 * managedFields, no annotations, no pod spec beyond containers), so a cached pod costs a small,
 * fixed amount of heap. Repeated strings (label keys and values, images, node names) are interned.
 */
import type { KubeObject } from "../kube/object.js";
import type { CacheEntry, CachedKind, OwnerRef } from "./entry.js";
import { intern, internOwner, internRecord } from "./intern.js";
import { eventData } from "./projection/event.js";
import { obj, str } from "./projection/json.js";
import { nodeData } from "./projection/node.js";
import { podData } from "./projection/pod.js";
import { serviceData } from "./projection/service.js";
import type { NamespaceData } from "./projection/types.js";
import { workloadData } from "./projection/workload.js";

export type * from "./projection/types.js";

function controllerOwner(o: KubeObject): OwnerRef | undefined {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller) ?? o.metadata.ownerReferences?.[0];
  return ref ? internOwner(ref.kind, ref.name, ref.uid) : undefined;
}

function dataFor(kind: CachedKind, o: KubeObject): unknown {
  switch (kind) {
    case "Pod":
      return podData(o);
    case "Node":
      return nodeData(o);
    case "Namespace":
      return { phase: intern(str(obj(o.status).phase) ?? "Active") } satisfies NamespaceData;
    case "Service":
      return serviceData(o);
    case "Event":
      return eventData(o);
    default:
      return workloadData(kind, o);
  }
}

export function project(cluster: string, kind: CachedKind, o: KubeObject): CacheEntry {
  const meta = o.metadata;
  return {
    cluster,
    kind,
    uid: meta.uid ?? `${meta.namespace ?? ""}/${meta.name ?? ""}`,
    namespace: meta.namespace ? intern(meta.namespace) : "",
    name: meta.name ?? "",
    created: meta.creationTimestamp ? Date.parse(meta.creationTimestamp) : 0,
    resourceVersion: meta.resourceVersion ?? "",
    labels: meta.labels ? internRecord(meta.labels) : EMPTY_LABELS,
    owner: controllerOwner(o),
    data: dataFor(kind, o),
  };
}

const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze({});
