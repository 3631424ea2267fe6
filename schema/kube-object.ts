/**
 * The interfaces every cached Kubernetes object implements, so one client fragment serves every
 * kind. Relations (cluster, namespace, workspace, events, `label(key)`) are field resolvers
 * declared on the interfaces (resolvers/kube-object.ts), which every implementing type inherits.
 */
import { Field, InterfaceType } from "type-graphql";
import { Label } from "./label.js";
import { RelayNode } from "./relay-node.js";
import { DateTime } from "./scalars.js";

@InterfaceType({
  implements: RelayNode,
  description: "A Kubernetes object in one cluster of the fleet, of any kind this API types.",
})
export abstract class KubeObject extends RelayNode {
  @Field({ description: "The name of the cluster the object lives in (the `cluster` field is the object)." })
  clusterName!: string;

  @Field({ description: "metadata.name." })
  name!: string;

  @Field({ description: "metadata.uid: unique in its cluster, new when the object is recreated." })
  uid!: string;

  @Field(() => [Label], { description: "metadata.labels, by key." })
  labels!: Label[];

  @Field(() => DateTime, { description: "metadata.creationTimestamp." })
  createdAt!: Date;

  @Field({ description: "metadata.resourceVersion: changes whenever the object does." })
  resourceVersion!: string;
}

@InterfaceType({
  implements: [RelayNode, KubeObject],
  description: "A Kubernetes object that lives in a namespace.",
})
export abstract class NamespacedObject extends KubeObject {
  @Field({ description: "The name of its namespace (the `namespace` field is the object)." })
  namespaceName!: string;
}
