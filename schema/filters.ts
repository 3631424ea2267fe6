/**
 * List filters. Every object list shares the cluster and object fields; lists of namespaced kinds
 * add `namespaces`; each kind adds its own fields. A cluster name that is unknown (or outside your
 * scope) matches nothing and the answer carries a warning (`extensions.warnings`); unknown
 * namespace names match nothing.
 */
import { Field, InputType } from "type-graphql";
import {
  ClaimPhase,
  ClusterStatus,
  EventType,
  NamespacePhase,
  PodPhase,
  QosClass,
  ServiceType,
  WorkloadKind,
  VolumePhase,
  WorkloadStatus,
} from "./enums.js";

@InputType({ description: "Which clusters a list reads." })
export abstract class ClusterFilterFields {
  @Field(() => [String], {
    nullable: true,
    description: "Cluster names; a name unknown or outside your scope matches nothing (with a warning).",
  })
  clusters?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'A label selector over the clusters\' labels, e.g. "region=eu,environment!=dev".',
  })
  clusterSelector?: string | null;
}

@InputType({ description: "The filter fields of every object list." })
export abstract class ObjectFilterFields extends ClusterFilterFields {
  @Field(() => String, {
    nullable: true,
    description: 'A Kubernetes label selector over the objects\' labels, e.g. "app=web,tier in (front,api)".',
  })
  labelSelector?: string | null;

  @Field(() => String, { nullable: true, description: "A case-insensitive substring of the name." })
  nameContains?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Only objects in namespaces of these workspaces (cluster-scoped kinds: in clusters where they have namespaces).",
  })
  workspaces?: string[] | null;
}

@InputType({ description: "The filter fields of every list of a namespaced kind." })
export abstract class NamespacedFilterFields extends ObjectFilterFields {
  @Field(() => [String], { nullable: true, description: "Namespace names; unknown names match nothing." })
  namespaces?: string[] | null;
}

@InputType({ description: "Which clusters to list." })
export class ClusterFilter extends ClusterFilterFields {
  @Field(() => String, {
    nullable: true,
    description: "A case-insensitive substring of the name or display name.",
  })
  nameContains?: string | null;

  @Field(() => [ClusterStatus], {
    nullable: true,
    description: "Only clusters with one of these health verdicts.",
  })
  statuses?: ClusterStatus[] | null;
}

@InputType({ description: "Which workspaces to list." })
export class WorkspaceFilter {
  @Field(() => [String], { nullable: true, description: "Workspace names." })
  names?: string[] | null;

  @Field(() => String, { nullable: true, description: "A case-insensitive substring of the name." })
  nameContains?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: "Only workspaces with namespaces in these clusters.",
  })
  clusters?: string[] | null;
}

@InputType({ description: "Which namespaces to list. `namespaces` selects them by name." })
export class NamespaceFilter extends NamespacedFilterFields {
  @Field(() => [NamespacePhase], { nullable: true, description: "Only namespaces in these phases." })
  phases?: NamespacePhase[] | null;
}

@InputType({ description: "Which Kubernetes nodes to list." })
export class ClusterNodeFilter extends ObjectFilterFields {
  @Field(() => Boolean, { nullable: true, description: "true: Ready nodes; false: the others." })
  ready?: boolean | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Nodes with one of these roles, e.g. "control-plane".',
  })
  roles?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: "true: cordoned nodes; false: schedulable ones." })
  unschedulable?: boolean | null;
}

@InputType({ description: "Which workloads to list." })
export class WorkloadFilter extends NamespacedFilterFields {
  @Field(() => [WorkloadKind], { nullable: true, description: "Default: every workload kind." })
  kinds?: WorkloadKind[] | null;

  @Field(() => Boolean, { nullable: true, description: "true: every desired replica is ready; false: not." })
  ready?: boolean | null;

  @Field(() => [WorkloadStatus], { nullable: true, description: "Only workloads in one of these states." })
  statuses?: WorkloadStatus[] | null;
}

@InputType({ description: "Which pods to list." })
export class PodFilter extends NamespacedFilterFields {
  @Field(() => [PodPhase], { nullable: true, description: "Only pods in one of these phases." })
  phases?: PodPhase[] | null;

