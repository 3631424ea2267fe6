/**
 * The enums of the schema. GraphQL names are the keys; the values are what Kubernetes objects
 * and the services use ("Running", "Deployment"), so views pass known values through and map
 * anything else to UNKNOWN (a newer Kubernetes may send values this schema does not know yet).
 */
import { registerEnumType } from "type-graphql";

export enum Consistency {
  CACHED = "CACHED",
  STRONG = "STRONG",
}

export enum OrderDirection {
  ASC = "ASC",
  DESC = "DESC",
}

export enum ClusterStatus {
  READY = "READY",
  DEGRADED = "DEGRADED",
  UNREACHABLE = "UNREACHABLE",
  UNKNOWN = "UNKNOWN",
}

export enum WorkloadKind {
  DEPLOYMENT = "Deployment",
  STATEFUL_SET = "StatefulSet",
  DAEMON_SET = "DaemonSet",
  JOB = "Job",
  CRON_JOB = "CronJob",
}

export enum WorkloadStatus {
  RUNNING = "RUNNING",
  UPDATING = "UPDATING",
  STOPPED = "STOPPED",
  FAILED = "FAILED",
  COMPLETE = "COMPLETE",
  SUSPENDED = "SUSPENDED",
  UNKNOWN = "UNKNOWN",
}

export enum RolloutState {
  COMPLETE = "COMPLETE",
  PROGRESSING = "PROGRESSING",
  PAUSED = "PAUSED",
  FAILED = "FAILED",
}

export enum PodPhase {
  PENDING = "Pending",
  RUNNING = "Running",
  SUCCEEDED = "Succeeded",
  FAILED = "Failed",
  UNKNOWN = "Unknown",
}

export enum QosClass {
  GUARANTEED = "Guaranteed",
  BURSTABLE = "Burstable",
  BEST_EFFORT = "BestEffort",
  UNKNOWN = "Unknown",
}

export enum ContainerState {
  RUNNING = "running",
  WAITING = "waiting",
  TERMINATED = "terminated",
  UNKNOWN = "unknown",
}

export enum ConditionStatus {
  TRUE = "True",
  FALSE = "False",
  UNKNOWN = "Unknown",
}

export enum NamespacePhase {
  ACTIVE = "Active",
  TERMINATING = "Terminating",
  UNKNOWN = "Unknown",
}

export enum ServiceType {
  CLUSTER_IP = "ClusterIP",
  NODE_PORT = "NodePort",
  LOAD_BALANCER = "LoadBalancer",
  EXTERNAL_NAME = "ExternalName",
  UNKNOWN = "Unknown",
}

export enum EventType {
  NORMAL = "Normal",
  WARNING = "Warning",
  UNKNOWN = "Unknown",
}

export enum Protocol {
  TCP = "TCP",
  UDP = "UDP",
  SCTP = "SCTP",
  UNKNOWN = "Unknown",
}

export enum TaintEffect {
  NO_SCHEDULE = "NoSchedule",
  PREFER_NO_SCHEDULE = "PreferNoSchedule",
  NO_EXECUTE = "NoExecute",
  UNKNOWN = "Unknown",
}

export enum LabelSelectorOperator {
  EQUALS = "=",
  NOT_EQUALS = "!=",
  IN = "in",
  NOT_IN = "notin",
  EXISTS = "exists",
  DOES_NOT_EXIST = "!exists",
}

export enum DataSource {
  CACHE = "CACHE",
  API_SERVER = "API_SERVER",
  PROMETHEUS = "PROMETHEUS",
  LOG_STORE = "LOG_STORE",
  ALERTMANAGER = "ALERTMANAGER",
}

export enum ClusterErrorCode {
  CLUSTER_UNAVAILABLE = "CLUSTER_UNAVAILABLE",
  CLUSTER_TIMEOUT = "CLUSTER_TIMEOUT",
  CLUSTER_FORBIDDEN = "CLUSTER_FORBIDDEN",
  PROMETHEUS_UNAVAILABLE = "PROMETHEUS_UNAVAILABLE",
  PROMETHEUS_TIMEOUT = "PROMETHEUS_TIMEOUT",
  PROMETHEUS_BAD_QUERY = "PROMETHEUS_BAD_QUERY",
  LOG_STORE_UNAVAILABLE = "LOG_STORE_UNAVAILABLE",
  LOG_STORE_TIMEOUT = "LOG_STORE_TIMEOUT",
  LOG_STORE_BAD_QUERY = "LOG_STORE_BAD_QUERY",
  ALERTMANAGER_UNAVAILABLE = "ALERTMANAGER_UNAVAILABLE",
  ALERTMANAGER_TIMEOUT = "ALERTMANAGER_TIMEOUT",
  ALERTMANAGER_BAD_QUERY = "ALERTMANAGER_BAD_QUERY",
  TOO_MANY_UPSTREAM_CALLS = "TOO_MANY_UPSTREAM_CALLS",
  REQUEST_TIMEOUT = "REQUEST_TIMEOUT",
}

