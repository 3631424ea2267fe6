/** Storage: PersistentVolumeClaims, PersistentVolumes and StorageClasses. Relations in resolvers/storage.ts. */
import { Field, Float, ObjectType } from "type-graphql";
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
  @Field({ description: 'status.phase: "Pending", "Bound" or "Lost".' })
  phase!: string;

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

  @Field(() => [String], { description: 'Access modes, e.g. "ReadWriteOnce".' })
  accessModes!: string[];

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

  @Field(() => String, { nullable: true, description: '"Filesystem" or "Block".' })
  volumeMode!: string | null;
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
  @Field({ description: 'status.phase: "Available", "Bound", "Released", "Failed" or "Pending".' })
  phase!: string;

  @Field(() => StorageSize, { nullable: true, description: "spec.capacity.storage." })
  capacity!: StorageSize | null;

  @Field(() => [String], { description: 'Access modes, e.g. "ReadWriteOnce".' })
  accessModes!: string[];

  @Field(() => String, { nullable: true, description: '"Delete", "Retain" or "Recycle".' })
  reclaimPolicy!: string | null;

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

  @Field(() => String, { nullable: true, description: '"Filesystem" or "Block".' })
  volumeMode!: string | null;

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

  @Field({ description: '"Delete" or "Retain".' })
  reclaimPolicy!: string;

  @Field({ description: '"Immediate" or "WaitForFirstConsumer".' })
  volumeBindingMode!: string;

  @Field({ description: "Claims of it may be resized." })
  allowVolumeExpansion!: boolean;

  @Field({ description: "It is the cluster's default class (storageclass.kubernetes.io/is-default-class)." })
  isDefault!: boolean;
}
