/** HorizontalPodAutoscalers. The target relation is in resolvers/autoscaling.ts. */
import { Field, Int, ObjectType } from "type-graphql";
import { Condition } from "./common.js";
import { KubeObject, NamespacedObject } from "./kube-object.js";
import { RelayNode } from "./relay-node.js";
import { DateTime } from "./scalars.js";

@ObjectType({
  simpleResolvers: true,
  description: "The workload an autoscaler scales (spec.scaleTargetRef).",
})
export class ScaleTargetRef {
  @Field({ description: 'Its kind, e.g. "Deployment".' })
  kind!: string;

  @Field({ description: "Its name, in the autoscaler's namespace." })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Its apiVersion, e.g. "apps/v1".' })
  apiVersion!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "One metric an autoscaler scales on, with its target and current value.",
})
export class AutoscalerMetric {
  @Field({ description: '"Resource", "Pods", "Object", "External" or "ContainerResource".' })
  type!: string;

  @Field({ description: 'The resource or metric name, e.g. "cpu".' })
  name!: string;

  @Field({ description: '"Utilization" (a percentage of requests), "Value" or "AverageValue".' })
  targetType!: string;

  @Field(() => String, { nullable: true, description: 'The target, e.g. "70" (percent) or "500m".' })
  target!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The current value in the same terms; null until measured.",
  })
  current!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "A HorizontalPodAutoscaler (autoscaling/v2): scales a workload's replicas on its metrics.",
})
export class HorizontalPodAutoscaler extends NamespacedObject {
  @Field(() => ScaleTargetRef, { description: "What it scales (the `target` field is the object)." })
  scaleTargetRef!: ScaleTargetRef;

  @Field(() => Int, { description: "It never scales below this." })
  minReplicas!: number;

  @Field(() => Int, { description: "It never scales above this." })
  maxReplicas!: number;

  @Field(() => Int, { description: "Replicas the target has now (status.currentReplicas)." })
  currentReplicas!: number;

  @Field(() => Int, { description: "Replicas it last asked for (status.desiredReplicas)." })
  desiredReplicas!: number;

  @Field(() => [AutoscalerMetric], { description: "The metrics it scales on." })
  metrics!: AutoscalerMetric[];

  @Field(() => DateTime, { nullable: true, description: "When it last changed the replica count." })
  lastScaleTime!: Date | null;

  @Field(() => [Condition], { description: "AbleToScale, ScalingActive, ScalingLimited." })
  conditions!: Condition[];
}
