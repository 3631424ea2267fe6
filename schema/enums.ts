/**
 * Enums shared by several types. GraphQL names are the keys; the values are what the services
 * and the Kubernetes objects use ("Running", "Deployment"), so resolvers pass them through.
 */
import { registerEnumType } from "type-graphql";

export enum Consistency {
  /** From the watch caches, with per-cluster freshness reported (fast; the default). */
  CACHED = "CACHED",
  /** Listed from the API servers at request time (slower; always current). */
  STRONG = "STRONG",
}

export enum OrderDirection {
  ASC = "ASC",
  DESC = "DESC",
}

export enum OrderField {
  NAME = "NAME",
  NAMESPACE = "NAMESPACE",
  CLUSTER = "CLUSTER",
  CREATED = "CREATED",
}

export enum PodOrderField {
  NAME = "NAME",
  NAMESPACE = "NAMESPACE",
  CLUSTER = "CLUSTER",
  CREATED = "CREATED",
  RESTARTS = "RESTARTS",
}

export enum ClusterOrderField {
  NAME = "NAME",
}

export enum ClusterStatus {
  READY = "READY",
  DEGRADED = "DEGRADED",
  UNREACHABLE = "UNREACHABLE",
  /** No health probe has finished yet. */
  UNKNOWN = "UNKNOWN",
}

export enum WorkloadKind {
  DEPLOYMENT = "Deployment",
  STATEFUL_SET = "StatefulSet",
  DAEMON_SET = "DaemonSet",
  JOB = "Job",
  CRON_JOB = "CronJob",
}

export enum PodPhase {
  PENDING = "Pending",
  RUNNING = "Running",
  SUCCEEDED = "Succeeded",
  FAILED = "Failed",
  UNKNOWN = "Unknown",
}

export enum ContainerState {
  RUNNING = "running",
  WAITING = "waiting",
  TERMINATED = "terminated",
  UNKNOWN = "unknown",
}

registerEnumType(Consistency, { name: "Consistency", description: "Where a list is read from." });
registerEnumType(OrderDirection, { name: "OrderDirection" });
registerEnumType(OrderField, { name: "OrderField" });
registerEnumType(PodOrderField, {
  name: "PodOrderField",
  valuesConfig: { RESTARTS: { description: "Total container restarts of the pod." } },
});
registerEnumType(ClusterOrderField, { name: "ClusterOrderField" });
registerEnumType(ClusterStatus, { name: "ClusterStatus", description: "The last health probe's verdict." });
registerEnumType(WorkloadKind, { name: "WorkloadKind" });
registerEnumType(PodPhase, { name: "PodPhase" });
registerEnumType(ContainerState, { name: "ContainerState" });