/** `value` when it is one of the enum's values, else its UNKNOWN. */
export function knownOr<E extends Record<string, string>>(values: E, value: string | undefined): E[keyof E] {
  const all: string[] = Object.values(values);
  return (value !== undefined && all.includes(value) ? value : values.UNKNOWN) as E[keyof E];
}

const UNKNOWN = "A value this version of the API does not know (a newer Kubernetes may send one).";

registerEnumType(Consistency, {
  name: "Consistency",
  description: "Where a list is read from.",
  valuesConfig: {
    CACHED: {
      description:
        "From the gateway's watch caches, with each cluster's freshness reported (fast; the default).",
    },
    STRONG: { description: "Listed from the API servers at request time (slower; always current)." },
  },
});
registerEnumType(OrderDirection, {
  name: "OrderDirection",
  description: "The direction of an order.",
  valuesConfig: {
    ASC: { description: "Smallest (or A) first." },
    DESC: { description: "Largest (or Z) first." },
  },
});
export enum ClusterSyncState {
  SYNCING = "SYNCING",
  SYNCED = "SYNCED",
  FAILED = "FAILED",
}

registerEnumType(ClusterSyncState, {
  name: "ClusterSyncState",
  description: "Where the gateway's initial sync of a cluster stands.",
  valuesConfig: {
    SYNCING: {
      description:
        "Its lists are under way or waiting their turn. However slow, a cluster whose pages keep coming is syncing, not unreachable.",
    },
    SYNCED: { description: "Every cached kind listed; its caches follow the watches." },
    FAILED: {
      description:
        "The initial sync failed for a stated reason (forbidden, TLS, unreachable after its attempts); retried in the background.",
    },
  },
});

