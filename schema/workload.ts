/**
 * The Workload interface and its implementations. The interface carries what every controller
 * shares (replica counts, conditions, pod template containers); kind-specific fields live on
 * the types. Relations (pods, owners) are field resolvers in resolvers/workload.ts, declared on
 * the interface so every implementation inherits them.
 */
import { Field, Int, InterfaceType, ObjectType } from "type-graphql";
import { WorkloadKind } from "./enums.js";
import { NamespacedObject } from "./object-meta.js";
import { Condition } from "./owner-ref.js";
import { RelayNode } from "./relay-node.js";
import { DateTime } from "./scalars.js";

@ObjectType({ simpleResolvers: true, description: "A container of a pod template." })
export class TemplateContainer {
  @Field()
  name!: string;

  @Field()
  image!: string;
}

@InterfaceType({
  implements: RelayNode,
})
export abstract class Workload extends NamespacedObject {
  @Field(() => WorkloadKind)
  kind!: WorkloadKind;

  @Field(() => Int, { description: "Replicas (or completions, or scheduled daemons) asked for." })
  desiredReplicas!: number;

  @Field(() => Int)
  readyReplicas!: number;

  @Field(() => Int)
  availableReplicas!: number;

  @Field(() => Int)
  updatedReplicas!: number;

  @Field({
    description:
      "Every desired replica is ready. Jobs: complete, or every active pod ready. CronJobs: always (they run no pods themselves).",
  })
  ready!: boolean;

  @Field({ description: 'The pod selector in label selector syntax ("" when none).' })
  selector!: string;

  @Field(() => Int)
  generation!: number;

  @Field(() => Int)
  observedGeneration!: number;

  @Field(() => [Condition])
  conditions!: Condition[];

  @Field(() => [TemplateContainer])
  containers!: TemplateContainer[];
}

@ObjectType({ simpleResolvers: true, implements: [RelayNode, Workload] })
export class Deployment extends Workload {}

@ObjectType({ simpleResolvers: true, implements: [RelayNode, Workload] })
export class StatefulSet extends Workload {}

@ObjectType({ simpleResolvers: true, implements: [RelayNode, Workload] })
export class DaemonSet extends Workload {}

@ObjectType({ simpleResolvers: true, implements: [RelayNode, Workload] })
export class Job extends Workload {
  @Field(() => Int)
  succeeded!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int)
  active!: number;

  @Field(() => DateTime, { nullable: true })
  completionTime!: Date | null;
}

@ObjectType({ simpleResolvers: true, implements: [RelayNode, Workload] })
export class CronJob extends Workload {
  @Field()
  schedule!: string;

  @Field()
  suspend!: boolean;

  @Field(() => Int, { description: "Jobs currently running." })
  active!: number;

  @Field(() => DateTime, { nullable: true })
  lastScheduleTime!: Date | null;
}

/**
 * Not a Workload (it is never listed as one): served so that owner chains and node(id:) can
 * reach the ReplicaSets between Deployments and their pods.
 */
@ObjectType({ simpleResolvers: true, implements: RelayNode })
export class ReplicaSet extends NamespacedObject {
  @Field(() => Int)
  desiredReplicas!: number;

  @Field(() => Int)
  readyReplicas!: number;

  @Field(() => Int)
  availableReplicas!: number;
}
