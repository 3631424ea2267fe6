/**
 * Dynamic provisioning, as a cloud's external-provisioner sidecar does it for a claim of its
 * storage class: a PersistentVolume named `pvc-<claim uid>`, pre-bound to the claim, with the
 * class's reclaim policy, a CSI source naming the new disk, and a node affinity pinning it to
 * the zone it was created in. A WaitForFirstConsumer class provisions only once a pod using the
 * claim is scheduled, in that node's zone (the real scheduler records the node on the claim and
 * waits for the volume before binding the pod; here both happen in one pass).
 */
import type { KubeObject } from "../../src/kube/object.js";
import { admitCreate } from "../admission/index.js";
import { canonicalQuantity } from "../quantity.js";
import type { ControllerContext } from "./context.js";
import { csiDriver } from "./csi-drivers.js";
import { claimsOf, podSpec, podStatus } from "./pods.js";
import { CLAIMS, NODES, PODS, STORAGE_CLASSES, VOLUMES } from "./resources.js";
import { fnv32a } from "./template-hash.js";

export const PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
export const PROVISIONER_FINALIZER = "external-provisioner.volume.kubernetes.io/finalizer";
export const ZONE_LABEL = "topology.kubernetes.io/zone";
const SELECTED_NODE = "volume.kubernetes.io/selected-node";
const NO_PROVISIONER = "kubernetes.io/no-provisioner";

interface ClaimSpec {
  accessModes?: string[];
  resources?: { requests?: { storage?: string } };
  volumeMode?: string;
}

function requested(claim: KubeObject): string {
  const storage = (claim.spec as ClaimSpec).resources?.requests?.storage ?? "1Gi";
  try {
    return canonicalQuantity(storage);
  } catch {
    return storage;
  }
}

/** The zone of the selected node, or (Immediate binding) one of the cluster's zones by the claim's uid. */
function placement(ctx: ControllerContext, claim: KubeObject, nodeName: string | undefined) {
  const node = nodeName ? ctx.store.get(NODES, undefined, nodeName) : undefined;
  if (node) return { node, zone: node.metadata.labels?.[ZONE_LABEL] };
  const nodes = ctx.store.all(NODES);
  const zones = [
    ...new Set(nodes.map((n) => n.metadata.labels?.[ZONE_LABEL]).filter((z) => z !== undefined)),
  ];
  const zone = zones.length > 0 ? zones.sort()[fnv32a(claim.metadata.uid!) % zones.length] : undefined;
  return { node: nodes.find((n) => n.metadata.labels?.[ZONE_LABEL] === zone) ?? nodes[0], zone };
}

/** Creates the volume for `claim` and returns it. */
function provisionVolume(
  ctx: ControllerContext,
  claim: KubeObject,
  storageClass: KubeObject,
  nodeName: string | undefined,
): KubeObject {
  const provisioner = (storageClass as { provisioner?: string }).provisioner ?? "";
  const driver = csiDriver(provisioner);
  const name = `pvc-${claim.metadata.uid}`;
  const { node, zone } = placement(ctx, claim, nodeName);
  const spec = claim.spec as ClaimSpec;
  const reclaimPolicy = (storageClass as { reclaimPolicy?: string }).reclaimPolicy ?? "Delete";
  const volume: KubeObject = {
    metadata: {
      name,
      annotations: {
        [PROVISIONED_BY]: provisioner,
        "volume.kubernetes.io/provisioner-deletion-secret-name": "",
        "volume.kubernetes.io/provisioner-deletion-secret-namespace": "",
      },
      // The provisioner holds on to volumes it must delete with their disk (HonorPVReclaimPolicy).
      ...(reclaimPolicy === "Delete" ? { finalizers: [PROVISIONER_FINALIZER] } : {}),
    },
    spec: {
      accessModes: [...(spec.accessModes ?? ["ReadWriteOnce"])],
      capacity: { storage: requested(claim) },
      claimRef: {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        name: claim.metadata.name,
        namespace: claim.metadata.namespace,
        resourceVersion: claim.metadata.resourceVersion,
        uid: claim.metadata.uid,
      },
      csi: {
        driver: provisioner,
        fsType: driver.fsType,
        volumeAttributes: {
          "storage.kubernetes.io/csiProvisionerIdentity": `${fnv32a(ctx.store.clusterName)}-${provisioner}`,
        },
        volumeHandle: driver.volumeHandle(name, claim.metadata.uid!, zone, node),
      },
      ...(zone
        ? {
            nodeAffinity: {
              required: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: driver.topologyKey, operator: "In", values: [zone] }] },
                ],
              },
            },
          }
        : {}),
      persistentVolumeReclaimPolicy: reclaimPolicy,
      storageClassName: storageClass.metadata.name,
      volumeMode: spec.volumeMode ?? "Filesystem",
    },
    status: { phase: "Pending" },
  };
  admitCreate(ctx.store, VOLUMES, volume);
  return ctx.store.create(VOLUMES, volume);
}

/** A new volume from the claim's class, once the class's binding mode allows it. */
export function provisionFor(
  ctx: ControllerContext,
  claim: KubeObject,
  className: string,
): KubeObject | undefined {
  const storageClass = className ? ctx.store.get(STORAGE_CLASSES, undefined, className) : undefined;
  const provisioner = (storageClass as { provisioner?: string } | undefined)?.provisioner;
  if (!storageClass || !provisioner || provisioner === NO_PROVISIONER) return undefined;
  let node = claim.metadata.annotations?.[SELECTED_NODE];
  if (
    (storageClass as { volumeBindingMode?: string }).volumeBindingMode === "WaitForFirstConsumer" &&
    !node
  ) {
    node = consumerNode(ctx, claim);
    if (!node) {
      record(
        ctx,
        claim,
        "WaitForFirstConsumer",
        "waiting for first consumer to be created before binding",
        "persistentvolume-controller",
      );
      return undefined;
    }
  }
  const existing = ctx.store.get(VOLUMES, undefined, `pvc-${claim.metadata.uid}`);
  if (existing) return existing;
  const volume = provisionVolume(ctx, claim, storageClass, node);
  ctx.store.mutate(CLAIMS, claim.metadata.namespace, claim.metadata.name!, (draft) => {
    draft.metadata.annotations = {
      ...draft.metadata.annotations,
      ...(node ? { [SELECTED_NODE]: node } : {}),
      "volume.beta.kubernetes.io/storage-provisioner": provisioner,
      "volume.kubernetes.io/storage-provisioner": provisioner,
    };
  });
  record(
    ctx,
    claim,
    "ProvisioningSucceeded",
    `Successfully provisioned volume ${volume.metadata.name}`,
    provisioner,
  );
  return volume;
}

/** The node of a scheduled, unfinished pod that mounts the claim. */
function consumerNode(ctx: ControllerContext, claim: KubeObject): string | undefined {
  for (const pod of ctx.store.all(PODS, claim.metadata.namespace)) {
    const phase = podStatus(pod).phase;
    if (phase === "Succeeded" || phase === "Failed" || !podSpec(pod).nodeName) continue;
    if (claimsOf(pod).includes(claim.metadata.name!)) return podSpec(pod).nodeName;
  }
  return undefined;
}

function record(
  ctx: ControllerContext,
  claim: KubeObject,
  reason: string,
  message: string,
  component: string,
): void {
  ctx.events.record({ kind: CLAIMS, object: claim, type: "Normal", reason, message, source: { component } });
}
