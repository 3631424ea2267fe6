/**
 * Views by kind: a cached entry of any kind -> the object its GraphQL type describes (for
 * node(id:), owners and involved objects, where the kind is known only at run time).
 */
import type { CacheEntry } from "../../src/cache/entry.js";
import type { Viewed } from "./entry-view.js";
import { clusterNodeView } from "./cluster-node.js";
import { eventView } from "./event.js";
import {
  configMapView,
  horizontalPodAutoscalerView,
  ingressView,
  limitRangeView,
  persistentVolumeClaimView,
  persistentVolumeView,
  resourceQuotaView,
  secretView,
  serviceAccountView,
  storageClassView,
} from "./more-kinds.js";
import { namespaceView } from "./namespace.js";
import { podView } from "./pod.js";
import { serviceView } from "./service.js";
import { replicaSetView, workloadView } from "./workload.js";

type ViewOf = (entry: CacheEntry<never>, workspaceLabel: string) => Viewed;

const BY_KIND: Readonly<Record<string, ViewOf>> = {
  Namespace: namespaceView,
  Node: clusterNodeView,
  Pod: podView,
  Service: serviceView,
  Event: eventView,
  ReplicaSet: replicaSetView,
  Deployment: workloadView,
  StatefulSet: workloadView,
  DaemonSet: workloadView,
  Job: workloadView,
  CronJob: workloadView,
  Ingress: ingressView,
  ConfigMap: configMapView,
  Secret: secretView,
  ServiceAccount: serviceAccountView,
  PersistentVolumeClaim: persistentVolumeClaimView,
  PersistentVolume: persistentVolumeView,
  StorageClass: storageClassView,
  HorizontalPodAutoscaler: horizontalPodAutoscalerView,
  ResourceQuota: resourceQuotaView,
  LimitRange: limitRangeView,
};

/** The view of a cached entry of any kind; throws for a kind without a view (a programming error). */
export function anyView(entry: CacheEntry, workspaceLabel: string): Viewed {
  const view = BY_KIND[entry.kind];
  if (!view) throw new TypeError(`no view for kind ${entry.kind}`);
  return view(entry as CacheEntry<never>, workspaceLabel);
}

export * from "./cluster.js";
export * from "./cluster-node.js";
export * from "./entry-view.js";
export * from "./event.js";
export * from "./more-kinds.js";
export * from "./namespace.js";
export * from "./quantities.js";
export * from "./pod.js";
export * from "./selector.js";
export * from "./service.js";
export * from "./workload.js";
export * from "./fleet-workload.js";
