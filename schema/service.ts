import { Field, Int, ObjectType } from "type-graphql";
import { NamespacedObject } from "./object-meta.js";
import { RelayNode } from "./relay-node.js";
import { JSON } from "./scalars.js";

@ObjectType({ simpleResolvers: true })
export class ServicePort {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Int)
  port!: number;

  @Field(() => String, { nullable: true, description: "A port number or a named container port." })
  targetPort!: string | null;

  @Field()
  protocol!: string;

  @Field(() => Int, { nullable: true })
  nodePort!: number | null;
}

@ObjectType({ simpleResolvers: true, implements: RelayNode })
export class Service extends NamespacedObject {
  @Field()
  type!: string;

  @Field(() => String, { nullable: true })
  clusterIP!: string | null;

  @Field(() => [ServicePort])
  ports!: ServicePort[];

  @Field(() => JSON, { nullable: true, description: "spec.selector; null for services without one." })
  selector!: Readonly<Record<string, string>> | null;
}
