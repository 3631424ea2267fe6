/** PersistentVolumeClaims, PersistentVolumes and StorageClasses: the storage graph of a cluster. */
import type { CacheEntry } from "../cache/entry.js";
import { intern, internShape } from "../cache/intern.js";
import { arr, obj, str } from "../cache/json.js";
import type { KubeObject } from "../kube/object.js";
import { allOf, corePath, groupPath, oneOf, type KindDescriptor } from "./descriptor.js";

export interface PersistentVolumeClaimData {
  phase: string;
  storageClassName: string | undefined;
  volumeName: string | undefined;
  accessModes: readonly string[];
  /** spec.resources.requests.storage, as reported. */
  requested: string | undefined;
  /** status.capacity.storage, once bound. */
  capacity: string | undefined;
  volumeMode: string | undefined;
}

export interface PersistentVolumeData {
  phase: string;
  capacity: string | undefined;
  accessModes: readonly string[];
  reclaimPolicy: string | undefined;
  storageClassName: string | undefined;
  claimNamespace: string | undefined;
  claimName: string | undefined;
  volumeMode: string | undefined;
  reason: string | undefined;
}

export interface StorageClassData {
  provisioner: string;
  reclaimPolicy: string;
  volumeBindingMode: string;
  allowVolumeExpansion: boolean;
  isDefault: boolean;
}

export interface StorageListFilter {
  phases?: string[] | null;
  storageClassNames?: string[] | null;
}

const name = (v: unknown): string | undefined => {
  const s = str(v);
  return s === undefined || s === "" ? undefined : intern(s);
};
const modes = (v: unknown): readonly string[] =>
  internShape(arr(v).filter((m): m is string => typeof m === "string"));

/** The annotations that make a StorageClass the default (the beta one is still honoured). */
const DEFAULT_CLASS = [
  "storageclass.kubernetes.io/is-default-class",
  "storageclass.beta.kubernetes.io/is-default-class",
];

function storagePredicate(filter: StorageListFilter) {
  type Storage = { phase: string; storageClassName: string | undefined };
  return allOf([
    oneOf(filter.phases, (e: CacheEntry) => (e.data as Storage).phase),
    oneOf(filter.storageClassNames, (e: CacheEntry) => (e.data as Storage).storageClassName),
  ]);
}

export const PERSISTENT_VOLUME_CLAIM: KindDescriptor<PersistentVolumeClaimData, StorageListFilter> = {
  kind: "PersistentVolumeClaim",
  graphqlType: "PersistentVolumeClaim",
  list: "PersistentVolumeClaim",
  path: corePath("persistentvolumeclaims"),
  project: (o: KubeObject) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    return {
      phase: intern(str(status.phase) ?? "Pending"),
      storageClassName: name(spec.storageClassName),
      volumeName: name(spec.volumeName),
      accessModes: modes(status.accessModes ?? spec.accessModes),
      requested: name(obj(obj(spec.resources).requests).storage),
      capacity: name(obj(status.capacity).storage),
      volumeMode: name(spec.volumeMode),
    };
  },
  indexes: { volume: (e) => e.data.volumeName },
  predicate: storagePredicate,
};

export const PERSISTENT_VOLUME: KindDescriptor<PersistentVolumeData, StorageListFilter> = {
  kind: "PersistentVolume",
  graphqlType: "PersistentVolume",
  list: "PersistentVolume",
  path: corePath("persistentvolumes", false),
  project: (o: KubeObject) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const claim = obj(spec.claimRef);
    return {
      phase: intern(str(status.phase) ?? "Pending"),
      capacity: name(obj(spec.capacity).storage),
      accessModes: modes(spec.accessModes),
      reclaimPolicy: name(spec.persistentVolumeReclaimPolicy),
      storageClassName: name(spec.storageClassName),
      claimNamespace: name(claim.namespace),
      claimName: str(claim.name),
      volumeMode: name(spec.volumeMode),
      reason: str(status.reason),
    };
  },
  indexes: { storageClass: (e) => e.data.storageClassName },
  predicate: storagePredicate,
};

export const STORAGE_CLASS: KindDescriptor<StorageClassData, object> = {
  kind: "StorageClass",
  graphqlType: "StorageClass",
  list: "StorageClass",
  path: groupPath("storage.k8s.io", "v1", "storageclasses", false),
  project: (o: KubeObject) => ({
    provisioner: intern(str(o.provisioner) ?? ""),
    reclaimPolicy: intern(str(o.reclaimPolicy) ?? "Delete"),
    volumeBindingMode: intern(str(o.volumeBindingMode) ?? "Immediate"),
    allowVolumeExpansion: o.allowVolumeExpansion === true,
    isDefault: DEFAULT_CLASS.some((a) => o.metadata.annotations?.[a] === "true"),
  }),
};
