/** Columns of the storage kinds: PersistentVolumeClaim, PersistentVolume and StorageClass. */
import type { KubeObject } from "../../../src/kube/object.js";
import { isDefaultStorageClass } from "../../admission/index.js";
import { since } from "./human-duration.js";
import { AGE_COLUMN, at, column, NAME_COLUMN, str, quantityText, type RowPrinter } from "./columns.js";

const name = (obj: KubeObject): string => obj.metadata.name ?? "";
const age = (obj: KubeObject, now: number): string => since(obj.metadata.creationTimestamp, now);

/** helper.GetAccessModesAsString: abbreviations in a fixed order, each once. */
function accessModes(modes: unknown): string {
  const present = new Set(Array.isArray(modes) ? modes : []);
  const abbreviations: [string, string][] = [
    ["ReadWriteOnce", "RWO"],
    ["ReadOnlyMany", "ROX"],
    ["ReadWriteMany", "RWX"],
    ["ReadWriteOncePod", "RWOP"],
  ];
  return abbreviations
    .filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(",");
}

/** The beta annotation wins over the field, as in helper.GetPersistentVolume(Claim)Class. */
function storageClassOf(obj: KubeObject, field: string): string {
  return obj.metadata.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? str(obj, field);
}

const optional = (obj: KubeObject, field: string): string => str(obj, field) || "<unset>";
const phaseOf = (obj: KubeObject): string =>
  obj.metadata.deletionTimestamp ? "Terminating" : str(obj, "status.phase");

const STORAGE_CLASS_COLUMN = (what: string) => column("StorageClass", `StorageClass of the ${what}`);
const VOLUME_ATTRIBUTES_COLUMN = (what: string) =>
  column("VolumeAttributesClass", `VolumeAttributesClass of the ${what}`);
const VOLUME_MODE_COLUMN = column(
  "VolumeMode",
  "volumeMode defines what type of volume is required by the claim or offered by the volume.",
  { priority: 1 },
);

export const persistentVolumeClaimPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", "phase represents the current phase of PersistentVolumeClaim."),
    column("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
    column("Capacity", "capacity represents the actual resources of the underlying volume."),
    column("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
    STORAGE_CLASS_COLUMN("pvc"),
    VOLUME_ATTRIBUTES_COLUMN("pvc"),
    AGE_COLUMN,
    VOLUME_MODE_COLUMN,
  ],
  cells: (pvc, now) => {
    // Capacity and access modes are the bound volume's: blank until the claim names one.
    const bound = str(pvc, "spec.volumeName") !== "";
    return [
      name(pvc),
      phaseOf(pvc),
      str(pvc, "spec.volumeName"),
      bound ? quantityText(at(pvc, "status.capacity.storage")) : "",
      bound ? accessModes(at(pvc, "status.accessModes")) : "",
      storageClassOf(pvc, "spec.storageClassName"),
      optional(pvc, "spec.volumeAttributesClassName"),
      age(pvc, now),
      optional(pvc, "spec.volumeMode"),
    ];
  },
};

function claimOf(pv: KubeObject): string {
  if (at(pv, "spec.claimRef") === undefined) return "";
  return `${str(pv, "spec.claimRef.namespace")}/${str(pv, "spec.claimRef.name")}`;
}

export const persistentVolumePrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
    column("Access Modes", "accessModes contains all ways the volume can be mounted."),
    column(
      "Reclaim Policy",
      "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.",
    ),
    column("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
    column(
      "Claim",
      "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.",
    ),
    STORAGE_CLASS_COLUMN("pv"),
    VOLUME_ATTRIBUTES_COLUMN("pv"),
    column("Reason", "reason is a brief CamelCase string that describes any failure."),
    AGE_COLUMN,
    VOLUME_MODE_COLUMN,
  ],
  cells: (pv, now) => [
    name(pv),
    quantityText(at(pv, "spec.capacity.storage")),
    accessModes(at(pv, "spec.accessModes")),
    str(pv, "spec.persistentVolumeReclaimPolicy"),
    phaseOf(pv),
    claimOf(pv),
    storageClassOf(pv, "spec.storageClassName"),
    optional(pv, "spec.volumeAttributesClassName"),
    str(pv, "status.reason"),
    age(pv, now),
    optional(pv, "spec.volumeMode"),
  ],
};

export const storageClassPrinter: RowPrinter = {
  columns: [
    NAME_COLUMN,
    column("Provisioner", "provisioner indicates the type of the provisioner."),
    column(
      "ReclaimPolicy",
      "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.",
    ),
    column(
      "VolumeBindingMode",
      "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.",
    ),
    column(
      "AllowVolumeExpansion",
      "allowVolumeExpansion shows whether the storage class allows volume expand.",
    ),
    AGE_COLUMN,
  ],
  cells: (sc, now) => {
    const expansion = at(sc, "allowVolumeExpansion");
    return [
      isDefaultStorageClass(sc) ? `${name(sc)} (default)` : name(sc),
      str(sc, "provisioner"),
      str(sc, "reclaimPolicy") || "Delete",
      str(sc, "volumeBindingMode") || "Immediate",
      typeof expansion === "boolean" ? expansion : false,
      age(sc, now),
    ];
  },
};
