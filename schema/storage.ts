/** Storage: PersistentVolumeClaims, PersistentVolumes and StorageClasses. Relations in resolvers/storage.ts. */
import { Field, Float, ObjectType } from "type-graphql";
import {
  AccessMode,
  ClaimPhase,
  ReclaimPolicy,
  VolumeBindingMode,
  VolumeMode,
  VolumePhase,
} from "./enums.js";
import { KubeObject, NamespacedObject } from "./kube-object.js";
import { RelayNode } from "./relay-node.js";

@ObjectType({ simpleResolvers: true, description: "A storage size: as reported and in bytes." })
export class StorageSize {
  @Field({ description: 'As reported, e.g. "10Gi".' })
  quantity!: string;

  @Field(() => Float, { nullable: true, description: "In bytes; null when it does not parse." })
  bytes!: number | null;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "A PersistentVolumeClaim: a request for storage, bound to a PersistentVolume.",
})
export class PersistentVolumeClaim extends NamespacedObject {
  @Field(() => ClaimPhase, { description: "status.phase." })
  phase!: ClaimPhase;

  @Field(() => String, {
    nullable: true,
    description: "Its storage class name (the `storageClass` field is the object).",
  })
  storageClassName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The bound volume's name (the `volume` field is the object).",
  })
  volumeName!: string | null;

  @Field(() => [AccessMode], { description: "How it may be mounted." })
  accessModes!: AccessMode[];

  @Field(() => StorageSize, {
    nullable: true,
    description: "What it asks for (spec.resources.requests.storage).",
  })
  requested!: StorageSize | null;

  @Field(() => StorageSize, {
    nullable: true,
    description: "What it got, once bound (status.capacity.storage).",
  })
  capacity!: StorageSize | null;

  @Field(() => VolumeMode, {
    nullable: true,
    description: "spec.volumeMode; null when not set (a filesystem).",
  })
  volumeMode!: VolumeMode | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "The claim a PersistentVolume is bound to (spec.claimRef).",
})
export class ClaimRef {
  @Field({ description: "The claim's namespace." })
  namespaceName!: string;

  @Field({ description: "The claim's name." })
  name!: string;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject],
  description: "A PersistentVolume: a piece of storage in a cluster.",
})
export class PersistentVolume extends KubeObject {
  @Field(() => VolumePhase, { description: "status.phase." })
  phase!: VolumePhase;

  @Field(() => StorageSize, { nullable: true, description: "spec.capacity.storage." })
  capacity!: StorageSize | null;

  @Field(() => [AccessMode], { description: "How it may be mounted." })
  accessModes!: AccessMode[];

  @Field(() => ReclaimPolicy, { nullable: true, description: "spec.persistentVolumeReclaimPolicy." })
  reclaimPolicy!: ReclaimPolicy | null;

  @Field(() => String, {
    nullable: true,
    description: "Its storage class name (the `storageClass` field is the object).",
  })
  storageClassName!: string | null;

  @Field(() => ClaimRef, {
    nullable: true,
    description: "The claim it is bound to (the `claim` field is the object).",
  })
  claimRef!: ClaimRef | null;

  @Field(() => VolumeMode, {
    nullable: true,
    description: "spec.volumeMode; null when not set (a filesystem).",
  })
  volumeMode!: VolumeMode | null;

  @Field(() => String, { nullable: true, description: "Why it is in its phase (status.reason)." })
  reason!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject],
  description: "A StorageClass: how volumes are provisioned for claims that name it.",
})
export class StorageClass extends KubeObject {
  @Field({ description: 'The provisioner, e.g. "ebs.csi.aws.com".' })
  provisioner!: string;

  @Field(() => ReclaimPolicy, { description: "What happens to its volumes when their claims are deleted." })
  reclaimPolicy!: ReclaimPolicy;

  @Field(() => VolumeBindingMode, { description: "When its claims are bound and provisioned." })
  volumeBindingMode!: VolumeBindingMode;

  @Field({ description: "Claims of it may be resized." })
  allowVolumeExpansion!: boolean;

  @Field({ description: "It is the cluster's default class (storageclass.kubernetes.io/is-default-class)." })
  isDefault!: boolean;
}
