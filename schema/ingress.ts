/** Ingresses: HTTP routes into a cluster's services. Backend relations are in resolvers/ingress.ts. */
import { Field, ObjectType } from "type-graphql";
import { PathType } from "./enums.js";
import { KubeObject, NamespacedObject } from "./kube-object.js";
import { RelayNode } from "./relay-node.js";

@ObjectType({
  simpleResolvers: true,
  description: "Where an ingress path sends requests: a service port (or a resource).",
})
export class IngressBackend {
  @Field(() => String, {
    nullable: true,
    description: "The service's name (the `service` field is the object).",
  })
  serviceName!: string | null;

  @Field(() => String, { nullable: true, description: "The service port: a number or a port name." })
  servicePort!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A resource backend instead, as "apiGroup/kind/name".',
  })
  resource!: string | null;
}

@ObjectType({ simpleResolvers: true, description: "One path of an ingress rule." })
export class IngressPath {
  @Field(() => String, { nullable: true, description: 'The path, e.g. "/api".' })
  path!: string | null;

  @Field(() => PathType, { description: "How the path matches." })
  pathType!: PathType;

  @Field(() => IngressBackend, { description: "Where requests on this path go." })
  backend!: IngressBackend;
}

@ObjectType({ simpleResolvers: true, description: "One rule of an ingress: a host and its paths." })
export class IngressRule {
  @Field(() => String, { nullable: true, description: "The host it matches; null for every host." })
  host!: string | null;

  @Field(() => [IngressPath], { description: "Its paths." })
  paths!: IngressPath[];
}

@ObjectType({ simpleResolvers: true, description: "TLS for some hosts of an ingress." })
export class IngressTls {
  @Field(() => [String], { description: "The hosts the certificate covers." })
  hosts!: string[];

  @Field(() => String, {
    nullable: true,
    description: "The Secret holding the certificate (the `secret` field is the object).",
  })
  secretName!: string | null;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "An Ingress: HTTP(S) routes from hosts and paths to services.",
})
export class Ingress extends NamespacedObject {
  @Field(() => String, { nullable: true, description: 'spec.ingressClassName, e.g. "nginx".' })
  className!: string | null;

  @Field(() => [String], { description: "Every host its rules name, in rule order, without repeats." })
  hosts!: string[];

  @Field(() => [IngressRule], { description: "Its rules." })
  rules!: IngressRule[];

  @Field(() => IngressBackend, { nullable: true, description: "Where requests no rule matches go." })
  defaultBackend!: IngressBackend | null;

  @Field(() => [IngressTls], { description: "Its TLS settings." })
  tls!: IngressTls[];

  @Field(() => [String], { description: "The load balancer's addresses (IPs or hostnames)." })
  addresses!: string[];
}
