/** ConfigMaps, Secrets (metadata and key names only: never values) and ServiceAccounts. */
import { Field, Int, ObjectType } from "type-graphql";
import { KubeObject, NamespacedObject } from "./kube-object.js";
import { RelayNode } from "./relay-node.js";

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "A ConfigMap: its key names (values are not served by this API).",
})
export class ConfigMap extends NamespacedObject {
  @Field(() => [String], { description: "The keys of data and binaryData, sorted." })
  keys!: string[];

  @Field({ description: "It cannot be changed (spec.immutable)." })
  immutable!: boolean;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "A Secret: its type and key names. Values are never read into the gateway, so never served.",
})
export class Secret extends NamespacedObject {
  @Field({ description: 'Its type, e.g. "Opaque", "kubernetes.io/tls", "kubernetes.io/dockerconfigjson".' })
  type!: string;

  @Field(() => [String], { description: "The keys of its data, sorted." })
  keys!: string[];

  @Field({ description: "It cannot be changed (immutable)." })
  immutable!: boolean;
}

@ObjectType({
  simpleResolvers: true,
  implements: [RelayNode, KubeObject, NamespacedObject],
  description: "A ServiceAccount: the identity its pods run as.",
})
export class ServiceAccount extends NamespacedObject {
  @Field(() => Int, { description: "How many token Secrets it lists." })
  secrets!: number;

  @Field(() => [String], { description: "The names of its image pull secrets." })
  imagePullSecrets!: string[];

  @Field(() => Boolean, {
    nullable: true,
    description: "automountServiceAccountToken; null when not set (tokens are mounted by default).",
  })
  automountToken!: boolean | null;
}
