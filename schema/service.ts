import { Field, Int, ObjectType } from "type-graphql";
import { Protocol, ServiceType } from "./enums.js";
import { KubeObject, NamespacedObject } from "./kube-object.js";
import { LabelSelector } from "./label.js";
import { RelayNode } from "./relay-node.js";

@ObjectType({ simpleResolvers: true, description: "A port of a service." })
export class ServicePort {
  @Field(() => String, { nullable: true, description: "Its name (required when there are several)." })
  name!: string | null;

  @Field(() => Int, { description: "The port the service listens on." })
  port!: number;

  @Field(() => String, { nullable: true, description: "The pods' port: a number or a named container port." })
  targetPort!: string | null;

  @Field(() => Protocol, { description: "TCP unless said otherwise." })
  protocol!: Protocol;

  @Field(() => Int, {
    nullable: true,
    description: "The port on every node (NodePort and LoadBalancer services).",
  })
  nodePort!: number | null;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "A service: a stable address for the pods its selector picks.",
})
export class Service extends NamespacedObject {
  @Field(() => ServiceType, { description: "How it is exposed." })
  type!: ServiceType;

  @Field(() => String, { nullable: true, description: 'spec.clusterIP ("None" for a headless service).' })
  clusterIP!: string | null;

  @Field(() => [String], { description: "External addresses: spec.externalIPs and the load balancer's." })
  externalIPs!: string[];

  @Field(() => [ServicePort], { description: "Its ports." })
  ports!: ServicePort[];

  @Field(() => LabelSelector, {
    nullable: true,
    description: "spec.selector; null for a service without one.",
  })
  selector!: LabelSelector | null;
}
