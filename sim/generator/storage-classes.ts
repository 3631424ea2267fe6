/**
 * Every cluster's storage classes: `standard` (the default, through the
 * storageclass.kubernetes.io/is-default-class annotation) and `fast-ssd`, both served by the
 * provider's CSI driver, waiting for the first consumer so volumes land in the pod's zone, and
 * expandable — the way managed clusters are usually set up.
 */
import type { Provider } from "./catalog.js";
import type { PlannedObject } from "./workloads.js";

const DRIVERS: Record<Provider, { provisioner: string; standard: object; fast: object }> = {
  aws: {
    provisioner: "ebs.csi.aws.com",
    standard: { type: "gp3", encrypted: "true" },
    fast: { type: "io2", iopsPerGB: "50", encrypted: "true" },
  },
  gcp: {
    provisioner: "pd.csi.storage.gke.io",
    standard: { type: "pd-balanced" },
    fast: { type: "pd-ssd" },
  },
  azure: {
    provisioner: "disk.csi.azure.com",
    standard: { skuname: "StandardSSD_LRS" },
    fast: { skuname: "Premium_LRS" },
  },
};

export function buildStorageClasses(provider: Provider): PlannedObject[] {
  const driver = DRIVERS[provider];
  const storageClass = (name: string, parameters: object, isDefault: boolean): PlannedObject => ({
    resource: "storage.k8s.io/storageclasses",
    object: {
      metadata: {
        name,
        ...(isDefault ? { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } : {}),
      },
      provisioner: driver.provisioner,
      parameters,
      reclaimPolicy: "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    },
  });
  return [storageClass("standard", driver.standard, true), storageClass("fast-ssd", driver.fast, false)];
}
