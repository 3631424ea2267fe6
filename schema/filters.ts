/**
 * List filters. Every list shares the cluster and object fields (ObjectFilterFields); lists of
 * namespaced kinds add `namespaces`; each kind adds its own fields. Unknown cluster or namespace
 * names match nothing rather than failing: a dashboard's saved filter must survive a cluster
 * leaving the fleet.
 */
import { Field, InputType } from "type-graphql";
import { ClusterStatus, PodPhase, WorkloadKind } from "./enums.js";

@InputType()
abstract class ClusterFilterFields {
  @Field(() => [String], { nullable: true, description: "Cluster names; unknown names match nothing." })
  clusters?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'A label selector over the clusters\' labels, e.g. "region=eu,environment!=dev".',
  })
  clusterSelector?: string | null;
}

@InputType()
export abstract class ObjectFilterFields extends ClusterFilterFields {
  @Field(() => String, {
    nullable: true,
    description: "A Kubernetes label selector over the objects' labels.",
  })
  labelSelector?: string | null;

  @Field(() => String, { nullable: true, description: "Case-insensitive substring of the name." })
  nameContains?: string | null;
}

@InputType()
export abstract class NamespacedFilterFields extends ObjectFilterFields {
  @Field(() => [String], { nullable: true, description: "Namespace names; unknown names match nothing." })
  namespaces?: string[] | null;
}

@InputType()
export class ClusterFilter extends ClusterFilterFields {
  @Field(() => String, { nullable: true })
  nameContains?: string | null;

  @Field(() => [ClusterStatus], { nullable: true })
  statuses?: ClusterStatus[] | null;
}

@InputType({ description: "`namespaces` selects namespaces by name." })
export class NamespaceFilter extends NamespacedFilterFields {
  @Field(() => [String], { nullable: true, description: "Only namespaces of these workspaces." })
  workspaces?: string[] | null;
}

@InputType()
export class ClusterNodeFilter extends ObjectFilterFields {
  @Field(() => Boolean, { nullable: true })
  ready?: boolean | null;
}

@InputType()
export class WorkloadFilter extends NamespacedFilterFields {
  @Field(() => [WorkloadKind], { nullable: true, description: "Default: every workload kind." })
  kinds?: WorkloadKind[] | null;

  @Field(() => Boolean, { nullable: true, description: "true: every desired replica is ready; false: not." })
  ready?: boolean | null;
}

@InputType()
export class PodFilter extends NamespacedFilterFields {
  @Field(() => [PodPhase], { nullable: true })
  phases?: PodPhase[] | null;

  @Field(() => String, { nullable: true, description: "Pods scheduled on the node of this name." })
  nodeName?: string | null;

  @Field(() => Boolean, { nullable: true, description: "true: every container is ready; false: not." })
  ready?: boolean | null;
}

@InputType()
export class ServiceFilter extends NamespacedFilterFields {
  @Field(() => [String], { nullable: true, description: 'Service types, e.g. "ClusterIP", "LoadBalancer".' })
  types?: string[] | null;
}

@InputType()
export class EventFilter extends NamespacedFilterFields {
  @Field(() => [String], { nullable: true, description: '"Normal", "Warning".' })
  types?: string[] | null;

  @Field(() => [String], { nullable: true })
  reasons?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The involved object\'s kind, e.g. "Pod".' })
  involvedKind?: string | null;

  @Field(() => String, { nullable: true })
  involvedName?: string | null;
}
