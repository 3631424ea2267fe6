/** Every resolver class of the schema, for buildSchema. */
import "reflect-metadata";
import { ClusterNodeResolver } from "./cluster-node.js";
import { ClusterOutcomeResolver, ClusterResolver } from "./cluster.js";
import { InvolvedObjectResolver } from "./event.js";
import { KubeObjectResolver, NamespacedObjectResolver } from "./kube-object.js";
import { FleetWorkloadResolver } from "./fleet-workloads.js";
import { ListResolver } from "./lists.js";
import { NamespaceResolver } from "./namespace.js";
import { OwnerRefResolver } from "./owner-ref.js";
import { PodResolver } from "./pod.js";
import { ResourceConnectionResolver, ResourceResolver } from "./resources.js";
import { RootResolver } from "./root.js";
import { ServiceResolver } from "./service.js";
import { DeploymentResolver, ReplicaSetResolver, WorkloadResolver } from "./workload.js";
import { WorkspaceResolver } from "./workspace.js";
import { WorkloadSelectionResolver } from "./workload-selection.js";
import { ViewerCanResolver, ViewerResolver, WorkspaceTenancyResolver } from "./viewer.js";
import { TenancyResolver, ViewerTokensResolver } from "./tenancy.js";
import { NotificationResolver } from "./notifications.js";
import { HorizontalPodAutoscalerResolver, WorkloadAutoscalerResolver } from "./autoscaling.js";
import { PodStorageResolver, ServiceAccountResolver } from "./config.js";
import { IngressBackendResolver, IngressTlsResolver, ServiceIngressResolver } from "./ingress.js";
import { MORE_KIND_RESOLVERS } from "./more-kinds.js";
import { SubscriptionResolver } from "./subscriptions.js";
import { ALERT_RESOLVERS } from "./alerts.js";
import { SILENCE_RESOLVERS } from "./silences.js";
import { PodLogsResolver } from "./pod-logs.js";
import { METRIC_RESOLVERS, PromQueryResolver } from "./metrics.js";
import { LogEntryResolver, LogQueryResolver, PodLogsFieldResolver, WorkloadLogsResolver } from "./logs.js";
import { EventHistoryEntryResolver, EventHistoryQueryResolver } from "./event-history.js";
import { AuditEntryResolver, AuditQueryResolver } from "./audit.js";
import { WorkloadMutationsResolver } from "./workload-mutations.js";
import { PodNodeMutationsResolver } from "./pod-node-mutations.js";
import { ObjectMutationsResolver } from "./object-mutations.js";
import { NamespaceMutationsResolver } from "./namespace-mutations.js";
import { PersistentVolumeClaimResolver, PersistentVolumeResolver, StorageClassResolver } from "./storage.js";

export const RESOLVERS = [
  RootResolver,
  FleetWorkloadResolver,
  ListResolver,
  KubeObjectResolver,
  NamespacedObjectResolver,
  ClusterResolver,
  ClusterOutcomeResolver,
  WorkspaceResolver,
  WorkloadSelectionResolver,
  WorkspaceTenancyResolver,
  ViewerResolver,
  ViewerCanResolver,
  TenancyResolver,
  ViewerTokensResolver,
  NotificationResolver,
  NamespaceResolver,
  ClusterNodeResolver,
  WorkloadResolver,
  DeploymentResolver,
  ReplicaSetResolver,
  PodResolver,
  OwnerRefResolver,
  ServiceResolver,
  InvolvedObjectResolver,
  ResourceResolver,
  ResourceConnectionResolver,
  ...MORE_KIND_RESOLVERS,
  ...METRIC_RESOLVERS,
  PromQueryResolver,
  IngressBackendResolver,
  IngressTlsResolver,
  ServiceIngressResolver,
  PersistentVolumeClaimResolver,
  PersistentVolumeResolver,
  StorageClassResolver,
  HorizontalPodAutoscalerResolver,
  WorkloadAutoscalerResolver,
  ServiceAccountResolver,
  PodStorageResolver,
  SubscriptionResolver,
  ...ALERT_RESOLVERS,
  ...SILENCE_RESOLVERS,
  PodLogsResolver,
  LogQueryResolver,
  LogEntryResolver,
  PodLogsFieldResolver,
  WorkloadLogsResolver,
  EventHistoryQueryResolver,
  EventHistoryEntryResolver,
  AuditQueryResolver,
  AuditEntryResolver,
  WorkloadMutationsResolver,
  PodNodeMutationsResolver,
  ObjectMutationsResolver,
  NamespaceMutationsResolver,
] as const;
