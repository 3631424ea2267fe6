/** The connection type of every list. */
import { ObjectType } from "type-graphql";
import { Cluster } from "./cluster.js";
import { ClusterNode } from "./cluster-node.js";
import { Connection } from "./connection.js";
import { KubeEvent } from "./event.js";
import { Namespace } from "./namespace.js";
import { Pod } from "./pod.js";
import { Service } from "./service.js";
import { ReplicaSet, Workload } from "./workload.js";
import { Workspace } from "./workspace.js";
import { HorizontalPodAutoscaler } from "./autoscaling.js";
import { ConfigMap, Secret, ServiceAccount } from "./config.js";
import { Ingress } from "./ingress.js";
import { LimitRange, ResourceQuota } from "./policy.js";
import { PersistentVolume, PersistentVolumeClaim, StorageClass } from "./storage.js";

@ObjectType({ simpleResolvers: true, description: "A page of clusters." })
export class ClusterConnection extends Connection<Cluster>("Cluster", Cluster, "the clusters") {}

@ObjectType({ simpleResolvers: true, description: "A page of workspaces." })
export class WorkspaceConnection extends Connection<Workspace>("Workspace", Workspace, "the workspaces") {}

@ObjectType({ simpleResolvers: true, description: "A page of namespaces." })
export class NamespaceConnection extends Connection<Namespace>("Namespace", Namespace, "the namespaces") {}

@ObjectType({ simpleResolvers: true, description: "A page of Kubernetes nodes." })
export class ClusterNodeConnection extends Connection<ClusterNode>("ClusterNode", ClusterNode, "the nodes") {}

@ObjectType({ simpleResolvers: true, description: "A page of workloads." })
export class WorkloadConnection extends Connection<Workload>("Workload", Workload, "the workloads") {}

@ObjectType({ simpleResolvers: true, description: "A page of ReplicaSets." })
export class ReplicaSetConnection extends Connection<ReplicaSet>(
  "ReplicaSet",
  ReplicaSet,
  "the ReplicaSets",
) {}

@ObjectType({ simpleResolvers: true, description: "A page of pods." })
export class PodConnection extends Connection<Pod>("Pod", Pod, "the pods") {}

@ObjectType({ simpleResolvers: true, description: "A page of services." })
export class ServiceConnection extends Connection<Service>("Service", Service, "the services") {}

@ObjectType({ simpleResolvers: true, description: "A page of events." })
export class EventConnection extends Connection<KubeEvent>("Event", KubeEvent, "the events") {}

@ObjectType({ simpleResolvers: true, description: "A page of ingresses." })
export class IngressConnection extends Connection<Ingress>("Ingress", Ingress, "the ingresses") {}

@ObjectType({ simpleResolvers: true, description: "A page of ConfigMaps." })
export class ConfigMapConnection extends Connection<ConfigMap>("ConfigMap", ConfigMap, "the ConfigMaps") {}

@ObjectType({ simpleResolvers: true, description: "A page of Secrets (metadata and key names)." })
export class SecretConnection extends Connection<Secret>("Secret", Secret, "the Secrets") {}

@ObjectType({ simpleResolvers: true, description: "A page of ServiceAccounts." })
export class ServiceAccountConnection extends Connection<ServiceAccount>(
  "ServiceAccount",
  ServiceAccount,
  "the ServiceAccounts",
) {}

@ObjectType({ simpleResolvers: true, description: "A page of PersistentVolumeClaims." })
export class PersistentVolumeClaimConnection extends Connection<PersistentVolumeClaim>(
  "PersistentVolumeClaim",
  PersistentVolumeClaim,
  "the claims",
) {}

@ObjectType({ simpleResolvers: true, description: "A page of PersistentVolumes." })
export class PersistentVolumeConnection extends Connection<PersistentVolume>(
  "PersistentVolume",
  PersistentVolume,
  "the volumes",
) {}

@ObjectType({ simpleResolvers: true, description: "A page of StorageClasses." })
export class StorageClassConnection extends Connection<StorageClass>(
  "StorageClass",
  StorageClass,
  "the classes",
) {}

@ObjectType({ simpleResolvers: true, description: "A page of HorizontalPodAutoscalers." })
export class HorizontalPodAutoscalerConnection extends Connection<HorizontalPodAutoscaler>(
  "HorizontalPodAutoscaler",
  HorizontalPodAutoscaler,
  "the autoscalers",
) {}

@ObjectType({ simpleResolvers: true, description: "A page of ResourceQuotas." })
export class ResourceQuotaConnection extends Connection<ResourceQuota>(
  "ResourceQuota",
  ResourceQuota,
  "the quotas",
) {}

@ObjectType({ simpleResolvers: true, description: "A page of LimitRanges." })
export class LimitRangeConnection extends Connection<LimitRange>(
  "LimitRange",
  LimitRange,
  "the limit ranges",
) {}