registerEnumType(ClusterStatus, {
  name: "ClusterStatus",
  description: "The verdict of a cluster's last health probe.",
  valuesConfig: {
    READY: { description: "The API server answers and reports itself ready." },
    DEGRADED: { description: "The API server answers, slowly or reporting a problem." },
    UNREACHABLE: { description: "The API server does not answer; its objects are served from the cache." },
    UNKNOWN: { description: "No health probe has finished yet." },
  },
});
registerEnumType(WorkloadKind, {
  name: "WorkloadKind",
  description: "The Kubernetes kinds that are workloads.",
  valuesConfig: {
    DEPLOYMENT: { description: "apps/v1 Deployment." },
    STATEFUL_SET: { description: "apps/v1 StatefulSet." },
    DAEMON_SET: { description: "apps/v1 DaemonSet." },
    JOB: { description: "batch/v1 Job." },
    CRON_JOB: { description: "batch/v1 CronJob." },
  },
});
registerEnumType(WorkloadStatus, {
  name: "WorkloadStatus",
  description: "One word for a workload's state, as a console shows it.",
  valuesConfig: {
    RUNNING: { description: "Every desired replica is updated and ready (a CronJob: scheduling)." },
    UPDATING: { description: "Rolling out, scaling, or waiting for replicas to become ready." },
    STOPPED: { description: "Scaled to zero replicas." },
    FAILED: { description: "Its rollout exceeded its progress deadline, or (a Job) it failed." },
    COMPLETE: { description: "A Job that finished successfully." },
    SUSPENDED: { description: "A paused Deployment, or a suspended Job or CronJob." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(RolloutState, {
  name: "RolloutState",
  description: "Where a Deployment's rollout stands, as `kubectl rollout status` reports it.",
  valuesConfig: {
    COMPLETE: { description: "Every replica runs the current template and is available." },
    PROGRESSING: { description: "Replicas are being replaced or are becoming available." },
    PAUSED: { description: "The Deployment is paused: no rollout proceeds until it is resumed." },
    FAILED: { description: "The rollout exceeded its progress deadline." },
  },
});
registerEnumType(PodPhase, {
  name: "PodPhase",
  description: "A pod's status.phase.",
  valuesConfig: {
    PENDING: { description: "Accepted, but not every container runs yet (scheduling, pulling images)." },
    RUNNING: { description: "Bound to a node, with at least one container running." },
    SUCCEEDED: { description: "Every container terminated successfully and will not restart." },
    FAILED: { description: "Every container terminated, at least one in failure." },
    UNKNOWN: { description: "The pod's state could not be obtained, or is a value unknown to this API." },
  },
});
registerEnumType(QosClass, {
  name: "QosClass",
  description:
    "A pod's quality-of-service class (status.qosClass), from its containers' requests and limits.",
  valuesConfig: {
    GUARANTEED: { description: "Every container has equal CPU and memory requests and limits." },
    BURSTABLE: { description: "Some container has a request or limit, but not Guaranteed." },
    BEST_EFFORT: { description: "No container has any request or limit." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(ContainerState, {
  name: "ContainerState",
  description: "The state of a container's current run.",
  valuesConfig: {
    RUNNING: { description: "Running." },
    WAITING: { description: "Not running yet or again (see stateReason, e.g. CrashLoopBackOff)." },
    TERMINATED: { description: "Ran and exited." },
    UNKNOWN: { description: "No status reported yet." },
  },
});
registerEnumType(ConditionStatus, {
  name: "ConditionStatus",
  description: "The status of a condition.",
  valuesConfig: {
    TRUE: { description: "The condition holds." },
    FALSE: { description: "The condition does not hold." },
    UNKNOWN: { description: "It is not known whether the condition holds." },
  },
});
registerEnumType(NamespacePhase, {
  name: "NamespacePhase",
  description: "A namespace's status.phase.",
  valuesConfig: {
    ACTIVE: { description: "In use." },
    TERMINATING: { description: "Being deleted, with its objects." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(ServiceType, {
  name: "ServiceType",
  description: "How a service is exposed (spec.type).",
  valuesConfig: {
    CLUSTER_IP: { description: "A virtual IP inside the cluster." },
    NODE_PORT: { description: "A port on every node, and a cluster IP." },
    LOAD_BALANCER: { description: "An external load balancer, a node port and a cluster IP." },
    EXTERNAL_NAME: { description: "A DNS alias of an external name." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(EventType, {
  name: "EventType",
  description: "How serious an event is.",
  valuesConfig: {
    NORMAL: { description: "Information." },
    WARNING: { description: "Something may need attention." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(Protocol, {
  name: "Protocol",
  description: "A network protocol of a port.",
  valuesConfig: {
    TCP: { description: "TCP." },
    UDP: { description: "UDP." },
    SCTP: { description: "SCTP." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(TaintEffect, {
  name: "TaintEffect",
  description: "What a node taint does to pods that do not tolerate it.",
  valuesConfig: {
    NO_SCHEDULE: { description: "New pods are not scheduled on the node." },
    PREFER_NO_SCHEDULE: { description: "The scheduler avoids the node when it can." },
    NO_EXECUTE: { description: "Running pods are evicted and new ones not scheduled." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(LabelSelectorOperator, {
  name: "LabelSelectorOperator",
  description: "The operator of one label selector requirement.",
  valuesConfig: {
    EQUALS: { description: "The label has exactly the value (`key=value`)." },
    NOT_EQUALS: { description: "The label is absent or has another value (`key!=value`)." },
    IN: { description: "The label has one of the values (`key in (a,b)`)." },
    NOT_IN: { description: "The label is absent or has none of the values (`key notin (a,b)`)." },
    EXISTS: { description: "The label is present (`key`)." },
    DOES_NOT_EXIST: { description: "The label is absent (`!key`)." },
  },
});
registerEnumType(DataSource, {
  name: "DataSource",
  description: "Where one cluster's part of an answer came from.",
  valuesConfig: {
    CACHE: { description: "The gateway's watch caches of the cluster." },
    API_SERVER: { description: "The cluster's API server, at request time." },
    PROMETHEUS: { description: "The cluster's Prometheus (metric values and metric orders)." },
    LOG_STORE: {
      description: "The cluster's log store (Elasticsearch or OpenSearch): log lines, event history, audit.",
    },
    ALERTMANAGER: { description: "The cluster's Alertmanager (alerts, their silences and inhibitions)." },
  },
});
registerEnumType(ClusterErrorCode, {
  name: "ClusterErrorCode",
  description: "Why a cluster's part of an answer is missing, incomplete or old.",
  valuesConfig: {
    CLUSTER_UNAVAILABLE: { description: "The cluster is down, not synced yet, or disconnected." },
    CLUSTER_TIMEOUT: { description: "The cluster did not answer within its deadline." },
    CLUSTER_FORBIDDEN: { description: "The cluster refused the gateway's request." },
    PROMETHEUS_UNAVAILABLE: { description: "The cluster's Prometheus is down or refused the gateway." },
    PROMETHEUS_TIMEOUT: { description: "The cluster's Prometheus did not answer within its deadline." },
    PROMETHEUS_BAD_QUERY: { description: "The cluster's Prometheus refused the query." },
    LOG_STORE_UNAVAILABLE: { description: "The cluster's log store is down or refused the gateway." },
    LOG_STORE_TIMEOUT: { description: "The cluster's log store did not answer within its deadline." },
    LOG_STORE_BAD_QUERY: { description: "The cluster's log store refused the search." },
    ALERTMANAGER_UNAVAILABLE: { description: "The cluster's Alertmanager is down or refused the gateway." },
    ALERTMANAGER_TIMEOUT: { description: "The cluster's Alertmanager did not answer within its deadline." },
    ALERTMANAGER_BAD_QUERY: { description: "The cluster's Alertmanager refused the request." },
    TOO_MANY_UPSTREAM_CALLS: {
      description:
        "The request made its limit of upstream calls (limits.maxUpstreamCalls) before this cluster's.",
    },
    REQUEST_TIMEOUT: { description: "The request ran past its deadline before this cluster was called." },
  },
});

export enum ClaimPhase {
  PENDING = "Pending",
  BOUND = "Bound",
  LOST = "Lost",
  UNKNOWN = "Unknown",
}

export enum VolumePhase {
  PENDING = "Pending",
  AVAILABLE = "Available",
  BOUND = "Bound",
  RELEASED = "Released",
  FAILED = "Failed",
  UNKNOWN = "Unknown",
}

export enum AccessMode {
  READ_WRITE_ONCE = "ReadWriteOnce",
  READ_ONLY_MANY = "ReadOnlyMany",
  READ_WRITE_MANY = "ReadWriteMany",
  READ_WRITE_ONCE_POD = "ReadWriteOncePod",
  UNKNOWN = "Unknown",
}

export enum VolumeMode {
  FILESYSTEM = "Filesystem",
  BLOCK = "Block",
  UNKNOWN = "Unknown",
}

export enum ReclaimPolicy {
  DELETE = "Delete",
  RETAIN = "Retain",
  RECYCLE = "Recycle",
  UNKNOWN = "Unknown",
}

export enum VolumeBindingMode {
  IMMEDIATE = "Immediate",
  WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer",
  UNKNOWN = "Unknown",
}

export enum PathType {
  PREFIX = "Prefix",
  EXACT = "Exact",
  IMPLEMENTATION_SPECIFIC = "ImplementationSpecific",
  UNKNOWN = "Unknown",
}

registerEnumType(ClaimPhase, {
  name: "ClaimPhase",
  description: "A PersistentVolumeClaim's status.phase.",
  valuesConfig: {
    PENDING: { description: "Not bound to a volume yet." },
    BOUND: { description: "Bound to a volume." },
    LOST: { description: "Its volume is gone." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(VolumePhase, {
  name: "VolumePhase",
  description: "A PersistentVolume's status.phase.",
  valuesConfig: {
    PENDING: { description: "Not available yet." },
    AVAILABLE: { description: "Free, not bound to a claim." },
    BOUND: { description: "Bound to a claim." },
    RELEASED: { description: "Its claim was deleted; not yet reclaimed." },
    FAILED: { description: "Automatic reclamation failed." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(AccessMode, {
  name: "AccessMode",
  description: "How a volume may be mounted.",
  valuesConfig: {
    READ_WRITE_ONCE: { description: "Read-write by one node." },
    READ_ONLY_MANY: { description: "Read-only by many nodes." },
    READ_WRITE_MANY: { description: "Read-write by many nodes." },
    READ_WRITE_ONCE_POD: { description: "Read-write by one pod." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(VolumeMode, {
  name: "VolumeMode",
  description: "Whether a volume is mounted as a filesystem or used as a raw block device.",
  valuesConfig: {
    FILESYSTEM: { description: "A filesystem (the default)." },
    BLOCK: { description: "A raw block device." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(ReclaimPolicy, {
  name: "ReclaimPolicy",
  description: "What happens to a volume when its claim is deleted.",
  valuesConfig: {
    DELETE: { description: "The volume and its storage are deleted." },
    RETAIN: { description: "The volume is kept for manual reclamation." },
    RECYCLE: { description: "The volume is scrubbed and made available again (deprecated)." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(VolumeBindingMode, {
  name: "VolumeBindingMode",
  description: "When a StorageClass's claims are bound and provisioned.",
  valuesConfig: {
    IMMEDIATE: { description: "As soon as the claim is created." },
    WAIT_FOR_FIRST_CONSUMER: { description: "When a pod using the claim is scheduled." },
    UNKNOWN: { description: UNKNOWN },
  },
});
registerEnumType(PathType, {
  name: "PathType",
  description: "How an ingress path matches request paths.",
  valuesConfig: {
    PREFIX: { description: "By path prefix, element by element." },
    EXACT: { description: "The exact path, case-sensitively." },
    IMPLEMENTATION_SPECIFIC: { description: "As the ingress controller decides." },
    UNKNOWN: { description: UNKNOWN },
  },
});
