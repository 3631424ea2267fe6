/**
 * Mutating admission: what the API server's plugins change in an object on create, after
 * defaulting and before it is stored. The REST create path and the controllers that create
 * objects through the API in a real cluster (a StatefulSet's claims) both pass through here.
 */
import type { KubeObject } from "../../src/kube/object.js";
import type { ResourceKind } from "../kinds.js";
import type { ClusterStore } from "../store/cluster-store.js";
import { admitClaim, admitVolume } from "./storage.js";

export function admitCreate(store: ClusterStore, kind: ResourceKind, obj: KubeObject): void {
  if (kind.group !== "") return;
  if (kind.plural === "persistentvolumeclaims") admitClaim(store, obj);
  else if (kind.plural === "persistentvolumes") admitVolume(obj);
}

export { defaultStorageClass, isDefaultStorageClass, PV_PROTECTION, PVC_PROTECTION } from "./storage.js";
