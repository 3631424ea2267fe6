/** ResourceQuotas and LimitRanges: what a namespace may use, and its pods' defaults. */
import { Field, ObjectType } from "type-graphql";
import { ResourceQuantity } from "./common.js";
import { KubeObject, NamespacedObject } from "./kube-object.js";
import { RelayNode } from "./relay-node.js";

@ObjectType({
  simpleResolvers: true,
  description: "One resource of a quota: its limit and what is used of it.",
})
export class QuotaUsage {
  @Field({ description: 'The resource, e.g. "requests.cpu", "pods".' })
  resource!: string;

  @Field(() => ResourceQuantity, { description: "The limit (status.hard)." })
  hard!: ResourceQuantity;

  @Field(() => ResourceQuantity, {
    nullable: true,
    description: "What is used (status.used); null until counted.",
  })
  used!: ResourceQuantity | null;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "A ResourceQuota: limits on what a namespace may request, use and create.",
})
export class ResourceQuota extends NamespacedObject {
  @Field(() => [QuotaUsage], { description: "Each limited resource, with its usage, by resource name." })
  resources!: QuotaUsage[];

  @Field(() => [String], { description: 'Its scopes, e.g. "NotTerminating"; empty for every object.' })
  scopes!: string[];
}

@ObjectType({ simpleResolvers: true, description: "The limits of one type of object in a LimitRange." })
export class LimitRangeItem {
  @Field({ description: '"Container", "Pod" or "PersistentVolumeClaim".' })
  type!: string;

  @Field(() => [ResourceQuantity], { description: "The most one may ask for." })
  max!: ResourceQuantity[];

  @Field(() => [ResourceQuantity], { description: "The least one may ask for." })
  min!: ResourceQuantity[];

  @Field(() => [ResourceQuantity], { description: "The limits given to containers that set none." })
  default!: ResourceQuantity[];

  @Field(() => [ResourceQuantity], { description: "The requests given to containers that set none." })
  defaultRequest!: ResourceQuantity[];

  @Field(() => [ResourceQuantity], { description: "The largest limit/request ratio allowed." })
  maxLimitRequestRatio!: ResourceQuantity[];
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "A LimitRange: defaults and bounds for the resources of a namespace's pods and claims.",
})
export class LimitRange extends NamespacedObject {
  @Field(() => [LimitRangeItem], { description: "Its limits, by object type." })
  limits!: LimitRangeItem[];
}
