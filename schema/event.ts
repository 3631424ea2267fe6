import { Field, Int, ObjectType } from "type-graphql";
import { EventType } from "./enums.js";
import { KubeObject, NamespacedObject } from "./kube-object.js";
import { RelayNode } from "./relay-node.js";
import { DateTime } from "./scalars.js";

@ObjectType({ simpleResolvers: true, description: "The object an event is about." })
export class InvolvedObject {
  @Field({ description: 'Its kind, e.g. "Pod".' })
  kind!: string;

  @Field({ description: "Its name." })
  name!: string;

  @Field({ description: 'Its namespace ("" for a cluster-scoped object).' })
  namespaceName!: string;

  @Field(() => String, { nullable: true, description: "Its uid." })
  uid!: string | null;
}

// Named KubeEvent in TypeScript: `Event` is a global class in Node's typings.
@ObjectType("Event", {
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description:
    "A Kubernetes event: something that happened to an object (kept by Kubernetes for about an hour).",
})
export class KubeEvent extends NamespacedObject {
  @Field(() => EventType, { description: "How serious it is." })
  type!: EventType;

  @Field({ description: 'A one-word reason, e.g. "BackOff", "Scheduled".' })
  reason!: string;

  @Field({ description: "What happened, for a person." })
  message!: string;

  @Field(() => Int, { description: "How often it happened (repeats are counted, not recorded again)." })
  count!: number;

  @Field(() => DateTime, { nullable: true, description: "When it first happened." })
  firstTimestamp!: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When it last happened." })
  lastTimestamp!: Date | null;

  @Field(() => InvolvedObject, { description: "The object it is about." })
  involvedObject!: InvolvedObject;

  @Field(() => String, { nullable: true, description: 'The component that reported it, e.g. "kubelet".' })
  source!: string | null;
}
