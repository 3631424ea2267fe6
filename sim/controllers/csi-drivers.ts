/**
 * What the clouds' CSI drivers write into the volumes they provision: the topology key of their
 * zone affinity and the shape of their volume handles (an EBS volume id, a GCE disk path in the
 * nodes' project, an Azure managed-disk id in the nodes' subscription). Handles derive from the
 * claim's uid, so a fleet provisions the same way on every run.
 */
import { createHash } from "node:crypto";
import type { KubeObject } from "../../src/kube/object.js";

export interface CsiDriver {
  /** The node label its volumes' nodeAffinity names. */
  topologyKey: string;
  fsType: string;
  volumeHandle(
    volumeName: string,
    claimUid: string,
    zone: string | undefined,
    node: KubeObject | undefined,
  ): string;
}

const hex = (text: string, length: number): string =>
  createHash("sha256").update(text).digest("hex").slice(0, length);

const providerId = (node: KubeObject | undefined): string =>
  (node?.spec as { providerID?: string } | undefined)?.providerID ?? "";

const DRIVERS: Record<string, CsiDriver> = {
  "ebs.csi.aws.com": {
    topologyKey: "topology.ebs.csi.aws.com/zone",
    fsType: "ext4",
    volumeHandle: (_name, uid) => `vol-0${hex(uid, 16)}`,
  },
  "pd.csi.storage.gke.io": {
    topologyKey: "topology.gke.io/zone",
    fsType: "ext4",
    volumeHandle: (name, _uid, zone, node) => {
      // gce://<project>/<zone>/<instance>: the disk lives in the nodes' project.
      const project = /^gce:\/\/([^/]+)\//.exec(providerId(node))?.[1] ?? "acme";
      return `projects/${project}/zones/${zone ?? "unknown"}/disks/${name}`;
    },
  },
  "disk.csi.azure.com": {
    topologyKey: "topology.disk.csi.azure.com/zone",
    fsType: "ext4",
    volumeHandle: (name, uid, _zone, node) => {
      const group = /^azure:\/\/\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/.exec(providerId(node))?.[0];
      const prefix = group
        ? group.slice("azure://".length)
        : `/subscriptions/${hex(uid, 8)}/resourceGroups/mc_sim`;
      return `${prefix}/providers/Microsoft.Compute/disks/${name}`;
    },
  },
};

const GENERIC: CsiDriver = {
  topologyKey: "topology.kubernetes.io/zone",
  fsType: "ext4",
  volumeHandle: (name) => name,
};

export function csiDriver(provisioner: string): CsiDriver {
  return DRIVERS[provisioner] ?? GENERIC;
}