  @Field(() => String, { nullable: true, description: "Pods scheduled on the node of this name." })
  nodeName?: string | null;

  @Field(() => Boolean, { nullable: true, description: "true: every container is ready; false: not." })
  ready?: boolean | null;

  @Field(() => [QosClass], { nullable: true, description: "Only pods of these quality-of-service classes." })
  qosClasses?: QosClass[] | null;

  @Field(() => String, { nullable: true, description: "Pods that run as the ServiceAccount of this name." })
  serviceAccountName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Pods that mount the PersistentVolumeClaim of this name.",
  })
  claimName?: string | null;
}

@InputType({ description: "Which services to list." })
export class ServiceFilter extends NamespacedFilterFields {
  @Field(() => [ServiceType], { nullable: true, description: "Only services of these types." })
  types?: ServiceType[] | null;
}

@InputType({ description: "Which events to list." })
export class EventFilter extends NamespacedFilterFields {
  @Field(() => [EventType], { nullable: true, description: "Only events of these types." })
  types?: EventType[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Only events with one of these reasons, e.g. "BackOff".',
  })
  reasons?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The involved object\'s kind, e.g. "Pod".' })
  involvedKind?: string | null;

  @Field(() => String, { nullable: true, description: "The involved object's name." })
  involvedName?: string | null;
}

@InputType({ description: "Which of an object's own events to list." })
export class ObjectEventFilter {
  @Field(() => [EventType], { nullable: true, description: "Only events of these types." })
  types?: EventType[] | null;

  @Field(() => [String], { nullable: true, description: "Only events with one of these reasons." })
  reasons?: string[] | null;
}

@InputType({ description: "Which ingresses to list." })
export class IngressFilter extends NamespacedFilterFields {
  @Field(() => [String], { nullable: true, description: "Ingresses with a rule for one of these hosts." })
  hosts?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Ingresses of these classes, e.g. "nginx".' })
  classNames?: string[] | null;

  @Field(() => String, { nullable: true, description: "Ingresses that route to the service of this name." })
  serviceName?: string | null;
}

@InputType({ description: "Which ConfigMaps to list." })
export class ConfigMapFilter extends NamespacedFilterFields {}

@InputType({ description: "Which Secrets to list." })
export class SecretFilter extends NamespacedFilterFields {
  @Field(() => [String], { nullable: true, description: 'Secrets of these types, e.g. "kubernetes.io/tls".' })
  types?: string[] | null;
}

@InputType({ description: "Which ServiceAccounts to list." })
export class ServiceAccountFilter extends NamespacedFilterFields {}

@InputType({ description: "Which PersistentVolumeClaims to list." })
export class PersistentVolumeClaimFilter extends NamespacedFilterFields {
  @Field(() => [ClaimPhase], { nullable: true, description: "Claims in these phases." })
  phases?: ClaimPhase[] | null;

  @Field(() => [String], { nullable: true, description: "Claims of these storage classes." })
  storageClassNames?: string[] | null;
}

@InputType({ description: "Which PersistentVolumes to list." })
export class PersistentVolumeFilter extends ObjectFilterFields {
  @Field(() => [VolumePhase], { nullable: true, description: "Volumes in these phases." })
  phases?: VolumePhase[] | null;

  @Field(() => [String], { nullable: true, description: "Volumes of these storage classes." })
  storageClassNames?: string[] | null;
}

@InputType({ description: "Which StorageClasses to list." })
export class StorageClassFilter extends ObjectFilterFields {}

@InputType({ description: "Which HorizontalPodAutoscalers to list." })
export class HorizontalPodAutoscalerFilter extends NamespacedFilterFields {
  @Field(() => [String], {
    nullable: true,
    description: 'Autoscalers of targets of these kinds, e.g. "Deployment".',
  })
  targetKinds?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "true: autoscalers that want their maximum (they cannot scale further up); false: the others.",
  })
  atMaximum?: boolean | null;
}

@InputType({ description: "Which ResourceQuotas to list." })
export class ResourceQuotaFilter extends NamespacedFilterFields {}

@InputType({ description: "Which LimitRanges to list." })
export class LimitRangeFilter extends NamespacedFilterFields {}
