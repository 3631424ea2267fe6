/**
 * The Workload interface and its implementations, and ReplicaSets. Relations (pods, owners,
 * Deployment.revisions) are field resolvers in resolvers/workload.ts.
 */
import { Field, Int, InterfaceType, ObjectType } from "type-graphql";
import { Condition, ResourceList } from "./common.js";
import { RolloutState, WorkloadKind, WorkloadStatus } from "./enums.js";
import { KubeObject, NamespacedObject } from "./kube-object.js";
import { LabelSelector } from "./label.js";
import { RelayNode } from "./relay-node.js";
import { DateTime } from "./scalars.js";

@ObjectType({ simpleResolvers: true, description: "A container of a pod template." })
export class TemplateContainer {
  @Field({ description: "Its name in the template." })
  name!: string;

  @Field({ description: "The image it runs." })
  image!: string;

  @Field(() => ResourceList, { description: "resources.requests in the template." })
  requests!: ResourceList;

  @Field(() => ResourceList, { description: "resources.limits in the template." })
  limits!: ResourceList;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "A workload's replica counts. For a DaemonSet: nodes that should run it; for a Job: completions.",
})
export class WorkloadReplicas {
  @Field(() => Int, { description: "Asked for (spec.replicas, completions, or scheduled daemons)." })
  desired!: number;

  @Field(() => Int, { description: "Ready." })
  ready!: number;

  @Field(() => Int, { description: "Available (ready for at least minReadySeconds); a Job: succeeded." })
  available!: number;

  @Field(() => Int, { description: "Running the current template; a Job: succeeded." })
  updated!: number;
}

@InterfaceType({
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "A Deployment, StatefulSet, DaemonSet, Job or CronJob.",
})
export abstract class Workload extends NamespacedObject {
  @Field(() => WorkloadKind, { description: "Which kind of workload." })
  kind!: WorkloadKind;

  @Field(() => WorkloadReplicas, {
    nullable: true,
    description: "Its replica counts; null for a CronJob (it runs Jobs).",
  })
  replicas!: WorkloadReplicas | null;

  @Field(() => WorkloadStatus, { description: "One word for its state." })
  status!: WorkloadStatus;

  @Field({
    description:
      "Every desired replica is ready. Jobs: complete, or every active pod ready. CronJobs: always (they run no pods themselves).",
  })
  ready!: boolean;

  @Field(() => LabelSelector, { nullable: true, description: "Its pod selector; null for a CronJob." })
  selector!: LabelSelector | null;

  @Field(() => Int, { description: "metadata.generation: bumped by each change of its spec." })
  generation!: number;

  @Field(() => Int, { description: "The generation its controller last acted on." })
  observedGeneration!: number;

  @Field(() => [Condition], { description: "Its status conditions." })
  conditions!: Condition[];

  @Field(() => [TemplateContainer], { description: "The containers of its pod template." })
  containers!: TemplateContainer[];
}

@ObjectType({ simpleResolvers: true, description: "Where a Deployment's rollout stands." })
export class RolloutStatus {
  @Field(() => RolloutState, { description: "The state in one word." })
  state!: RolloutState;

  @Field({ description: "What `kubectl rollout status` would print." })
  message!: string;

  @Field(() => Int, { nullable: true, description: "The revision being rolled out (or rolled out)." })
  revision!: number | null;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject, Workload],
  description: "A Deployment: replicated pods through ReplicaSets, one per revision of its template.",
})
export class Deployment extends Workload {
  @Field({ description: "spec.paused: rollouts wait until it is resumed." })
  paused!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: "Its current revision (deployment.kubernetes.io/revision).",
  })
  revision!: number | null;

  @Field(() => RolloutStatus, { description: "Where its rollout stands." })
  rolloutStatus!: RolloutStatus;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject, Workload],
  description: "A StatefulSet: pods with stable names and storage.",
})
export class StatefulSet extends Workload {}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject, Workload],
  description: "A DaemonSet: one pod on each node it fits.",
})
export class DaemonSet extends Workload {}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject, Workload],
  description: "A Job: pods run to completion.",
})
export class Job extends Workload {
  @Field(() => Int, { description: "Pods that succeeded." })
  succeeded!: number;

  @Field(() => Int, { description: "Pods that failed." })
  failed!: number;

  @Field(() => Int, { description: "Pods running now." })
  active!: number;

  @Field({ description: "spec.suspend." })
  suspended!: boolean;

  @Field(() => DateTime, { nullable: true, description: "When it completed." })
  completionTime!: Date | null;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject, Workload],
  description: "A CronJob: Jobs on a schedule.",
})
export class CronJob extends Workload {
  @Field({ description: 'Its schedule in cron syntax, e.g. "*/5 * * * *".' })
  schedule!: string;

  @Field({ description: "spec.suspend: no new Jobs are started." })
  suspended!: boolean;

  @Field(() => Int, { description: "Jobs running now." })
  active!: number;

  @Field(() => DateTime, { nullable: true, description: "When it last started a Job." })
  lastScheduleTime!: Date | null;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "A ReplicaSet: one revision of a Deployment (or a bare ReplicaSet).",
})
export class ReplicaSet extends NamespacedObject {
  @Field(() => Int, {
    nullable: true,
    description: "Its revision number (deployment.kubernetes.io/revision).",
  })
  revision!: number | null;

  @Field(() => WorkloadReplicas, { description: "Its replica counts." })
  replicas!: WorkloadReplicas;

  @Field(() => [TemplateContainer], { description: "The containers of its pod template." })
  containers!: TemplateContainer[];
}
