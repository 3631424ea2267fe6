/** Pods and their containers. Relations (node, owner, owners) are in resolvers/pod.ts. */
import { Field, Int, ObjectType } from "type-graphql";
import { Condition, ResourceList } from "./common.js";
import { ContainerState, PodPhase, Protocol, QosClass } from "./enums.js";
import { KubeObject, NamespacedObject } from "./kube-object.js";
import { RelayNode } from "./relay-node.js";
import { DateTime } from "./scalars.js";

@ObjectType({ simpleResolvers: true, description: "A port a container exposes." })
export class ContainerPort {
  @Field(() => String, { nullable: true, description: "Its name, which services may target." })
  name!: string | null;

  @Field(() => Int, { description: "The port number in the container." })
  containerPort!: number;

  @Field(() => Protocol, { description: "TCP unless said otherwise." })
  protocol!: Protocol;
}

@ObjectType({ simpleResolvers: true, description: "How a container's previous run ended (after a restart)." })
export class ContainerTermination {
  @Field(() => Int, { description: "The exit code (137: killed, e.g. out of memory)." })
  exitCode!: number;

  @Field(() => String, { nullable: true, description: 'Why, e.g. "OOMKilled", "Error", "Completed".' })
  reason!: string | null;

  @Field(() => DateTime, { nullable: true, description: "When the run started." })
  startedAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When it ended." })
  finishedAt!: Date | null;
}

@ObjectType({ simpleResolvers: true, description: "A container of a pod, with its spec and status." })
export class Container {
  @Field({ description: "Its name in the pod." })
  name!: string;

  @Field({ description: "The image it runs." })
  image!: string;

  @Field({ description: "It passes its readiness probe." })
  ready!: boolean;

  @Field(() => Int, { description: "How often it has restarted." })
  restarts!: number;

  @Field(() => ContainerState, { description: "The state of its current run." })
  state!: ContainerState;

  @Field(() => String, { nullable: true, description: 'Why waiting or terminated, e.g. "CrashLoopBackOff".' })
  stateReason!: string | null;

  @Field(() => DateTime, { nullable: true, description: "When the current run started." })
  startedAt!: Date | null;

  @Field(() => ResourceList, { description: "resources.requests: what the scheduler reserves for it." })
  requests!: ResourceList;

  @Field(() => ResourceList, { description: "resources.limits: what it may use at most." })
  limits!: ResourceList;

  @Field(() => [ContainerPort], { description: "The ports it declares." })
  ports!: ContainerPort[];

  @Field(() => ContainerTermination, {
    nullable: true,
    description: "How its previous run ended (status.lastState.terminated); null when it never restarted.",
  })
  lastTermination!: ContainerTermination | null;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "A pod.",
})
export class Pod extends NamespacedObject {
  @Field(() => PodPhase, { description: "status.phase." })
  phase!: PodPhase;

  @Field({ description: "Every container is ready." })
  ready!: boolean;

  @Field(() => Int, { description: "Restarts summed over the containers." })
  restarts!: number;

  @Field(() => QosClass, { description: "Its quality-of-service class." })
  qosClass!: QosClass;

  @Field(() => String, {
    nullable: true,
    description:
      "The name of the node it is scheduled on (the `node` field is the object); null when unscheduled.",
  })
  nodeName!: string | null;

  @Field(() => String, { nullable: true, description: "status.podIP." })
  podIP!: string | null;

  @Field(() => String, { nullable: true, description: "status.hostIP: the node's IP." })
  hostIP!: string | null;

  @Field(() => DateTime, { nullable: true, description: "When the kubelet accepted it (status.startTime)." })
  startTime!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it is in this state, e.g. "Evicted".' })
  reason!: string | null;

  @Field(() => [Condition], { description: "PodScheduled, Initialized, ContainersReady, Ready." })
  conditions!: Condition[];

  @Field(() => [Container], { description: "Its containers (init containers excluded)." })
  containers!: Container[];
}
