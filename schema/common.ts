/** Small object types several kinds share: conditions, resource quantities, owner references. */
import { Field, Float, ObjectType } from "type-graphql";
import { ConditionStatus } from "./enums.js";
import { DateTime } from "./scalars.js";

@ObjectType({
  simpleResolvers: true,
  description: "One condition of an object's status (Ready, Available, ...).",
})
export class Condition {
  @Field({ description: 'The condition\'s type, e.g. "Ready".' })
  type!: string;

  @Field(() => ConditionStatus, { description: "Whether it holds." })
  status!: ConditionStatus;

  @Field(() => String, { nullable: true, description: "A one-word reason for the last transition." })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: "A message about the last transition, for a person." })
  message!: string | null;

  @Field(() => DateTime, { nullable: true, description: "When the status last changed." })
  lastTransitionTime!: Date | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "CPU and memory, as reported (Kubernetes quantities) and parsed into numbers.",
})
export class ResourceList {
  @Field(() => String, { nullable: true, description: 'CPU as reported, e.g. "500m"; null when not set.' })
  cpu!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Memory as reported, e.g. "256Mi"; null when not set.',
  })
  memory!: string | null;

  @Field(() => Float, { nullable: true, description: "CPU in cores (0.5 for 500m); null when not set." })
  cpuCores!: number | null;

  @Field(() => Float, { nullable: true, description: "Memory in bytes; null when not set." })
  memoryBytes!: number | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "A reference to an owning object (metadata.ownerReferences).",
})
export class OwnerRef {
  @Field({ description: 'The owner\'s kind, e.g. "ReplicaSet".' })
  kind!: string;

  @Field({ description: "The owner's name (in the same namespace)." })
  name!: string;

  @Field({ description: "The owner's uid." })
  uid!: string;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "One named resource quantity, e.g. `requests.cpu: 4` of a quota or `memory: 512Mi` of a limit.",
})
export class ResourceQuantity {
  @Field({ description: 'The resource, e.g. "requests.cpu", "pods", "memory".' })
  resource!: string;

  @Field({ description: 'The quantity as reported, e.g. "500m", "4Gi", "10".' })
  quantity!: string;

  @Field(() => Float, {
    nullable: true,
    description:
      "The quantity as a number (cores for CPU, bytes for memory and storage); null when it does not parse.",
  })
  value!: number | null;
}
